"""Attribution: who says what a sentence states ("a war monitor said", "SANA reported", "told AFP").

Sources are a data file (data/sources.jsonl): canonical name, source_scale, aliases, and generic
aliases ("war monitor", "the Britain-based monitor") that stand for a named source of the report's
country. Pronoun speakers ("it added", "he said") carry the previous sentence's source forward.
"""
from __future__ import annotations

from dataclasses import dataclass

from ..errors import ReferenceDataError
from ..records import Attribution
from ..refdata import data_text, jsonl_records
from .phrases import PhraseIndex, token_words
from .roles import REPORTING_LEMMAS

NOT_REPORTED = frozenset({"life", "lives", "toll", "responsibility"})
_PRONOUNS = frozenset({"it", "he", "she", "they", "we", "i", "the group", "the monitor", "the agency"})
_CLAIM_LEMMAS = frozenset({"claim", "allege"})
_DENY_LEMMAS = frozenset({"deny"})


@dataclass(frozen=True)
class Source:
    name: str
    scale: str | None
    country: str | None


class SourceRegistry:
    def __init__(self, sources: list[Source], aliases: dict[str, list[str]], generic: dict[str, list[str]]):
        self.sources = {s.name: s for s in sources}
        self.names = PhraseIndex[Source]()
        self.generic = PhraseIndex[Source]()
        self.every_name = PhraseIndex[Source]()  # both, for the entity matcher
        for source in sources:
            for alias in (source.name, *aliases.get(source.name, ())):
                self.names.add(alias, source)
                self.every_name.add(alias, source)
            for alias in generic.get(source.name, ()):
                self.generic.add(alias, source)
                self.every_name.add(alias, source)

    @classmethod
    def load(cls) -> "SourceRegistry":
        sources, aliases, generic = [], {}, {}
        for where, raw in jsonl_records(data_text("sources.jsonl"), "sources.jsonl"):
            if "name" not in raw:
                raise ReferenceDataError(f"{where}: missing key 'name'")
            sources.append(Source(raw["name"], raw.get("scale"), raw.get("country")))
            aliases[raw["name"]] = raw.get("aliases", [])
            generic[raw["name"]] = raw.get("generic", [])
        return cls(sources, aliases, generic)

    def by_name(self, name: str) -> Source | None:
        return self.sources.get(name) or self.names.get(name)

    def in_words(self, tokens, *, generic: bool) -> Source | None:
        words, _, originals = token_words(tokens)
        index = self.generic if generic else self.names
        for _, _, source in index.find(words, originals):
            return source
        return None


@dataclass(frozen=True)
class SentenceAttribution:
    attribution: Attribution | None
    verb: int | None  # token index of the reporting verb
    kind: str  # "reported", "claimed", "denied" or "none"
    channel: str | None = None  # "told AFP": the outlet that carried a speaker's words


def attribute(sent, registry: SourceRegistry, *, previous: Attribution | None,
              named_in_report: set[str], focus_country: str | None = None) -> SentenceAttribution:
    """Find the reporting verb of a sentence and the source behind it."""
    for token in sent:
        found = _from_verb(token, registry, previous, named_in_report, focus_country, framing=True)
        if found is not None:
            return found
    return SentenceAttribution(None, None, "none")


def attribution_above(token, registry: SourceRegistry, *, previous: Attribution | None,
                      named_in_report: set[str], focus_country: str | None = None) -> SentenceAttribution | None:
    """The source of the reporting verb a word hangs from, when it has its own: in "five were killed,
    rights groups said, while the medical association said 31 were hurt", each figure has its speaker."""
    for ancestor in token.ancestors:
        found = _from_verb(ancestor, registry, previous, named_in_report, focus_country, framing=False)
        if found is not None:
            return found
    return None


