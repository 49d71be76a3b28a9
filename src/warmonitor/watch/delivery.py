"""Delivering alerts: a line on standard output, a line of a JSON Lines file, or a POST to a webhook.

    delivery = Delivery(stdout=sys.stdout)
    delivery.send("alerts.jsonl", payload)      # or "stdout", or "https://hooks.example.org/wm"

A failed delivery raises DeliveryError; `watch` keeps the alert as undelivered and tries again the
next round, so an alert is never lost to a webhook that was down, and never delivered twice once a
delivery succeeded.
"""
from __future__ import annotations

import json
from typing import TextIO

import httpx

from ..errors import WarmonitorError
from .fetch import default_user_agent


class DeliveryError(WarmonitorError):
    """An alert could not be delivered (a webhook that failed, a file that cannot be written)."""


class Delivery:
    def __init__(self, *, stdout: TextIO, timeout: float = 10.0, user_agent: str | None = None):
        self.stdout = stdout
        self._client = httpx.Client(timeout=timeout, follow_redirects=False,
                                    headers={"User-Agent": user_agent or default_user_agent()})

    def close(self) -> None:
        self._client.close()

    def send(self, target: str, payload: dict) -> None:
        if target == "stdout":
            link = payload.get("report", {}).get("url") or payload.get("report", {}).get("id")
            self.stdout.write(f"ALERT [{payload.get('alert')}] {payload.get('summary')} <{link}>\n")
            self.stdout.flush()
        elif target.startswith(("http://", "https://")):
            try:
                response = self._client.post(target, json=payload)
            except httpx.HTTPError as exc:
                raise DeliveryError(f"webhook {target}: {type(exc).__name__}: {exc}") from exc
            if response.status_code >= 300:
                raise DeliveryError(f"webhook {target}: HTTP {response.status_code}")
        else:
            try:
                with open(target, "a", encoding="utf-8") as out:
                    out.write(json.dumps(payload, ensure_ascii=False) + "\n")
            except OSError as exc:
                raise DeliveryError(f"alert file {target}: {exc.strerror or exc}") from exc
