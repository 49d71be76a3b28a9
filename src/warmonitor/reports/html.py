"""An HTML page -> Report, through trafilatura, without any network access.

trafilatura finds the main text (dropping navigation, share buttons and the comments section) and
the page's metadata: title, publication date (-> `published`), site name (-> `publisher`; the
registered domain when the page names no site; an author's byline is a person, not a publisher) and
canonical URL. The headline that trafilatura repeats as the text's first line is dropped, since it
is kept in `title`. The text then goes through the same furniture and wire-credit cleaning as plain
text.
"""
from __future__ import annotations

import logging
import re

from ..errors import ReportError
from ..records import Report
from .dates import parse_published
from .furniture import Furniture
from .text import ReportFields, build_report

log = logging.getLogger(__name__)

_HTML_START = re.compile(r"\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|body)[\s>]", re.I | re.S)
_HTML_TAGS = re.compile(r"<(?:p|div|article|body|head|title|meta|script)[\s>/]", re.I)


def looks_like_html(text: str) -> bool:
    """Whether `text` is an HTML document rather than prose that mentions a tag."""
    head = text[:4096]
    return bool(_HTML_START.match(head)) or len(_HTML_TAGS.findall(head)) >= 3


def read_html_report(
    html: str,
    *,
    origin: str,
    given: ReportFields = ReportFields(),
    given_wins: bool = True,
    furniture: Furniture | None = None,
) -> Report:
    """A Report from an HTML page. Raises ReportError when the page has no main text."""
    import trafilatura  # heavy import, needed only for HTML

    try:
        document = trafilatura.bare_extraction(
            html,
            with_metadata=True,
            include_comments=False,
            include_tables=False,
            # Only dates the page states as its publication date; never today's date as a guess.
            date_extraction_params={"original_date": True, "extensive_search": False},
        )
    except Exception as e:  # trafilatura and lxml raise a variety of parser errors
        raise ReportError(origin, f"cannot parse HTML ({type(e).__name__}: {e})") from e
    if document is None or not (document.text or "").strip():
        raise ReportError(origin, "no main text found in the HTML page")
    title = _clean(document.title)
    text = _drop_headline(document.text, title)
    stated = ReportFields(
        title=title,
        url=_clean(document.url),
        publisher=_clean(document.sitename) or _clean(document.hostname),
        published=parse_published(document.date, origin=origin),
    )
    return build_report(
        text,
        origin=origin,
        given=given,
        stated=stated,
        given_wins=given_wins,
        language=_clean(document.language),
        furniture=furniture,
    )


def _drop_headline(text: str, title: str | None) -> str:
    first, _, rest = text.lstrip().partition("\n")
    if title and rest.strip() and first.strip().casefold() == title.casefold():
        return rest
    return text


def _clean(value: object) -> str | None:
    if not isinstance(value, str):
        return None
    return value.strip() or None
