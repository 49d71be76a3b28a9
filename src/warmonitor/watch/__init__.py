"""Live monitoring: follow sources (RSS/Atom feeds, single pages), ingest what they publish as it
comes, and alert on what matters (a town changing hands, a new actor in a province, a figure jumping).

- `state`: the sources, fetched articles, alert rules and fired alerts, kept in the store's database;
- `fetch`: polite, bounded HTTP(S) fetching (httpx); `feeds`: RSS/Atom entries (feedparser);
- `watcher`: a round of checking, fetching, ingesting and alerting (`Watcher.run_once`, `run`);
- `alerts`: the rule language and what a saved report fires; `delivery`: stdout, JSON Lines, webhook;
- `logs`: the structured (JSON lines) log `warmonitor watch` writes.
"""
from __future__ import annotations

from .alerts import AlertRule, check_target, parse_rule
from .delivery import Delivery, DeliveryError
from .fetch import Fetched, FetchError, Fetcher, FetchPolicy
from .feeds import FeedEntry, FeedError, parse_feed
from .state import AlertRuleError, Source, SourceError, WatchState
from .watcher import RoundSummary, Watcher, WatchSettings, utcnow

__all__ = ["AlertRule", "AlertRuleError", "Delivery", "DeliveryError", "FeedEntry", "FeedError", "FetchError",
           "FetchPolicy", "Fetched", "Fetcher", "RoundSummary", "Source", "SourceError", "WatchSettings",
           "WatchState", "Watcher", "check_target", "parse_feed", "parse_rule", "utcnow"]
