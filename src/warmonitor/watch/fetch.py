"""Fetching feeds and pages over HTTP(S), politely: the only module of `watch` that talks to the network.

    fetcher = Fetcher(FetchPolicy(delay=1.0))
    page = fetcher.get(url, etag=..., last_modified=...)   # a Fetched (status 200 or 304) or FetchError

What it guarantees, whatever the server does:
- only http and https, also after a redirect (a redirect to file:, ftp: or javascript: is refused);
- a conditional request when validators are given (If-None-Match / If-Modified-Since); a 304 is a
  Fetched with no body;
- at most `per_host` requests at a time to one host and `delay` seconds between the starts of two
  requests to it; a timeout on connecting and on every read;
- retries with exponential backoff on connection errors, timeouts, 429 and 5xx answers, then a
  FetchError naming the URL and the reason;
- no body larger than `max_bytes` is read (the declared length is checked first, then the bytes
  as they arrive);
- a user agent that names warmonitor and where to read about it.
"""
from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit

import httpx

from ..errors import WarmonitorError

log = logging.getLogger(__name__)



def default_user_agent() -> str:
    """'warmonitor/0.1.0 (automated conflict monitor; +<project page>)': who is asking, and where to read why."""
    from importlib.metadata import PackageNotFoundError, version
    try:
        release = version("warmonitor")
    except PackageNotFoundError:
        release = "dev"
    return f"warmonitor/{release} (automated conflict monitor; +https://github.com/warmonitor/warmonitor)"

_RETRY_STATUS = frozenset({429, 500, 502, 503, 504})
_REDIRECTS = frozenset({301, 302, 303, 307, 308})


class FetchError(WarmonitorError):
    """A URL could not be fetched (refused scheme, too large, timed out, an error status ...)."""

    def __init__(self, url: str, reason: str, *, status: int | None = None):
        super().__init__(f"{url}: {reason}")
        self.url = url
        self.reason = reason
        self.status = status


@dataclass(frozen=True, kw_only=True)
class FetchPolicy:
    user_agent: str = field(default_factory=default_user_agent)
    timeout: float = 20.0  # seconds, to connect and for each read
    retries: int = 2  # further attempts after a failed one
    backoff: float = 1.0  # seconds before the first retry, doubled for each next one
    max_bytes: int = 10 * 1024 * 1024
    per_host: int = 2  # requests at a time to one host
    delay: float = 1.0  # seconds between the starts of two requests to one host
    max_redirects: int = 5


@dataclass(frozen=True, kw_only=True)
class Fetched:
    url: str  # the URL asked for
    final_url: str  # after redirects
    status: int  # 200 or 304
    body: bytes = b""
    content_type: str = ""
    etag: str | None = None
    last_modified: str | None = None

    @property
    def not_modified(self) -> bool:
        return self.status == 304


class _Host:
    """One host's politeness: a limit on requests at a time and a minimum gap between their starts."""

    def __init__(self, per_host: int):
        self.slots = threading.BoundedSemaphore(per_host)
        self.lock = threading.Lock()
        self.next_start = 0.0


