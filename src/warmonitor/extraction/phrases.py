"""Phrase lookup over tokens: the one matcher behind actor, source and generic-noun names.

Phrases and text are compared as sequences of folded words: lower case, accents stripped, curly
quotes straightened, hyphens and apostrophes dropped as tokens. So "Hayat Tahrir al-Sham",
"Hayat Tahrir al Sham" and "HAYAT TAHRIR AL-SHAM" are one key.
"""
from __future__ import annotations

import bisect
import re
import unicodedata
from typing import Generic, Iterable, TypeVar

Value = TypeVar("Value")
_SKIP = {"-", "'", "’", "‘", "`", "'s", "’s", "\"", "“", "”", "–", "—"}


def fold(word: str) -> str:
    if word.isascii():
        return word.lower()
    word = unicodedata.normalize("NFKD", word.replace("’", "'").replace("‘", "'"))
    return "".join(c for c in word if not unicodedata.combining(c)).lower()


def words_of(text: str) -> list[str]:
    """Fold a phrase into the words it is matched by (the same rule as for parsed tokens: a
    possessive 's is dropped, as the tokenizer makes it a token of its own)."""
    out, current = [], []
    for char in re.sub(r"['’]s\b", "", fold(text)):
        if char.isalnum() or char == ".":
            current.append(char)
        else:
            if current:
                out.append("".join(current))
                current = []
            if char == "&":
                out.append("&")
    if current:
        out.append("".join(current))
    return [w.strip(".") or w for w in out]


class PhraseIndex(Generic[Value]):
    """Longest-match lookup of multi-word phrases in a sequence of folded words."""

    def __init__(self):
        self._phrases: dict[tuple[str, ...], Value] = {}
        self._first: dict[str, int] = {}  # first word -> longest phrase length starting with it
        self._exact_case: dict[tuple[str, ...], str] = {}  # short all-caps names: "IS", "AA", "SAF"

    def add(self, phrase: str, value: Value) -> None:
        key = tuple(words_of(phrase))
        if not key:
            return
        if len(key) == 1 and phrase.isupper() and len(phrase) <= 5 and key not in self._phrases:
            self._exact_case[key] = phrase
        elif not phrase.isupper():
            self._exact_case.pop(key, None)  # also written in lower case somewhere: any case matches
        self._phrases.setdefault(key, value)
        self._first[key[0]] = max(self._first.get(key[0], 0), len(key))

    def get(self, phrase: str) -> Value | None:
        return self._phrases.get(tuple(words_of(phrase)))

    def find(self, words: list[str], originals: list[str] | None = None) -> Iterable[tuple[int, int, Value]]:
        """Yield (i, j, value) for non-overlapping longest matches of words[i:j], left to right.
        With `originals` (the unfolded words), short all-caps names match only in capitals ("IS", not "is")."""
        i, n = 0, len(words)
        while i < n:
            longest = self._first.get(words[i], 0)
            hit = None
            for length in range(min(longest, n - i), 0, -1):
                key = tuple(words[i:i + length])
                value = self._phrases.get(key)
                if value is not None and originals is not None and key in self._exact_case \
                        and originals[i] != self._exact_case[key]:
                    value = None
                if value is not None:
                    hit = (i, i + length, value)
                    break
            if hit:
                yield hit
                i = hit[1]
            else:
                i += 1


def sentence_words(sent) -> tuple[list[str], list[int], list[str]]:
    """The folded words of a sentence, sliced from the doc's (computed once by the entity matcher)."""
    cached = sent.doc.user_data.get("wm_words")
    if cached is None:
        return token_words(sent)
    words, index, originals = cached
    lo, hi = bisect.bisect_left(index, sent.start), bisect.bisect_left(index, sent.end)
    return words[lo:hi], index[lo:hi], originals[lo:hi]


def token_words(tokens) -> tuple[list[str], list[int], list[str]]:
    """Folded words of a token sequence, for each word the index of its token, and the unfolded words."""
    words, index, originals = [], [], []
    for token in tokens:
        if token.text in _SKIP or token.is_space:
            continue
        text = token.text
        if "-" in text or "'" in text or "’" in text:
            parts = [w for w in re.split(r"[-'’]+", text) if w]
        else:
            parts = [text]
        for part in parts:
            folded = fold(part)
            words.append(folded.strip(".") or folded)
            originals.append(part)
            index.append(token.i)
    return words, index, originals
