"""Live monitoring (issue 7): `Watcher` rounds against a real HTTP server on 127.0.0.1 serving feeds
and articles, some of them broken (slow, 500, broken XML, 30 MB, a redirect to file:), into a real
store (SQLite file and PostgreSQL). New articles are ingested once, conditional requests are
honoured, failures are isolated and retried, alerts fire once, and a stopped round resumes after a
restart. The `warmonitor watch` command itself (SIGTERM, the structured log) is tested at the end."""
from __future__ import annotations

import io
import json
import signal
import subprocess
import sys
import threading
import time
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest

from local_site import Page, Site
from warmonitor.reports import read_text_report
from warmonitor.store import Store
from warmonitor.watch import (AlertRuleError, Delivery, Fetcher, FetchPolicy, SourceError, Watcher, WatchState,
                              check_target, parse_rule)
from warmonitor.watch.alerts import evaluate

REPO = Path(__file__).resolve().parent.parent
START = datetime(2024, 12, 3, 12, 0)
DAY = "Tue, 03 Dec 2024 10:00:00 GMT"

CAPTURE = ("Rebels captured the town of Kafr Nabudah in northern Hama from government forces on Monday after heavy "
           "clashes, the Syrian Observatory for Human Rights said.\nAt least 12 fighters were killed in the fighting, "
           "the monitor said.")
CAPTURE_UPDATED = CAPTURE.replace("At least 12 fighters", "At least 15 fighters")
CAPTURE_AGAIN = "Rebels seized the town of Kafr Nabudah from government forces on Monday, residents said."
STRIKE = ("Government warplanes struck the town of Ariha in Idlib province on Tuesday, killing four civilians, the "
          "Syrian Observatory for Human Rights said.")


@pytest.fixture
def site():
    with Site() as running:
        yield running


@pytest.fixture(params=["sqlite", "postgresql"])
def db(request, tmp_path) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'wm.db'}"
    return request.getfixturevalue("postgres_url")


class Clock:
    def __init__(self):
        self.now = START

    def __call__(self) -> datetime:
        return self.now


def watcher(db: str, pipeline, *, clock=None, out=None, stop=None, **policy) -> Watcher:
    fetcher = Fetcher(FetchPolicy(**{"delay": 0.0, "timeout": 1.0, "retries": 1, "backoff": 0.05,
                                     "max_bytes": 1_000_000, **policy}), stop=stop)
    return Watcher(Store.open(db), pipeline, fetcher=fetcher, delivery=Delivery(stdout=out or io.StringIO()),
                   clock=clock or Clock())


