"""The structured log of `warmonitor watch`: one JSON object per line (on stderr, or a --log-file).

Each line has `time` (UTC, ISO 8601), `level`, `logger`, `message`, and the fields the code logs
with `extra=` (`event`: round_start, feed_read, article_added, source_failed, alert, ...; `url`,
`source`, `error`, counts), so that a log shipper or `jq` can select on them.
"""
from __future__ import annotations

import json
import logging
from datetime import datetime, timezone

_STANDARD = frozenset(vars(logging.makeLogRecord({}))) | {"message", "asctime", "taskName"}


class JsonLinesFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        line = {"time": datetime.fromtimestamp(record.created, timezone.utc).isoformat(timespec="milliseconds"),
                "level": record.levelname.lower(), "logger": record.name, "message": record.getMessage()}
        line.update({k: v for k, v in vars(record).items() if k not in _STANDARD and not k.startswith("_")})
        if record.exc_info:
            line["traceback"] = self.formatException(record.exc_info)
        return json.dumps(line, ensure_ascii=False, default=str)


def json_log_handler(stream=None, *, path: str | None = None, level: int = logging.INFO) -> logging.Handler:
    """A handler writing JSON lines to `path` (appended) or to `stream` (stderr by default)."""
    handler = logging.FileHandler(path, encoding="utf-8") if path else logging.StreamHandler(stream)
    handler.setFormatter(JsonLinesFormatter())
    handler.setLevel(level)
    return handler
