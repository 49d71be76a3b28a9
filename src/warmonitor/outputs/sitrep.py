"""Situation reports: what the store holds on an area and a period, as Markdown or as one
self-contained HTML page that prints on A4. Every text that comes from a report is escaped in HTML.

Sections: the key changes in a few generated sentences, a map of the events, events per day by type
(a chart and a table), the control changes, each source's latest figures, and the event list with the
sentence behind each event. The map and the chart are inline SVG drawn from shipped boundary data
(`svg.py`): the page needs no network. In Markdown they are embedded as data URIs.
"""
from __future__ import annotations

import base64
import html
from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime

from .svg import daily_chart, event_map


@dataclass(frozen=True, kw_only=True)
class Sitrep:
    area: str
    since: date | None
    until: date | None
    made: datetime
    events: list
    changes: list
    figures: list


def build_sitrep(store, *, country: str | None = None, admin1: str | None = None, since: date | None = None,
                 until: date | None = None) -> Sitrep:
    events = list(store.iter_events(country=country, admin1=admin1, since=since, until=until))
    events.sort(key=lambda e: (e.event.event_date or date.min, e.id))
    figures = [f for f in store.figures(country=country)
               if (not admin1 or (f.admin1 or "").lower() == admin1.lower() or (f.place or "").lower() == admin1.lower())
               and (not since or (f.published or date.min) >= since) and (not until or (f.published or date.min) < until)]
    changes = store.control_changes(country=country, admin1=admin1, since=since, until=until)
    area = ", ".join(x for x in (admin1, country) if x) or "all areas"
    return Sitrep(area=area, since=since, until=until, made=datetime.now().replace(microsecond=0), events=events,
                  changes=changes, figures=figures)


def key_sentences(rep: Sitrep) -> list[str]:
    """The few sentences an analyst reads first: how many events of which kind and how many killed,
    who took which place, and the deadliest events."""
    if not rep.events and not rep.changes:
        return [f"No event is stored for {rep.area} in this period."]
    kinds = Counter(e.event.event_type for e in rep.events)
    killed = sum(e.event.fatalities for e in rep.events)
    out = [f"{len(rep.events)} event(s) in {rep.area}: "
           + ", ".join(f"{n} {kind.lower()}" for kind, n in kinds.most_common())
           + f"; {killed} fatalities reported (the most conservative count of each event)."]
    for c in rep.changes:
        out.append(f"{c.controller} took {c.place}" + (f" from {c.previous_controller}" if c.previous_controller else "")
                   + (f" on {c.date}" if c.date else "") + f" (according to {c.publisher or c.report_id}).")
    deadliest = sorted((e for e in rep.events if e.event.fatalities), key=lambda e: -e.event.fatalities)[:3]
    for e in deadliest:
        ev = e.event
        out.append(f"Deadliest: {ev.sub_event_type.lower()} in {ev.location or ev.admin1 or ev.country}"
                   f"{' on ' + str(ev.event_date) if ev.event_date else ''}, {ev.fatalities} killed"
                   f" ({', '.join(ev.source) or 'no source named'}).")
    return out


def _by_day(rep: Sitrep) -> dict[date | None, Counter]:
    """{day (None: undated): events of each type}, counted once for the table and the chart."""
    days: dict[date | None, Counter] = {}
    for e in rep.events:
        days.setdefault(e.event.event_date, Counter())[e.event.event_type] += 1
    return days


def _per_day(days: dict[date | None, Counter]) -> tuple[list[str], list[tuple[str, list[int]]]]:
    """The table of events per day: (types, rows of (day, a count per type)), undated last."""
    kinds = sorted({k for counts in days.values() for k in counts})
    ordered = sorted(days, key=lambda d: (d is None, d or date.min))
    return kinds, [(str(day or "undated"), [days[day][k] for k in kinds]) for day in ordered]


def _drawings(rep: Sitrep, days: dict[date | None, Counter]) -> tuple[str, str]:
    """(the SVG map of the events, the SVG chart of events per day by type); either may be empty."""
    return event_map(rep.events), daily_chart({day: counts for day, counts in days.items() if day})


def _period(rep: Sitrep) -> str:
    return f"{rep.since or 'the first report'} to {rep.until or 'the latest report'}"