def test_a_watch_ingests_new_articles_once_isolates_failures_and_fires_an_alert_once(pipeline, site, db, tmp_path):
    site.article("/capture", "Rebels take Kafr Nabudah", CAPTURE)
    site.article("/strike", "Strike on Ariha", STRIKE)
    site.feed("/monitor.xml", [("Rebels take Kafr Nabudah", "/capture", DAY), ("Strike on Ariha", "/strike", DAY)])
    site.pages["/slow.xml"] = Page(body=site.pages["/monitor.xml"].body, delay=3.0, content_type="application/rss+xml")
    site.pages["/down.xml"] = Page(status=500)
    site.pages["/broken.xml"] = Page(body=b'<?xml version="1.0"?><rss version="2.0"><channel><item><title>Broken',
                                     content_type="application/rss+xml")
    site.pages["/huge.xml"] = Page(size=30 * 1024 * 1024)
    site.pages["/away.xml"] = Page(status=302, location="file:///etc/passwd")
    clock, out = Clock(), io.StringIO()
    w = watcher(db, pipeline, clock=clock, out=out)
    state = WatchState(w.store)
    for path in ("/monitor.xml", "/slow.xml", "/down.xml", "/broken.xml", "/huge.xml", "/away.xml"):
        state.add_source(site.url(path), name=f"Feed {path}", scale="National", now=START)
    alert_file = tmp_path / "alerts.jsonl"
    state.add_rule("control_change country=Syria", target=str(alert_file), now=START)
    state.add_rule("fatalities>=10 admin1=Hama", target="stdout", now=START)

    first = w.run_once()
    assert (first.sources, first.added, first.failed_sources, first.alerts) == (6, 2, 5, 2), first.line()
    assert {r.url for r in w.store.reports()} == {site.url("/capture"), site.url("/strike")}
    errors = {s.url.rsplit("/", 1)[1]: s.last_error for s in state.sources() if s.last_error}
    assert "timed out" in errors["slow.xml"] and "HTTP 500" in errors["down.xml"]
    assert "not a readable RSS/Atom feed" in errors["broken.xml"] and "larger than the limit" in errors["huge.xml"]
    assert "only http and https" in errors["away.xml"] and "monitor.xml" not in errors
    assert all(s.retry_at > START for s in state.sources() if s.last_error)
    (alert,) = [json.loads(line) for line in alert_file.read_text().splitlines()]
    assert alert["control_change"]["place"] == "Kafr Nabudah" and alert["report"]["url"] == site.url("/capture")
    assert alert["evidence"][0]["url"] == site.url("/capture") and "captured" in alert["evidence"][0]["text"]
    assert out.getvalue().count("ALERT [fatalities] 12 killed") == 1
    events = w.store.events()
    assert {e.event.source_scale for e in events} == {"Other-National"}  # the monitor's, then the source's

    # the next round: the feed answers 304 to its validators, the failed ones wait for their retry time
    hits = dict(site.hits)
    second = w.run_once()
    assert (second.not_modified, second.added, second.alerts) == (1, 0, 0), second.line()
    assert site.requests[-1][0] == "/monitor.xml" and "If-None-Match" in site.requests[-1][1]
    assert {p: n for p, n in site.hits.items() if p != "/monitor.xml"} == {p: n for p, n in hits.items()
                                                                         if p != "/monitor.xml"}

    # an hour later the 500 feed works again, listing a second report of the capture and the first one
    site.article("/capture-again", "Kafr Nabudah falls", CAPTURE_AGAIN)
    site.feed("/down.xml", [("Kafr Nabudah falls", "/capture-again", DAY), ("Rebels take Kafr Nabudah", "/capture", DAY)])
    clock.now = START + timedelta(hours=1)
    third = w.run_once()
    assert third.added == 1 and third.failed_sources == 4, third.line()
    assert site.hits["/capture"] == 1  # stored already: not fetched again
    assert len(alert_file.read_text().splitlines()) == 1  # the same capture: no second alert
    (fused,) = [e for e in w.store.events() if e.event.location == "Kafr Nabudah"]
    assert fused.reports == 2

    # the monitor updates its story: a new stamp in the feed, a new text at the same URL
    site.article("/capture", "Rebels take Kafr Nabudah", CAPTURE_UPDATED)
    site.feed("/monitor.xml", [("Rebels take Kafr Nabudah", "/capture", "Tue, 03 Dec 2024 13:00:00 GMT"),
                               ("Strike on Ariha", "/strike", DAY)])
    fourth = w.run_once()
    assert fourth.replaced == 1 and fourth.added == 0, fourth.line()
    (stored,) = [r for r in w.store.reports() if r.url == site.url("/capture")]
    assert "15 fighters" in w.store.report_text(stored.id)
    texts = [e.text for e in w.store.event(stored.id + "-0").event.evidence]
    assert not any("12 fighters" in t for t in texts)
    assert len(alert_file.read_text().splitlines()) == 1
    assert out.getvalue().count("ALERT [fatalities]") == 1  # the same event, now with 15 killed: not again


def test_an_article_without_conflict_content_is_set_aside_once_and_not_parsed(pipeline, site, tmp_path):
    from warmonitor.triage import Triage
    db = f"sqlite:///{tmp_path / 'wm.db'}"
    site.article("/strike", "Strike on Ariha", STRIKE)
    site.article("/fair", "Spring fair opens", "The town's spring fair opened on Saturday with a parade, music and "
                 "a market of local produce. Organisers expect some 20,000 visitors over the weekend, and the "
                 "council has added buses from the station to the fairground.")
    site.feed("/news.xml", [("Strike on Ariha", "/strike", DAY), ("Spring fair opens", "/fair", DAY)])
    w = watcher(db, pipeline)
    w.triage = Triage.load()
    WatchState(w.store).add_source(site.url("/news.xml"), name="Local News", now=START)
    first = w.run_once()
    assert (first.added, first.set_aside) == (1, 1), first.line()
    assert [s.reason.split(":")[0] for s in w.store.skipped()] == ["set aside by triage"]
    assert {r.url for r in w.store.reports()} == {site.url("/strike")}
    site.feed("/news.xml", [("Strike on Ariha", "/strike", DAY), ("Spring fair opens", "/fair", DAY),
                            ("Strike on Ariha", "/strike", DAY)])  # the feed changes: it is read again
    second = w.run_once()
    assert (second.added, second.set_aside) == (0, 0) and site.hits["/fair"] == 1, second.line()


