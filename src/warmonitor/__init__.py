"""warmonitor: conflict reports in, coded and attributed events, figures and control changes out.

    from warmonitor import Pipeline, extract, read_text_report
    pipeline = Pipeline.load()                      # loads spaCy, the gazetteer and the registries once
    result = pipeline.extract(read_text_report(text, origin="memo", published=date(2024, 12, 3)))
    result.events, result.figures, result.control_changes, result.mentions

`extract(text_or_report, published=..., publisher=...)` does the same in one call (it builds a
pipeline the first time; pass `pipeline=` to reuse your own).
"""
from __future__ import annotations

from datetime import date

from .errors import ModelError, ReferenceDataError, ReportError, WarmonitorError
from .records import ControlChange, Event, Extraction, Figure, Mention, Report, Skipped

__all__ = ["ControlChange", "Event", "Extraction", "Figure", "Mention", "ModelError", "Pipeline",
           "ReferenceDataError", "Report", "ReportError", "Skipped", "WarmonitorError", "extract",
           "iter_reports", "read_text_report", "to_dict"]


def __getattr__(name):
    # heavy modules (spaCy) load on first use, not at import
    if name == "Pipeline":
        from .pipeline import Pipeline
        return Pipeline
    if name in ("iter_reports", "read_text_report"):
        from . import reports
        return getattr(reports, name)
    if name == "to_dict":
        from .outputs.contract import extraction_to_dict
        return extraction_to_dict
    raise AttributeError(name)


def extract(report: "Report | str", *, published: date | None = None, publisher: str | None = None,
            url: str | None = None, title: str | None = None, pipeline=None) -> Extraction:
    """Extract one report (a Report, or text) into events, figures, control changes and mentions."""
    from .pipeline import Pipeline
    from .reports import read_text_report
    if isinstance(report, str):
        report = read_text_report(report, origin="<text>", published=published, publisher=publisher, url=url,
                                  title=title)
    return (pipeline or Pipeline.load()).extract(report)