def render_markdown(rep: Sitrep) -> str:
    lines = [f"# Situation report: {rep.area}", "", f"Period: {_period(rep)}. Made {rep.made:%Y-%m-%d %H:%M} "
             f"by warmonitor from the reports in its store.", "", "## Key changes", ""]
    lines += [f"- {s}" for s in key_sentences(rep)]
    days = _by_day(rep)
    drawn_map, chart = _drawings(rep, days)
    if drawn_map:
        lines += ["", "## Map of events", "", f"![Map of events]({_data_uri(drawn_map)})"]
    kinds, rows = _per_day(days)
    if rows:
        lines += ["", "## Events per day by type", ""]
        lines += [f"![Events per day by type]({_data_uri(chart)})", ""] if chart else []
        lines += ["| day | " + " | ".join(kinds) + " |",
                  "|---|" + "---|" * len(kinds)]
        lines += [f"| {day} | " + " | ".join(str(n) for n in counts) + " |" for day, counts in rows]
    lines += ["", "## Control changes", ""]
    lines += [f"- {c.date or 'undated'}: {c.controller} took {c.place}"
              f"{' from ' + c.previous_controller if c.previous_controller else ''} ({c.publisher or c.report_id})"
              for c in rep.changes] or ["- none stored"]
    lines += ["", "## Figures (each source's latest)", ""]
    lines += [f"- {f.metric}: {f.value:,} in {f.place or f.country} according to {f.attributed_to or f.reported_by}"
              f" ({f.published or 'undated'})" for f in rep.figures] or ["- none stored"]
    lines += ["", "## Events", ""]
    for e in rep.events:
        ev = e.event
        lines.append(f"- **{ev.event_date or 'undated'}, {ev.sub_event_type}, {ev.location or ev.country}**: "
                     f"{ev.actor1 or 'unknown'}{' vs ' + ev.actor2 if ev.actor2 else ''}; {ev.fatalities} killed; "
                     f"sources: {', '.join(ev.source) or '-'}; {e.reports} report(s)")
        lines += [f"  > {ev_.text.strip()}" for ev_ in ev.evidence[:2]]
    return "\n".join(lines) + "\n"


def _data_uri(svg: str) -> str:
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode("utf-8")).decode("ascii")


_CSS = """body{font-family:Georgia,serif;max-width:60em;margin:2em auto;color:#222}
h1{font-size:1.6em}h2{font-size:1.2em;border-bottom:1px solid #999;margin-top:1.5em}
table{border-collapse:collapse}td,th{border:1px solid #bbb;padding:.2em .5em;text-align:right}
blockquote{margin:.2em 0 .6em 1.5em;color:#444;font-style:italic}
figure{margin:1em 0}svg{max-width:100%;height:auto;border:1px solid #ccc}
@page{size:A4;margin:18mm}@media print{body{margin:0;max-width:none}h2{page-break-after:avoid}li,figure{page-break-inside:avoid}}"""


def render_html(rep: Sitrep) -> str:
    """One self-contained page (no script, no outside asset); every text from a report is escaped."""
    esc = html.escape
    parts = [f"<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Situation report: "
             f"{esc(rep.area)}</title><style>{_CSS}</style></head><body>",
             f"<h1>Situation report: {esc(rep.area)}</h1>",
             f"<p>Period: {esc(_period(rep))}. Made {rep.made:%Y-%m-%d %H:%M} by warmonitor from the reports in its "
             f"store.</p>", "<h2>Key changes</h2><ul>"]
    parts += [f"<li>{esc(s)}</li>" for s in key_sentences(rep)]
    parts.append("</ul>")
    days = _by_day(rep)
    drawn_map, chart = _drawings(rep, days)
    if drawn_map:
        parts.append(f"<h2>Map of events</h2><figure>{drawn_map}</figure>")
    kinds, rows = _per_day(days)
    if rows:
        parts.append("<h2>Events per day by type</h2>" + (f"<figure>{chart}</figure>" if chart else "")
                     + "<table><tr><th>day</th>"
                     + "".join(f"<th>{esc(k)}</th>" for k in kinds) + "</tr>")
        parts += ["<tr><td>" + esc(day) + "</td>" + "".join(f"<td>{n}</td>" for n in counts) + "</tr>"
                  for day, counts in rows]
        parts.append("</table>")
    parts.append("<h2>Control changes</h2><ul>")
    parts += [f"<li>{esc(str(c.date or 'undated'))}: {esc(c.controller)} took {esc(c.place)}"
              f"{' from ' + esc(c.previous_controller) if c.previous_controller else ''} "
              f"({esc(c.publisher or c.report_id)})</li>" for c in rep.changes] or ["<li>none stored</li>"]
    parts.append("</ul><h2>Figures (each source's latest)</h2><ul>")
    parts += [f"<li>{esc(f.metric)}: {f.value:,} in {esc(f.place or f.country or '')} according to "
              f"{esc(f.attributed_to or f.reported_by or '')} ({esc(str(f.published or 'undated'))})</li>"
              for f in rep.figures] or ["<li>none stored</li>"]
    parts.append("</ul><h2>Events</h2><ul>")
    for e in rep.events:
        ev = e.event
        parts.append(f"<li><b>{esc(str(ev.event_date or 'undated'))}, {esc(ev.sub_event_type)}, "
                     f"{esc(ev.location or ev.country or '')}</b>: {esc(ev.actor1 or 'unknown')}"
                     f"{' vs ' + esc(ev.actor2) if ev.actor2 else ''}; {ev.fatalities} killed; sources: "
                     f"{esc(', '.join(ev.source) or '-')}; {e.reports} report(s)"
                     + "".join(f"<blockquote>{esc(x.text.strip())}</blockquote>" for x in ev.evidence[:2]) + "</li>")
    parts.append("</ul></body></html>")
    return "\n".join(parts) + "\n"