def test_a_round_stopped_half_way_resumes_after_a_restart(pipeline, site, tmp_path):
    db = f"sqlite:///{tmp_path / 'wm.db'}"
    towns = ["Ariha", "Saraqib", "Maarat al-Numan", "Khan Shaykhun", "Jisr al-Shughur", "Kafr Nabl"]
    entries = []
    for n, town in enumerate(towns):
        site.article(f"/a{n}", f"Strike on {town}",
                     f"Government warplanes struck the town of {town} in Idlib province on Tuesday, killing {n + 2} "
                     f"civilians, the Syrian Observatory for Human Rights said.")
        entries.append((f"Strike on {town}", f"/a{n}", DAY))
    feed = site.feed("/idlib.xml", entries)
    stop = threading.Event()
    site.on_request = lambda path: stop.set() if path == "/a3" else None
    w = watcher(db, pipeline, stop=stop, per_host=1)
    WatchState(w.store).add_source(feed, name="Idlib Monitor", now=START)
    first = w.run_once()
    assert first.stopped
    stored = {r.url for r in w.store.reports()}
    assert len(stored) < 6
    assert WatchState(w.store).source(feed).etag is None  # the feed is read again after a restart

    site.on_request = None
    again = watcher(db, pipeline)  # a new process: a new store connection, nothing in memory
    second = again.run_once()
    assert not second.stopped and second.added == 6 - len(stored), second.line()
    assert len(again.store.reports()) == 6
    assert all(site.hits[url.split(str(site.server.server_port), 1)[1]] == 1 for url in stored)
    assert WatchState(again.store).source(feed).etag is not None


def test_an_article_source_is_fetched_conditionally_and_reingested_when_it_changes(pipeline, site, tmp_path):
    db = f"sqlite:///{tmp_path / 'wm.db'}"
    url = site.article("/live", "Rebels take Kafr Nabudah", CAPTURE)
    w = watcher(db, pipeline)
    WatchState(w.store).add_source(url, name="Live page", kind="article", now=START)
    assert w.run_once().added == 1
    assert w.run_once().unchanged == 1 and "If-None-Match" in site.requests[-1][1]
    site.article("/live", "Rebels take Kafr Nabudah", CAPTURE_UPDATED)
    assert w.run_once().replaced == 1
    assert len(w.store.reports()) == 1


def test_an_article_that_fails_is_retried_at_its_time_even_when_the_feed_is_unchanged(pipeline, site, tmp_path):
    db = f"sqlite:///{tmp_path / 'wm.db'}"
    site.article("/strike", "Strike on Ariha", STRIKE)
    site.pages["/capture"] = Page(status=500)
    feed = site.feed("/monitor.xml", [("Rebels take Kafr Nabudah", "/capture", DAY), ("Strike on Ariha", "/strike", DAY)])
    clock = Clock()
    w = watcher(db, pipeline, clock=clock)
    WatchState(w.store).add_source(feed, name="Monitor", now=START)
    first = w.run_once()
    assert (first.added, first.failed_articles) == (1, 1), first.line()
    site.article("/capture", "Rebels take Kafr Nabudah", CAPTURE)
    hits = site.hits["/capture"]
    assert w.run_once().not_modified == 1 and site.hits["/capture"] == hits  # not due yet
    clock.now = START + timedelta(minutes=6)
    third = w.run_once()
    assert (third.not_modified, third.added, third.failed_articles) == (1, 1, 0), third.line()
    assert {r.url for r in w.store.reports()} == {site.url("/capture"), site.url("/strike")}


def test_a_failing_webhook_keeps_the_alert_and_delivers_it_once_later(pipeline, site, tmp_path):
    db = f"sqlite:///{tmp_path / 'wm.db'}"
    site.article("/capture", "Rebels take Kafr Nabudah", CAPTURE)
    feed = site.feed("/monitor.xml", [("Rebels take Kafr Nabudah", "/capture", DAY)])
    w = watcher(db, pipeline)
    state = WatchState(w.store)
    state.add_source(feed, name="Monitor", now=START)
    state.add_rule("control_change", target=site.url("/hook"), now=START)
    site.post_status = 503
    assert w.run_once().alerts == 1
    (pending,) = state.alerts(undelivered=True)
    assert "HTTP 503" in pending.delivery_error
    site.post_status = 204
    w.run_once()
    w.run_once()
    assert state.alerts(undelivered=True) == []
    delivered = [json.loads(body) for path, body in site.posts]
    assert len(delivered) == 2 and delivered[-1]["control_change"]["place"] == "Kafr Nabudah"  # refused, then taken
    assert delivered[-1]["evidence"][0]["url"] == site.url("/capture")


