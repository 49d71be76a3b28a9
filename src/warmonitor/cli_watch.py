"""The live-monitoring commands: `warmonitor sources`, `warmonitor alerts` and `warmonitor watch`, a thin
layer over `warmonitor.watch` (added to the `warmonitor` group by cli.py)."""
from __future__ import annotations

import json
import logging
import re
import signal
import sys
import threading

import click

from .cli_store import DB_OPTION, open_store
from .errors import WarmonitorError

#: ACLED's source_scale words; a scale may join several with "-" ("National-International")
SCALES = ("Local", "Subnational", "National", "Regional", "International", "New media", "Other")
_DURATION = re.compile(r"^(\d+(?:\.\d+)?)\s*(s|m|h|d)?$")
_SECONDS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def _duration(ctx, param, value):
    if value is None:
        return None
    match = _DURATION.match(value.strip().lower())
    if not match or float(match.group(1)) <= 0:
        raise click.BadParameter(f"'{value}' is not a duration such as 90s, 10m, 2h or 1d")
    return float(match.group(1)) * _SECONDS[match.group(2) or "s"]


def _scale(ctx, param, value):
    if value is None:
        return None
    known = {s.lower(): s for s in SCALES}
    parts = [p.strip() for p in value.split("-")]
    if not all(p.lower() in known for p in parts):
        raise click.BadParameter(f"'{value}' is not an ACLED source scale ({', '.join(SCALES)}, or several joined "
                                 f"by '-' such as National-International)")
    return "-".join(known[p.lower()] for p in parts)


def _state(db_url):
    from .watch import WatchState
    return WatchState(open_store(db_url))


def _done(work, *args, **options):
    """`work(*args, **options)`, its WarmonitorError turned into the command's error message."""
    try:
        return work(*args, **options)
    except WarmonitorError as exc:
        raise click.ClickException(str(exc))


def _print(rows: list[dict], output_format: str, line) -> None:
    if output_format == "json":
        click.echo(json.dumps(rows, ensure_ascii=False, indent=1, default=str))
    else:
        for row in rows:
            click.echo(line(row))


# -- sources -----------------------------------------------------------------------------------------
@click.group()
def sources() -> None:
    """The sources `watch` follows: RSS/Atom feeds and single pages, kept in the store."""


@sources.command(name="add")
@click.argument("url")
@click.option("--name", help="What to call it (default: the URL's host); used as the publisher of its articles.")
@click.option("--scale", callback=_scale, help="ACLED source scale: Local, Subnational, National, Regional, "
                                               "International, New media, Other (or joined: National-International).")
@click.option("--reliability", help="A note on the source for readers (\"state media\", \"monitor with a network on "
                                    "the ground\").")
@click.option("--kind", type=click.Choice(["feed", "article"]), default="feed", show_default=True,
              help="feed: an RSS/Atom feed whose entries are fetched; article: one page, re-read when it changes.")
@DB_OPTION
def sources_add(url, name, scale, reliability, kind, db_url) -> None:
    """Follow URL (an RSS/Atom feed, or one page with --kind article)."""
    from .watch import utcnow
    source = _done(_state(db_url).add_source, url, name=name, kind=kind, scale=scale, reliability=reliability,
                   now=utcnow())
    click.echo(f"source {source.id} added: {source.name} ({source.kind}) {source.url}", err=True)


@sources.command(name="list")
@click.option("--format", "output_format", type=click.Choice(["table", "json"]), default="table", show_default=True)
@DB_OPTION
def sources_list(output_format, db_url) -> None:
    """Every source with its state: last check, last error, next retry."""
    import dataclasses
    rows = [dataclasses.asdict(s) for s in _state(db_url).sources()]

    def line(s: dict) -> str:
        status = f"ERROR {s['last_error']} (retry {s['retry_at']:%Y-%m-%d %H:%M})" if s["last_error"] else (
            f"ok {s['checked_at']:%Y-%m-%d %H:%M} (HTTP {s['last_status']})" if s["checked_at"] else "not checked yet")
        return "  ".join([str(s["id"]), s["kind"], s["name"], s["scale"] or "-", s["url"], status])

    _print(rows, output_format, line)
    click.echo(f"{len(rows)} source(s)", err=True)


@sources.command(name="remove")
@click.argument("source")
@DB_OPTION
def sources_remove(source, db_url) -> None:
    """Stop following SOURCE (its id or URL); what was ingested from it stays in the store."""
    removed = _done(_state(db_url).remove_source, source)
    click.echo(f"source {removed.id} removed: {removed.url}", err=True)


# -- alerts ------------------------------------------------------------------------------------------
@click.group()
def alerts() -> None:
    """Alert rules over what `watch` ingests, and the alerts fired."""


@alerts.command(name="add")
@click.argument("rule")
@click.option("--to", "target", default="stdout", show_default=True,
              help="Where to deliver: stdout, a JSON Lines file (alerts.jsonl), or an http(s) webhook URL (POST).")
@DB_OPTION
def alerts_add(rule, target, db_url) -> None:
    """Add an alert RULE such as "control_change country=Syria", "fatalities>=10 admin1=Hama",
    "new_actor country=Sudan", "new_event type=Battles", "displaced>=10000" or "killed*2" (see README)."""
    from .watch import check_target, parse_rule, utcnow
    try:
        parse_rule(rule)
        rule_id = _state(db_url).add_rule(rule, target=check_target(target), now=utcnow())
    except WarmonitorError as exc:
        raise click.BadParameter(str(exc), param_hint="'RULE' or '--to'")
    click.echo(f"alert rule {rule_id} added: {rule} -> {target}", err=True)


