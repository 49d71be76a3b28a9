"""The store (issue 5, first part): a real SQLite file, written by `warmonitor ingest` and read by
`events`, `event` and `reports`; idempotent, one transaction per report, safe to kill and rerun."""
from __future__ import annotations

import csv
import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

import pytest

from warmonitor.reports import read_text_report
from warmonitor.store import Store, StoreError

REPO = Path(__file__).resolve().parent.parent
EXAMPLES = REPO / "examples"


def warmonitor(*args: str, timeout: int = 600) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "warmonitor.cli", *args], capture_output=True, text=True,
                          timeout=timeout, cwd=REPO)


@pytest.fixture
def sqlite_db(tmp_path) -> str:
    return f"sqlite:///{tmp_path / 'wm.db'}"


@pytest.fixture(params=["sqlite", "postgresql"])
def db(request, tmp_path) -> str:
    """The same test on a SQLite file and on a database of a real PostgreSQL server."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'wm.db'}"
    return request.getfixturevalue("postgres_url")


def test_ingest_twice_adds_nothing_the_second_time(db):
    first = warmonitor("ingest", str(EXAMPLES), "--db", db, "--quiet")
    assert first.returncode == 0, first.stderr
    assert "9 added, 0 replaced, 0 unchanged, 0 skipped" in first.stderr
    second = warmonitor("ingest", str(EXAMPLES), "--db", db, "--quiet")
    assert "0 added, 0 replaced, 9 unchanged, 0 skipped" in second.stderr
    store = Store.open(db)
    assert len(store.reports()) == 9 and len({r.id for r in store.reports()}) == 9


def test_a_new_text_at_a_stored_url_or_id_replaces_the_old_version(pipeline, tmp_path, db):
    store = Store.open(db)
    url = "https://example.org/hama"
    old = read_text_report("Government forces shelled Kafr Nabudah on Monday, killing two civilians.",
                           origin="a", url=url, published=date(2024, 12, 3))
    new = read_text_report("Government forces shelled Kafr Nabudah on Monday, killing four civilians.",
                           origin="b", url=url, published=date(2024, 12, 3))
    assert store.save(pipeline.extract(old)) == "added"
    assert store.save(pipeline.extract(old)) == "unchanged"
    assert store.save(pipeline.extract(new)) == "replaced"
    assert [r.id for r in store.reports()] == [new.id]
    assert [e.event.fatalities for e in store.events()] == [4]
    # an input's own id with a changed text is an update too
    first = read_text_report("Clashes erupted in Aleppo on Monday.", origin="c", published=date(2024, 12, 2))
    second = read_text_report("Clashes erupted in Idlib on Monday.", origin="c", published=date(2024, 12, 2))
    first, second = (type(first)(**{**first.__dict__, "id": "my-id"}), type(second)(**{**second.__dict__, "id": "my-id"}))
    assert store.save(pipeline.extract(first)) == "added"
    assert store.save(pipeline.extract(second)) == "replaced"
    assert [e.event.location for e in store.events() if e.report_id == "my-id"] == ["Idlib"]


def test_events_are_filtered_and_an_event_shows_its_evidence(db):
    warmonitor("ingest", str(EXAMPLES), "--db", db, "--quiet")
    store = Store.open(db)
    syria = store.events(country="Syria")
    assert syria and all(e.event.country == "Syria" for e in syria)
    battles = store.events(event_type="battles")
    assert battles and all(e.event.event_type == "Battles" for e in battles)
    dated = [e.event.event_date for e in store.events() if e.event.event_date]
    day = sorted(dated)[len(dated) // 2]
    later, earlier = store.events(since=day), store.events(until=day)
    assert later and earlier and all(e.event.event_date >= day for e in later)
    assert all(e.event.event_date < day for e in earlier)
    one = store.event(syria[0].id)
    assert one.event.evidence and all(ev.text and ev.report == one.report_id for ev in one.event.evidence)
    text = store.report_text(one.report_id)  # the report is kept whole: each sentence is found where it stood
    assert all(text[ev.start:ev.end] == ev.text for ev in one.event.evidence)
    assert store.report_text("no-such-report") is None
    assert store.event("no-such-event") is None
    listed = warmonitor("events", "--db", db, "--country", "Syria", "--format", "json")
    assert [e["id"] for e in json.loads(listed.stdout)] == [e.id for e in syria]
    shown = warmonitor("event", syria[0].id, "--db", db)
    assert json.loads(shown.stdout)["evidence"][0]["text"] == one.event.evidence[0].text
    missing = warmonitor("event", "nope", "--db", db)
    assert missing.returncode == 1 and "no event 'nope'" in missing.stderr


def test_skipped_inputs_are_stored_with_their_reason(tmp_path, db):
    source = tmp_path / "feed.jsonl"
    source.write_text('{"id": "a", "text": "Clashes in Aleppo, Syria, on Monday.", "published": "2024-12-02"}\n'
                      '{broken\n{"id": "b", "text": ""}\n', "utf-8")
    result = warmonitor("ingest", str(source), "--db", db, "--quiet")
    assert result.returncode == 3 and "1 added" in result.stderr and "2 skipped" in result.stderr
    skipped = Store.open(db).skipped()
    assert [s.origin for s in skipped] == [f"{source}:2", f"{source}:3"] and all(s.reason for s in skipped)
    listed = warmonitor("reports", "--db", db, "--skipped")
    assert "feed.jsonl:2" in listed.stdout
    again = warmonitor("ingest", str(source), "--db", db, "--quiet")  # the same batch once more
    assert again.returncode == 3 and "2 skipped" in again.stderr
    later = Store.open(db).skipped()
    assert [s.origin for s in later] == [s.origin for s in skipped]  # one row each, not two
    assert all(b.at >= a.at for a, b in zip(skipped, later))


def test_a_bad_database_url_is_a_clear_error(tmp_path, postgres_server):
    with pytest.raises(StoreError, match="cannot use the database 'nosuchdb://x'"):
        Store.open("nosuchdb://x")
    result = warmonitor("events", "--db", "nosuchdb://x")
    assert result.returncode == 1 and "cannot use the database" in result.stderr
    (tmp_path / "dir").mkdir()
    result = warmonitor("events", "--db", f"sqlite:///{tmp_path / 'dir'}")  # a folder, not a database file
    assert result.returncode == 1 and "cannot open the database" in result.stderr
    absent = (f"postgresql://postgres@/no_such_database?host={postgres_server['host']}"  # the plain scheme works
              f"&port={postgres_server['port']}")
    result = warmonitor("events", "--db", absent)
    assert result.returncode == 1 and "no_such_database" in result.stderr


def test_a_new_database_is_at_the_newest_schema_revision(tmp_path, sqlite_db):
    Store.open(sqlite_db)
    with sqlite3.connect(tmp_path / "wm.db") as con:
        (revision,) = con.execute("select version_num from alembic_version").fetchone()
        tables = {r[0] for r in con.execute("select name from sqlite_master where type='table'")}
    assert revision == "0005"
    assert {"reports", "events", "evidence", "figures", "control_changes", "skipped", "mentions", "actors",
            "places"} <= tables
    Store.open(sqlite_db)  # opening again migrates nothing and fails on nothing


def _fakes_jsonl(shared_dir: Path, target: Path, n: int, *, with_ids: bool = True) -> int:
    """FA-KES articles as a JSONL feed; with_ids=False leaves the id to the text's hash (the corpus
    gives 12 ids to two different articles each)."""
    with open(shared_dir / "corpus" / "fa-kes-syria-war-news.csv", encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))[:n]
    with open(target, "w", encoding="utf-8") as out:
        for row in rows:
            record = {"title": row["article_title"], "text": row["article_content"]}
            if with_ids:
                record["id"] = row["unit_id"]
            out.write(json.dumps(record) + "\n")
    return len(rows)


@pytest.mark.shared
def test_an_ingest_killed_mid_batch_and_rerun_stores_every_report_exactly_once(shared_dir, tmp_path, sqlite_db):
    db = sqlite_db
    source = tmp_path / "fakes.jsonl"
    total = _fakes_jsonl(shared_dir, source, 80)
    database = tmp_path / "wm.db"
    process = subprocess.Popen([sys.executable, "-m", "warmonitor.cli", "ingest", str(source), "--db", db, "--quiet"],
                               cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    stored = 0
    deadline = time.time() + 300
    while time.time() < deadline and process.poll() is None:
        time.sleep(0.2)
        if database.exists():
            try:
                with sqlite3.connect(database, timeout=5) as con:  # a reader while the ingest writes (WAL)
                    stored = con.execute("select count(*) from reports").fetchone()[0]
            except sqlite3.OperationalError:
                continue  # the schema is still being created
            if stored >= 10:
                break
    assert process.poll() is None, "the ingest finished before it could be killed"
    os.kill(process.pid, signal.SIGKILL)
    process.wait()
    with sqlite3.connect(database) as con:
        at_kill = con.execute("select count(*) from reports").fetchone()[0]
        orphans = con.execute("select count(*) from events where report_id not in (select id from reports)").fetchone()[0]
    assert 10 <= at_kill < total and orphans == 0
    rerun = warmonitor("ingest", str(source), "--db", db, "--quiet")
    assert rerun.returncode in (0, 3), rerun.stderr
    with sqlite3.connect(database) as con:
        ids = [r[0] for r in con.execute("select id from reports")]
        skipped = con.execute("select count(*) from skipped").fetchone()[0]
    assert len(ids) == len(set(ids)) and len(ids) + skipped >= total
    assert f"{at_kill} unchanged" in rerun.stderr or at_kill == 0


FEED = REPO / "tests" / "fixtures" / "store" / "feed.jsonl"


def _ingest_story(pipeline, store, shared_dir: Path, order: tuple[int, ...] = (0, 1, 2, 3)) -> None:
    """The reference report and the three later reports of tests/fixtures/store/feed.jsonl (a later
    story on the capture of Hama's northern towns from another outlet, a state-media denial, a UN
    displacement update), saved in the given order."""
    from warmonitor.reports import iter_reports
    seed = read_text_report((shared_dir / "corpus" / "seed-hama.txt").read_text("utf-8"), origin="seed-hama.txt",
                            published=date(2024, 12, 3), publisher="AFP")
    reports = [seed, *iter_reports(FEED)]
    extracted = [pipeline.extract(r) for r in reports]
    for i in order:
        store.save(extracted[i])


@pytest.mark.shared
def test_the_reference_story_fuses_into_events_figures_and_control(pipeline, shared_dir, db):
    store = Store.open(db)
    _ingest_story(pipeline, store, shared_dir)
    events = store.events(country="Syria")
    captures = [e for e in events if e.event.sub_event_type == "Non-state actor overtakes territory"
                and e.event.admin1 == "Hama"]
    # the capture of the northern Hama towns, told by the reference report and by the later story
    assert len(captures) == 1 and captures[0].reports == 2
    capture = captures[0].event
    assert capture.location == "Suran" and capture.geo_precision == 1  # the more precise telling
    assert capture.fatalities == 26 and capture.actor1 == "Hayat Tahrir al-Sham"
    assert {"AFP", "Levant Monitor Wire", "Syrian Observatory for Human Rights"} <= set(capture.source)
    assert sorted(n for _, n in captures[0].fatality_claims) == [0, 26]  # each telling's count, kept
    behind = {ev.report for ev in store.event(captures[0].id).event.evidence}  # sentences of both reports
    assert "hama-towns-later" in behind and len(behind) == 2
    # every other event is told by one report only
    assert all(e.reports == 1 for e in events if e is not captures[0])
    # competing displacement figures side by side, never averaged
    displaced = {(f.place, f.attributed_to, f.value) for f in store.figures(metric="displaced")}
    assert {("Syria", "United Nations", 50000), ("Syria", "Syrian Observatory for Human Rights", 48000)} <= displaced
    assert ("Idlib", "United Nations", 115000) in displaced
    # Aleppo's control history
    aleppo = store.control("Aleppo")
    assert [(c.controller, c.date) for c in aleppo.changes] == [("Hayat Tahrir al-Sham", date(2024, 11, 29))]
    assert aleppo.controller_on(date(2024, 12, 1)) == "Hayat Tahrir al-Sham"
    assert aleppo.controller_on(date(2024, 11, 20)).startswith("Military Forces of Syria")
    # the state-media denial is kept beside the history, as what it is
    taybat = store.control("Taybat al-Imam")
    assert [(d.claim, d.publisher, d.date) for d in taybat.denials] == [
        ("Non-state actor overtakes territory", "SANA", date(2024, 12, 5))]
    # and it is no event: what the state media report tells is one clash, on the army's word
    (claimed,) = [e.event for e in store.events() if e.report_id == "sana-denial"]
    assert (claimed.sub_event_type, claimed.actor1.startswith("Military Forces of Syria")) == ("Armed clash", True)
    assert "SANA" in claimed.source
    # the map places the fused capture once, at its lead telling's place (Suran), however zoomed in
    _, cells = store.map_cells(zoom=14, west=36.5, south=35.1, east=36.9, north=35.4, event_type="battles")
    (suran,) = [c for c in cells if c.event == captures[0].id]
    assert (round(suran.latitude, 3), round(suran.longitude, 3)) == (round(capture.latitude, 3),
                                                                       round(capture.longitude, 3))
    assert suran.count == 1 and suran.location == "Suran"
    # zoomed out, the whole country is a few cells counting every placed event once
    _, world = store.map_cells(zoom=1)
    placed = [e for e in store.events() if e.event.latitude is not None]
    assert sum(c.count for c in world) == len(placed) and len(world) < len(placed)
    assert sum(n for c in world for n in c.types.values()) == len(placed)
    # a view across the antimeridian that reaches round to Syria (east of 180 is west of -180) finds it
    _, wrapped = store.map_cells(zoom=1, west=150, east=400, south=-90, north=90)
    assert sum(c.count for c in wrapped) == len(placed)
    _, elsewhere = store.map_cells(zoom=1, west=150, east=200, south=-90, north=90)
    assert elsewhere == []
    # the timeline counts the same events by day and type
    assert sum(n for _, _, n in store.timeline()) == len([e for e in store.events() if e.event.event_date])
    facets = store.facets()
    assert "Syria" in facets["countries"] and "Battles" in facets["event_types"] and "SANA" in facets["sources"]
    # actor and source filters: a part of a name, any case
    hts = store.events(actor="tahrir al-sham")
    assert captures[0].id in {e.id for e in hts}
    assert all("tahrir al-sham" in f"{e.event.actor1} {e.event.actor2}".lower() for e in hts)
    by_sana = store.events(source="sana")
    assert "sana-denial" in {e.report_id for e in by_sana} and all("SANA" in e.event.source for e in by_sana)
    assert len(by_sana) < len(store.events())
    assert store.events(source="100%_") == []  # wildcards in a filter are plain characters


def test_a_denied_capture_contests_the_change_it_denies(pipeline, db):
    store = Store.open(db)
    taken = read_text_report("Rebels captured the town of Morek in northern Hama on Monday after clashes with the army.",
                             origin="a", published=date(2024, 12, 3), publisher="Example Wire")
    denial = read_text_report("The Syrian army denied on Tuesday that rebels had captured Morek, saying its forces "
                              "still held the town.", origin="b", published=date(2024, 12, 3), publisher="SANA")
    store.save(pipeline.extract(taken))
    store.save(pipeline.extract(denial))
    history = store.control("Morek")
    assert history.changes and all(c.contested for c in history.changes)
    assert history.denials and history.denials[0].publisher == "SANA"
    shown = warmonitor("control", "Morek", "--db", db)
    assert "CONTESTED" in shown.stdout and "DENIED" in shown.stdout


@pytest.mark.shared
def test_the_same_reports_in_three_orders_give_the_same_events(pipeline, shared_dir, tmp_path):
    seen = []
    for k, order in enumerate([(0, 1, 2, 3), (3, 2, 1, 0), (2, 0, 3, 1)]):
        store = Store.open(f"sqlite:///{tmp_path / f'order{k}.db'}")
        _ingest_story(pipeline, store, shared_dir, order)
        seen.append(sorted((e.id, e.members, e.event.location, e.event.fatalities, e.event.event_date)
                           for e in store.events()))
    assert seen[0] == seen[1] == seen[2]


@pytest.mark.shared
def test_replacing_a_report_unfuses_what_it_had_joined(pipeline, shared_dir, sqlite_db):
    store = Store.open(sqlite_db)
    _ingest_story(pipeline, store, shared_dir)
    later = read_text_report("Floods closed the road between Hama and Salamiyah on Wednesday.", origin="update",
                             url="https://example.org/levant/hama-northern-towns", published=date(2024, 12, 5))
    assert store.save(pipeline.extract(later)) == "replaced"
    assert all(e.reports == 1 for e in store.events())


def test_a_store_made_at_the_first_schema_upgrades_in_place(pipeline, tmp_path):
    """A database written by the first schema (no fusion column) is upgraded when opened; its events
    keep their rows and become clusters of their own."""
    from alembic import command
    from alembic.config import Config
    import sqlalchemy as sa
    from importlib import resources
    url = f"sqlite:///{tmp_path / 'old.db'}"
    engine = sa.create_engine(url)
    config = Config()
    config.set_main_option("script_location", str(resources.files("warmonitor.store") / "migrations"))
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "0001")
        connection.execute(sa.text("insert into reports (id, content_hash, chars, ingested_at) "
                                   "values ('r1', 'h', 10, '2024-12-01 00:00:00')"))
        connection.execute(sa.text(
            "insert into events (id, report_id, n, event_date, event_type, sub_event_type, country, fatalities, "
            "source, notes, confidence) values ('r1-0', 'r1', 0, '2024-12-01', 'Battles', 'Armed clash', 'Syria', 3, "
            "'AFP', '', 0.8)"))
    engine.dispose()
    store = Store.open(url)
    (only,) = store.events()
    assert (only.id, only.members, only.event.fatalities) == ("r1-0", ("r1-0",), 3)
    assert store.timeline() == [(date(2024, 12, 1), "Battles", 1)]  # the upgrade marked it its cluster's lead
    with sqlite3.connect(tmp_path / "old.db") as con:
        assert con.execute("select version_num from alembic_version").fetchone()[0] == "0005"
    assert store.report_text("r1") is None  # stored before texts were kept


@pytest.mark.shared
def test_the_fakes_corpus_ingested_twice_adds_nothing_the_second_time(shared_dir, tmp_path, sqlite_db):
    source = tmp_path / "fakes.jsonl"
    total = _fakes_jsonl(shared_dir, source, 10_000, with_ids=False)
    first = warmonitor("ingest", str(source), "--db", sqlite_db, "--quiet", timeout=900)
    assert first.returncode in (0, 3), first.stderr
    summary = first.stderr.strip().splitlines()[-1]
    added, replaced, unchanged, skipped = (int(part.split()[0]) for part in summary.split(";")[0].split(", "))
    # 15 articles repeat an earlier one word for word: read once
    assert total == 804 and replaced == 0 and added + unchanged + skipped == total and added > 780
    second = warmonitor("ingest", str(source), "--db", sqlite_db, "--quiet", timeout=900)
    assert f"0 added, 0 replaced, {total - skipped} unchanged, {skipped} skipped" in second.stderr
    with sqlite3.connect(tmp_path / "wm.db") as con:
        assert con.execute("select count(*), count(distinct id) from reports").fetchone() == (added, added)