def test_new_actor_and_figure_jump_rules_read_what_a_save_changed(pipeline, tmp_path):
    store = Store.open(f"sqlite:///{tmp_path / 'wm.db'}")

    def saved(text: str, day: int):
        report = read_text_report(text, origin="t", published=date(2024, 12, day), publisher="Wire")
        store.save(pipeline.extract(report))
        return store.changes(report.id)

    new_actor, jump = parse_rule("new_actor admin1=Hama"), parse_rule("displaced*2 country=Syria")
    first = saved("Hayat Tahrir al-Sham fighters attacked army positions near Kafr Nabudah in Hama province on "
                  "Tuesday, the Syrian Observatory for Human Rights said.", 3)
    assert {a.payload["actor"] for a in evaluate(new_actor, first)} == {
        "Hayat Tahrir al-Sham", "Military Forces of Syria (2000-2024)"}
    second = saved("Hayat Tahrir al-Sham fighters clashed with army units in Kafr Zita in Hama province on "
                   "Wednesday, the Syrian Observatory for Human Rights said.", 4)
    assert evaluate(new_actor, second) == []
    strike = saved("Government warplanes struck the town of Kafr Zita in Hama province on Thursday, killing three "
                   "civilians, the Syrian Observatory for Human Rights said.", 5)
    assert "Civilians (Syria)" in {e.event.actor2 for e in strike.events}
    assert evaluate(new_actor, strike) == []  # civilians are the harmed, not a new side
    base = saved("The United Nations said on Friday that about 50,000 people have been displaced in northern Hama "
                 "since the offensive began.", 6)
    assert evaluate(jump, base) == []  # nothing to jump from
    small = saved("The United Nations said on Saturday that about 70,000 people have been displaced in northern Hama "
                  "since the offensive began.", 7)
    assert evaluate(jump, small) == []  # x1.4
    (big,) = evaluate(jump, saved("The United Nations said on Sunday that about 150,000 people have been displaced "
                                  "in northern Hama since the offensive began.", 8))
    assert big.payload["previous"]["value"] == 70_000 and "jumped from 70,000 to 150,000" in big.summary
    assert evaluate(parse_rule("displaced>=100000"), store.changes(big.payload["report"]["id"]))


@pytest.mark.parametrize("rule, message", [
    ("", "empty alert rule"), ("capture country=Syria", "unknown kind"), ("control_change Syria", "NAME=VALUE"),
    ("control_change actor=HTS", "filter on country, admin1, place, controller"),
    ("wounded>=3", "not fatalities or a figure metric"), ("killed*1", "above 1"),
    ('new_event admin1="North Darfur', "quotation")])
def test_a_bad_alert_rule_is_refused_with_the_reason(rule, message):
    with pytest.raises(AlertRuleError, match=message):
        parse_rule(rule)


def test_rules_sources_and_targets_are_checked(tmp_path):
    assert parse_rule('new_event admin1="North Darfur" type=Battles').filters == (("admin1", "North Darfur"),
                                                                                  ("type", "Battles"))
    assert parse_rule("fatalities>=10 admin1=Hama").threshold == 10
    with pytest.raises(SourceError, match="http:// or https://"):
        check_target("ftp://example.org/hook")
    with pytest.raises(AlertRuleError, match="is a folder"):
        check_target(str(tmp_path))
    state = WatchState(Store.open(f"sqlite:///{tmp_path / 'wm.db'}"))
    state.add_source("https://example.org/feed.xml", name="Example", now=START)
    with pytest.raises(SourceError, match="a source already"):
        state.add_source("https://example.org/feed.xml", now=START)
    with pytest.raises(SourceError, match="http:// or https://"):
        state.add_source("file:///etc/passwd", now=START)
    assert state.remove_source("1").name == "Example" and state.sources() == []


def warmonitor(*args: str, **options) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "warmonitor.cli", *args], cwd=REPO, text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, **options)