class Fetcher:
    """Thread-safe: many worker threads may call `get` at once; the per-host limits hold across them.
    `stop` (a threading.Event) cuts short the waits between requests and retries."""

    def __init__(self, policy: FetchPolicy = FetchPolicy(), *, stop: threading.Event | None = None):
        self.policy = policy
        self.stop = stop or threading.Event()
        self._client = httpx.Client(headers={"User-Agent": policy.user_agent}, follow_redirects=False,
                                    timeout=httpx.Timeout(policy.timeout),
                                    limits=httpx.Limits(max_connections=64, max_keepalive_connections=16))
        self._hosts: dict[str, _Host] = {}
        self._hosts_lock = threading.Lock()

    def close(self) -> None:
        self._client.close()

    def __enter__(self) -> "Fetcher":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def get(self, url: str, *, etag: str | None = None, last_modified: str | None = None) -> Fetched:
        """GET `url` (conditionally when validators are given), following up to max_redirects http(s)
        redirects and retrying transient failures. Raises FetchError."""
        _check_scheme(url, url)
        headers = {}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        attempt = 0
        while True:
            try:
                return self._follow(url, headers)
            except _Transient as exc:
                if attempt >= self.policy.retries or self.stop.is_set():
                    raise FetchError(url, f"{exc.reason} (after {attempt + 1} attempts)", status=exc.status) from None
                wait = self.policy.backoff * 2 ** attempt
                log.info("retrying %s in %.1f s: %s", url, wait, exc.reason,
                         extra={"event": "fetch_retry", "url": url, "reason": exc.reason, "wait_s": wait})
                attempt += 1
                if self.stop.wait(wait):
                    raise FetchError(url, f"{exc.reason} (stopped before retrying)", status=exc.status) from None

    def _follow(self, url: str, headers: dict) -> Fetched:
        current = url
        for _ in range(self.policy.max_redirects + 1):
            response = self._request(current, headers)
            if response.status not in _REDIRECTS:
                return Fetched(url=url, final_url=current, status=response.status, body=response.body,
                               content_type=response.content_type, etag=response.etag,
                               last_modified=response.last_modified)
            if not response.location:
                raise FetchError(url, f"redirect ({response.status}) without a Location", status=response.status)
            current = urljoin(current, response.location)
            _check_scheme(url, current)
        raise FetchError(url, f"more than {self.policy.max_redirects} redirects")

    def _request(self, url: str, headers: dict) -> "_Response":
        host = self._host(url)
        with host.slots:
            if self.stop.is_set():  # a worker that waited for its slot while the watch was stopping
                raise FetchError(url, "stopped before the request")
            self._wait_turn(host, url)
            try:
                with self._client.stream("GET", url, headers=headers) as response:
                    status = response.status_code
                    if status in _RETRY_STATUS:
                        raise _Transient(f"HTTP {status}", status)
                    if status in _REDIRECTS or status == 304:
                        return _Response(status, b"", response.headers)
                    if status != 200:
                        raise FetchError(url, f"HTTP {status}", status=status)
                    return _Response(status, self._read_body(url, response), response.headers)
            except httpx.InvalidURL as exc:  # a Location httpx cannot even parse (javascript:alert(1))
                raise FetchError(url, f"refused: an invalid URL or redirect target ({exc})") from exc
            except httpx.TimeoutException as exc:
                raise _Transient(f"timed out ({type(exc).__name__}, limit {self.policy.timeout:g} s)") from exc
            except httpx.TransportError as exc:
                raise _Transient(f"connection failed ({type(exc).__name__}: {exc})") from exc

    def _read_body(self, url: str, response: httpx.Response) -> bytes:
        limit = self.policy.max_bytes
        declared = response.headers.get("Content-Length")
        if declared and declared.isdigit() and int(declared) > limit:
            raise FetchError(url, f"body of {int(declared):,} bytes is larger than the limit of {limit:,}")
        chunks, size = [], 0
        for chunk in response.iter_bytes():
            size += len(chunk)
            if size > limit:
                raise FetchError(url, f"body is larger than the limit of {limit:,} bytes")
            chunks.append(chunk)
        return b"".join(chunks)

    def _host(self, url: str) -> _Host:
        key = urlsplit(url).netloc.lower()
        with self._hosts_lock:
            if key not in self._hosts:
                self._hosts[key] = _Host(self.policy.per_host)
            return self._hosts[key]

    def _wait_turn(self, host: _Host, url: str) -> None:
        with host.lock:
            now = time.monotonic()
            start = max(now, host.next_start)
            host.next_start = start + self.policy.delay
        if start > now and self.stop.wait(start - now):
            raise FetchError(url, "stopped before the request")


class _Transient(Exception):
    """A failure worth another attempt (timeout, connection error, 429, 5xx)."""

    def __init__(self, reason: str, status: int | None = None):
        super().__init__(reason)
        self.reason = reason
        self.status = status


@dataclass(frozen=True)
class _Response:
    status: int
    body: bytes
    headers: httpx.Headers

    @property
    def location(self) -> str | None:
        return self.headers.get("Location")

    @property
    def content_type(self) -> str:
        return self.headers.get("Content-Type", "")

    @property
    def etag(self) -> str | None:
        return self.headers.get("ETag")

    @property
    def last_modified(self) -> str | None:
        return self.headers.get("Last-Modified")


def _check_scheme(asked: str, url: str) -> None:
    scheme = urlsplit(url).scheme.lower()
    if scheme not in ("http", "https"):
        what = "URL" if url == asked else f"redirect to '{url}'"
        raise FetchError(asked, f"{what} refused: only http and https are fetched, not '{scheme or 'no scheme'}'")