@alerts.command(name="list")
@DB_OPTION
def alerts_list(db_url) -> None:
    """The alert rules, with their ids and targets."""
    rules = _state(db_url).rules()
    for rule in rules:
        click.echo(f"{rule.id}  {rule.rule}  -> {rule.target}")
    click.echo(f"{len(rules)} rule(s)", err=True)


@alerts.command(name="remove")
@click.argument("rule_id", type=int)
@DB_OPTION
def alerts_remove(rule_id, db_url) -> None:
    """Remove the alert rule RULE_ID (and the record of what it fired)."""
    removed = _done(_state(db_url).remove_rule, rule_id)
    click.echo(f"alert rule {removed.id} removed: {removed.rule}", err=True)


@alerts.command(name="fired")
@click.option("--limit", type=click.IntRange(1), default=50, show_default=True, help="The most recent N alerts.")
@click.option("--format", "output_format", type=click.Choice(["table", "json"]), default="table", show_default=True)
@DB_OPTION
def alerts_fired(limit, output_format, db_url) -> None:
    """The alerts fired, oldest first, with their delivery state."""
    fired = _state(db_url).alerts(limit=limit)
    rows = [{"id": a.id, "rule_id": a.rule_id, "target": a.target, "fired_at": a.fired_at,
             "delivered_at": a.delivered_at, "delivery_error": a.delivery_error, **a.payload} for a in fired]

    def line(a: dict) -> str:
        state = "delivered" if a["delivered_at"] else f"NOT DELIVERED ({a['delivery_error']})"
        return f"{a['fired_at']:%Y-%m-%d %H:%M}  [{a['alert']}] {a['summary']}  {a['report']['url'] or ''}  {state}"

    _print(rows, output_format, line)
    click.echo(f"{len(rows)} alert(s)", err=True)


# -- watch -------------------------------------------------------------------------------------------
@click.command()
@click.option("--every", callback=_duration, default="10m", show_default=True,
              help="Time between rounds: 90s, 10m, 2h, 1d.")
@click.option("--once", is_flag=True, help="One round, then exit (for cron).")
@DB_OPTION
@click.option("--model", help="spaCy pipeline to use.")
@click.option("--log-file", type=click.Path(dir_okay=False), help="Write the JSON lines log here instead of stderr.")
@click.option("--timeout", type=click.FloatRange(0.1), default=20.0, show_default=True,
              help="Seconds to wait for a server to connect or send.")
@click.option("--delay", type=click.FloatRange(0), default=1.0, show_default=True,
              help="Seconds between the starts of two requests to one host.")
@click.option("--per-host", type=click.IntRange(1), default=2, show_default=True,
              help="Requests at a time to one host.")
@click.option("--max-bytes", type=click.IntRange(1024), default=10 * 1024 * 1024, show_default=True,
              help="Largest body read; a larger one is refused.")
@click.option("--batch-size", type=click.IntRange(1), help="Reports extracted together (default: the nlp "
                                                          "batch_size setting); 1 saves each article as it comes.")
@click.option("--triage/--no-triage", default=True, show_default=True,
              help="Set aside articles with no conflict content before parsing (as `ingest` does); each is logged "
                   "and stored as skipped with its score.")
def watch(every, once, db_url, model, log_file, timeout, delay, per_host, max_bytes, batch_size, triage) -> None:
    """Check every source, fetch new and updated articles, ingest them and fire the alert rules; every
    --every, or --once. Logs JSON lines; stops cleanly on SIGINT or SIGTERM."""
    from .watch import Delivery, Fetcher, FetchPolicy, Watcher, WatchSettings
    from .watch.logs import json_log_handler

    stop = threading.Event()
    log = logging.getLogger("warmonitor")
    verbose = click.get_current_context().find_root().params.get("verbose", 0)
    log.addHandler(json_log_handler(path=log_file, level=logging.DEBUG if verbose >= 2 else logging.INFO))
    log.setLevel(logging.DEBUG if verbose >= 2 else logging.INFO)
    log.propagate = False

    def on_signal(number, _frame) -> None:
        if stop.is_set():  # a second signal: do not wait for the article in hand
            raise KeyboardInterrupt
        log.info("stopping on %s after the article in hand", signal.Signals(number).name,
                 extra={"event": "stopping", "signal": signal.Signals(number).name})
        stop.set()

    for number in (signal.SIGINT, signal.SIGTERM):
        signal.signal(number, on_signal)
    store = open_store(db_url)
    from .pipeline import Pipeline
    pipeline = _done(Pipeline.load, model=model)
    fetcher = Fetcher(FetchPolicy(timeout=timeout, delay=delay, per_host=per_host, max_bytes=max_bytes), stop=stop)
    delivery = Delivery(stdout=sys.stdout)
    relevance = None
    if triage:
        from .triage import Triage
        relevance = _done(Triage.load)
    watcher = Watcher(store, pipeline, fetcher=fetcher, delivery=delivery, stop=stop,
                      settings=WatchSettings(batch_size=batch_size), triage=relevance)
    try:
        while not stop.is_set():
            summary = watcher.run_once()
            if log_file:
                click.echo(summary.line(), err=True)
            if once or stop.wait(every):
                break
    except WarmonitorError as exc:
        raise click.ClickException(str(exc))
    finally:
        fetcher.close()
        delivery.close()
    if stop.is_set():
        click.echo("stopped", err=True)
