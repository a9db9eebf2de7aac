"""MkDocs adapter for feeds and the lecture calendar (entry point `rc-feeds`).

Listed in mkdocs.yml, it turns on the feed sets and /subscribe/ in `prepare`, each page's feed
links and 加入日历 in its view, and the feeds, the podcast, the OPML list and the calendars that
`finish` writes (pipeline/syndicate.py) from the pages MkDocs wrote. Here only a warning about
the settings, once a build.
"""

from __future__ import annotations

import logging

from mkdocs.config.defaults import MkDocsConfig

from site_plugins.adapters.base import Adapter, settings_of

log = logging.getLogger("mkdocs.plugins.rc-feeds")


class FeedsPlugin(Adapter):
    """Feeds of the whole site, each narrative and the lectures; the calendar; /subscribe/."""

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        if not settings_of(config, "rc-feeds").feeds.podcast_email:
            log.warning("rc-feeds: podcast_email is not set; Apple Podcasts needs an itunes:owner e-mail.")
        return config