def _from_verb(token, registry: SourceRegistry, previous, named_in_report, focus_country, *,
               framing: bool) -> SentenceAttribution | None:
    lemma = token.lemma_.lower()
    if lemma == "accord" and token.i + 1 < len(token.doc) and token.nbor().lower_ == "to":
        speaker = [t for t in speaker_tokens(token.nbor()) if t.i != token.nbor().i]
        return _resolve(speaker, token.i, "reported", registry, previous, named_in_report, focus_country)
    if lemma not in REPORTING_LEMMAS or token.pos_ not in ("VERB", "AUX"):
        return None
    if any(c.dep_ in ("dobj", "nsubjpass") and c.lemma_.lower() in NOT_REPORTED for c in token.children):
        return None  # "the massacre claims the lives of seven", "the strike claimed many lives"
    # the subject nearest the verb: a misparse may give "fighting ... continued, a spokesman said" two
    subjects = sorted((c for c in token.children if c.dep_ in ("nsubj", "nsubjpass")), key=lambda c: abs(c.i - token.i))
    if not subjects:
        # "..., the Syrian Observatory for Human Rights, a war monitor, said.": a misparsed trailing speaker
        trailing = all(t.is_punct or t.is_space for t in token.doc[token.i + 1:token.sent.end])
        spans = [s for s in token.doc.spans.get("wm_sources", []) if token.i - 14 <= s.start < token.i
                 and s.start >= token.sent.start]
        if not (trailing and spans):
            return None
        source = registry.names.get(spans[-1].text) or registry.generic.get(spans[-1].text)
        if source is None:
            return None
        kind = "claimed" if lemma in _CLAIM_LEMMAS else "denied" if lemma in _DENY_LEMMAS else "reported"
        return SentenceAttribution(Attribution(source=source.name, text=spans[-1].text, scale=source.scale), token.i, kind)
    # a reporting verb frames the sentence when it is the root or parenthetical ("..., X said")
    trailing = all(t.is_punct or t.is_space for t in token.doc[token.i + 1:token.sent.end])
    if framing and token.dep_ not in ("ROOT", "parataxis", "ccomp", "conj") and lemma not in ("tell", "see", "witness") \
            and not trailing:
        return None
    kind = "claimed" if lemma in _CLAIM_LEMMAS else "denied" if lemma in _DENY_LEMMAS else "reported"
    result = _resolve(speaker_tokens(subjects[0]), token.i, kind, registry, previous, named_in_report, focus_country)
    if lemma == "tell":
        outlet = [c for c in token.children if c.dep_ in ("dobj", "dative", "iobj")]
        channel = registry.in_words(list(outlet[0].subtree), generic=False) if outlet else None
        if channel is not None:
            # "a military officer told AFP": the officer said it, AFP carried it
            if result.attribution is None:
                attribution = Attribution(source=channel.name, text=channel.name, scale=channel.scale)
            else:
                attribution = Attribution(source=result.attribution.source, text=result.attribution.text,
                                          scale=result.attribution.scale, via=channel.name)
            return SentenceAttribution(attribution, token.i, kind, channel.name)
    return result


def speaker_tokens(subject) -> list:
    """The speaker's words without relative clauses ("the monitor, which has a network of sources ...")."""
    dropped = {t.i for child in subject.children if child.dep_ in ("relcl", "acl") for t in child.subtree}
    return [t for t in subject.subtree if t.i not in dropped]


def speaker_extent(sent, verb: int | None) -> set[int]:
    """Token indices of the whole speaker phrase of a reporting verb (relative clauses included)."""
    if verb is None:
        return set()
    token = sent.doc[verb]
    if token.lemma_.lower() == "accord" and verb + 1 < sent.end:
        return {t.i for t in token.nbor().subtree}
    subjects = sorted((c for c in token.children if c.dep_ in ("nsubj", "nsubjpass")), key=lambda c: abs(c.i - verb))
    return {t.i for t in subjects[0].subtree} if subjects else set()


def _resolve(speaker_tokens, verb: int, kind: str, registry: SourceRegistry, previous: Attribution | None,
             named_in_report: set[str], focus_country: str | None) -> SentenceAttribution:
    text = " ".join(t.text for t in speaker_tokens).strip()
    if not text:
        return SentenceAttribution(None, verb, kind)
    source = registry.in_words(speaker_tokens, generic=False)
    if source is None:
        source = registry.in_words(speaker_tokens, generic=True)
        # "a war monitor" means the Observatory in a Syrian story, not in a Sudanese one
        if source is not None and source.name not in named_in_report and source.country != focus_country:
            source = None
    if source is not None:
        return SentenceAttribution(Attribution(source=source.name, text=text, scale=source.scale), verb, kind)
    if previous is not None and (text.lower() in _PRONOUNS or _refers_back(text, previous)):
        return SentenceAttribution(Attribution(source=previous.source, text=text, scale=previous.scale), verb, kind)
    # an unnamed speaker ("a rebel fighter"): attributed to the words of its noun phrase
    return SentenceAttribution(Attribution(source=_noun_phrase(speaker_tokens), text=text, scale=None), verb, kind)


def _refers_back(text: str, previous: Attribution) -> bool:
    """'The ministry said' after 'Lebanon's health ministry said': a definite noun naming the last source."""
    words = text.lower().split()
    return len(words) == 2 and words[0] == "the" and words[1] in previous.text.lower().split()


def _noun_phrase(tokens) -> str:
    """The speaker up to the first comma or relative word: 'the Law Society of Kenya'."""
    words = []
    for token in tokens:
        if token.text in (",", ";", "(", "--", "—") or token.lower_ in ("which", "who", "that", "whose"):
            break
        words.append(token.text_with_ws)
    return "".join(words).strip() or " ".join(t.text for t in tokens)
