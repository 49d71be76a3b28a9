"""Triage (issue 8): the relevance filter in front of the parser. Small lexicons pin the matching
rules; the shipped lexicon is pinned on the evaluation sets (recall >= 0.99 on conflict reports, most
news without conflict content set aside), and `extract --triage` / `ingest` on real files."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from warmonitor.errors import ReferenceDataError
from warmonitor.store import Store
from warmonitor.triage import Triage, triaged

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "benchmarks"))
import corpora  # noqa: E402

SCHOOL_BOARD = ("The school board met on Tuesday to discuss the new calendar. Parents asked for a longer "
                "spring break and the board agreed to study the idea before its April meeting.")


def small(threshold: float = 1.0) -> Triage:
    return Triage({"killed": 1.0, "shell": 0.5, "attack*": 0.5, "police": 0.34, "air strike*": 1.0},
                  threshold=threshold)


def test_one_strong_word_is_enough_and_its_verdict_says_so():
    verdict = small().judge("Two civilians were KILLED in Ariha.")
    assert verdict.relevant and verdict.score == 1.0 and verdict.terms == ("killed",)
    assert verdict.why == "conflict score 1 >= 1 (killed)"


def test_a_text_without_conflict_words_is_set_aside_with_the_reason():
    verdict = small().judge(SCHOOL_BOARD)
    assert not verdict.relevant and verdict.score == 0 and verdict.why == "conflict score 0 < 1 (no conflict word)"


def test_words_match_whole_words_and_starred_terms_match_word_beginnings():
    t = small()
    assert t.judge("an eggshell and a shellfish").terms == ()  # inside or longer than "shell"
    assert t.judge("attacks and attackers").terms == ("attack*",)
    assert t.judge("two air strikes").terms == ("air strike*",)
    assert t.judge("air-strikes").terms == ()  # the lexicon spells the hyphenated form when it wants it


def test_weights_add_up_once_per_distinct_term():
    t = small()
    assert not t.judge("shell shell shell").relevant  # one ambiguous word, however often
    assert t.judge("a shell attack").score == 1.0
    assert not t.judge("police attack").relevant  # 0.84 < 1
    assert small(threshold=0.8).judge("police attack").relevant


def test_a_short_text_passes_on_a_lower_threshold():
    t = Triage({"death": 0.34, "police": 0.34}, threshold=0.8, short_threshold=0.34, short_chars=80)
    headline = t.judge("IS stones a man to death in Deir Ezzor")
    assert headline.relevant and headline.why == "conflict score 0.34 >= 0.34 (death)"
    story = t.judge("The council debated the death of the old oak in the park for an hour. " * 3)
    assert not story.relevant and story.threshold == 0.8  # the same word in a longer text is not enough


def test_triaged_hands_every_set_aside_report_to_the_caller():
    from warmonitor.reports import read_text_report
    reports = [read_text_report(text, origin=name) for name, text in
               (("war", "Troops were killed near Hama."), ("school", SCHOOL_BOARD))]
    aside = []
    kept = list(triaged(reports, Triage.load(), lambda report, verdict: aside.append((report.origin, verdict))))
    assert [r.origin for r in kept] == ["war"]
    assert [origin for origin, _ in aside] == ["school"] and not aside[0][1].relevant
    assert list(triaged(reports, None, lambda report, verdict: aside.append(report))) == reports  # no triage
    assert len(aside) == 1


def test_a_malformed_lexicon_is_a_clear_error(tmp_path):
    bad = tmp_path / "triage.toml"
    bad.write_text("threshold = 1\n[groups.x]\nterms = ['war']\n")  # no weight
    with pytest.raises(ReferenceDataError, match="malformed.*weight"):
        Triage.load(bad)


def test_the_shipped_lexicon_lists_each_term_once():
    import tomllib
    from warmonitor.refdata import data_text
    groups = tomllib.loads(data_text("triage.toml"))["groups"].values()
    terms = [t for g in groups for t in g["terms"]]
    assert len(terms) == len(set(terms)) and all(t == t.lower() for t in terms)


@pytest.mark.shared
def test_triage_keeps_at_least_99_percent_of_conflict_reports(shared_dir):
    triage = Triage.load()
    from eval_triage import CONTENTLESS
    saying = [h for h in corpora.ucdp_headlines(shared_dir) if not CONTENTLESS.match(h.text.strip())]
    for name, reports in (("UCDP headlines with an event", corpora.ucdp_coded(shared_dir)),
                          ("UCDP headlines that say something", saying),
                          ("FA-KES", corpora.fakes_reports(shared_dir))):
        kept = sum(triage.judge(r.text).relevant for r in reports)
        assert kept / len(reports) >= 0.99, f"{name}: {kept} of {len(reports)} kept"
    assert len(corpora.ucdp_coded(shared_dir)) > 10_000
    assert triage.judge((shared_dir / "corpus" / "seed-hama.txt").read_text("utf-8")).relevant


@pytest.mark.shared
def test_triage_sets_aside_nine_in_ten_news_articles_without_conflict_content(shared_dir):
    triage = Triage.load()
    other = corpora.other_news(shared_dir)
    assert len(other) == 222
    aside = sum(not triage.judge(r.text).relevant for r in other)
    assert aside / len(other) >= 0.95, f"{aside} of {len(other)} set aside"


def warmonitor(*args, cwd=REPO) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "warmonitor.cli", *map(str, args)], capture_output=True, text=True,
                          timeout=300, cwd=cwd)


@pytest.fixture(scope="module")
def mixed_folder(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("mixed")
    (folder / "school.txt").write_text(SCHOOL_BOARD, "utf-8")
    (folder / "hama.txt").write_text("Government warplanes struck Kafr Nabudah in Hama province on Monday, "
                                     "killing two civilians, the Syrian Observatory for Human Rights said.", "utf-8")
    return folder


def test_extract_with_triage_names_what_it_sets_aside_and_extracts_the_rest(mixed_folder, tmp_path):
    out = tmp_path / "out"
    result = warmonitor("extract", mixed_folder, "--out-dir", out, "--triage", "--quiet")
    assert result.returncode == 0, result.stderr
    assert f"set aside by triage: {mixed_folder / 'school.txt'}: conflict score 0 < 0.34 (no conflict word)" \
        in result.stderr
    assert "1 report(s) written" in result.stderr and "1 set aside by triage" in result.stderr
    assert len(list(out.glob("*.json"))) == 1
    plain = warmonitor("extract", mixed_folder, "--out-dir", tmp_path / "all", "--quiet")  # off by default
    assert len(list((tmp_path / "all").glob("*.json"))) == 2 and "set aside" not in plain.stderr


def test_ingest_triages_by_default_and_stores_what_it_set_aside_as_skipped(mixed_folder, tmp_path):
    db = f"sqlite:///{tmp_path / 'wm.db'}"
    result = warmonitor("ingest", mixed_folder, "--db", db, "--quiet")
    assert result.returncode == 0, result.stderr  # setting aside is no error
    assert "1 added, 0 replaced, 0 unchanged, 0 skipped; 1 set aside by triage" in result.stderr
    store = Store.open(db)
    assert [s.reason for s in store.skipped()] == ["set aside by triage: conflict score 0 < 0.34 (no conflict word)"]
    assert store.skipped()[0].origin.endswith("school.txt")
    listed = warmonitor("reports", "--skipped", "--db", db)
    assert "school.txt: set aside by triage" in listed.stdout
    everything = warmonitor("ingest", mixed_folder, "--db", db, "--quiet", "--no-triage")
    assert "1 added, 0 replaced, 1 unchanged, 0 skipped; 0 set aside by triage" in everything.stderr
