"""Feed items -> JSON Feed 1.1 bytes (https://jsonfeed.org/version/1.1), the same items as the RSS."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from site_plugins.content.dates import SHANGHAI
from site_plugins.outputs.feeds.model import Channel, Item

VERSION = "https://jsonfeed.org/version/1.1"


def _iso(dt: datetime) -> str:
    return dt.astimezone(SHANGHAI).isoformat(timespec="seconds")


def _item(it: Item, language: str) -> dict[str, Any]:
    entry: dict[str, Any] = {
        "id": it.id, "url": it.url, "title": it.title,
        "content_html": it.content, "summary": it.summary,
        "date_published": _iso(it.published), "date_modified": _iso(it.updated),
        "tags": list(it.categories), "language": language,
    }
    if it.authors:
        entry["authors"] = [{"name": name} for name in it.authors]
    if it.image:
        entry["image"] = it.image
    if it.enclosure is not None:
        entry["attachments"] = [{
            "url": it.enclosure.url, "mime_type": it.enclosure.type,
            "size_in_bytes": it.enclosure.length, "duration_in_seconds": it.enclosure.seconds,
        }]
    return entry


def json_feed(channel: Channel, items: Sequence[Item], language: str = "zh-CN") -> bytes:
    """JSON Feed 1.1 bytes of `items` (newest first), UTF-8, keys in a fixed order."""
    feed: dict[str, Any] = {
        "version": VERSION,
        "title": channel.title,
        "home_page_url": channel.home,
        "feed_url": channel.url("json"),
        "description": channel.description,
        "language": language,
        "authors": [{"name": channel.publisher}],
    }
    if channel.logo:
        feed["icon"] = channel.logo
    if channel.icon:
        feed["favicon"] = channel.icon
    feed["items"] = [_item(it, language) for it in items]
    return (json.dumps(feed, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