def test_watch_stops_cleanly_on_sigterm_and_a_restart_finishes_the_rest(site, tmp_path):
    db = f"sqlite:///{tmp_path / 'wm.db'}"
    towns = ["Ariha", "Saraqib", "Maarat al-Numan", "Khan Shaykhun", "Jisr al-Shughur", "Kafr Nabl", "Sarmin", "Binnish"]
    for n, town in enumerate(towns):
        site.article(f"/s{n}", f"Strike on {town}", f"Government warplanes struck the town of {town} in Idlib "
                     f"province on Tuesday, killing {n + 2} civilians, the Syrian Observatory for Human Rights said.")
        site.pages[f"/s{n}"].delay = 0.4  # slow enough to be stopped half way
    feed = site.feed("/idlib.xml", [(f"Strike on {t}", f"/s{n}", DAY) for n, t in enumerate(towns)])
    add = subprocess.run([sys.executable, "-m", "warmonitor.cli", "sources", "add", feed, "--name", "Idlib Monitor",
                          "--db", db], cwd=REPO, capture_output=True, text=True, timeout=120)
    assert add.returncode == 0, add.stderr
    log = tmp_path / "watch.log"
    proc = warmonitor("watch", "--every", "1m", "--db", db, "--delay", "0", "--per-host", "1", "--batch-size", "1",
                      "--log-file", str(log))
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline and '"event": "article_added"' not in (log.read_text() if log.exists() else ""):
        time.sleep(0.1)
    proc.send_signal(signal.SIGTERM)
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == 0, err
    lines = [json.loads(line) for line in log.read_text().splitlines()]
    assert any(line.get("event") == "stopping" for line in lines), lines[-3:]
    store = Store.open(db)
    first = {r.url for r in store.reports()}
    assert 1 <= len(first) < len(towns) and "stopped" in err
    assert all(r.events == 1 for r in store.reports())  # every stored article whole, with its event

    again = subprocess.run([sys.executable, "-m", "warmonitor.cli", "watch", "--once", "--db", db, "--delay", "0"],
                           cwd=REPO, capture_output=True, text=True, timeout=300)
    assert again.returncode == 0, again.stderr
    assert f"{len(towns) - len(first)} added" in again.stderr
    assert sorted(r.url for r in Store.open(db).reports()) == sorted(site.url(f"/s{n}") for n in range(len(towns)))


def test_the_sources_and_alerts_commands_keep_their_lists_in_the_store(tmp_path):
    from click.testing import CliRunner

    from warmonitor.cli import main
    db = ["--db", f"sqlite:///{tmp_path / 'wm.db'}"]
    run = CliRunner().invoke
    added = run(main, ["sources", "add", "https://example.org/feed.xml", "--name", "Example Monitor", "--scale",
                       "national-international", "--reliability", "monitor", *db])
    assert added.exit_code == 0, added.output
    assert run(main, ["sources", "add", "https://example.org/feed.xml", *db]).exit_code == 1
    assert run(main, ["sources", "add", "https://example.org/x", "--scale", "Huge", *db]).exit_code == 2
    (listed,) = json.loads(run(main, ["sources", "list", "--format", "json", *db]).stdout)
    assert (listed["name"], listed["scale"], listed["kind"]) == ("Example Monitor", "National-International", "feed")
    assert run(main, ["alerts", "add", "control_change country=Syria", "--to", str(tmp_path / "a.jsonl"), *db]).exit_code == 0
    bad = run(main, ["alerts", "add", "capture country=Syria", *db])
    assert bad.exit_code == 2 and "unknown kind 'capture'" in bad.output
    assert "control_change country=Syria" in run(main, ["alerts", "list", *db]).stdout
    assert run(main, ["alerts", "fired", *db]).exit_code == 0
    assert run(main, ["alerts", "remove", "1", *db]).exit_code == 0
    assert run(main, ["alerts", "remove", "1", *db]).exit_code == 1
    assert run(main, ["sources", "remove", "https://example.org/feed.xml", *db]).exit_code == 0
    assert run(main, ["watch", "--every", "soon", *db]).exit_code == 2


def test_the_monitoring_tables_migrate_down_and_up_again(db):
    """Revision 0005 on SQLite and PostgreSQL: down to 0004 drops its tables and keeps the rest, up
    again restores them."""
    from importlib import resources

    import sqlalchemy as sa
    from alembic import command
    from alembic.config import Config
    store = Store.open(db)
    WatchState(store).add_source("https://example.org/feed.xml", now=START)
    config = Config()
    config.set_main_option("script_location", str(resources.files("warmonitor.store") / "migrations"))
    monitoring = {"sources", "articles", "alert_rules", "alerts"}
    with store.engine.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, "0004")
    tables = set(sa.inspect(store.engine).get_table_names())
    assert not monitoring & tables and "reports" in tables
    store.migrate()
    assert monitoring <= set(sa.inspect(store.engine).get_table_names()) and WatchState(store).sources() == []
