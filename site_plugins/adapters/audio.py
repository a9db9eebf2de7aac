"""MkDocs adapter for lecture recordings (entry point `rc-audio`).

Listed in mkdocs.yml, it turns on `prepare`'s recordings stage (pipeline/recordings.py: every
recording checked, transcoded, tagged and judged before MkDocs empties site_dir); rc-meta
publishes the MP3s. Nothing is left for a MkDocs hook to do.
"""

from __future__ import annotations

from site_plugins.adapters.base import Adapter


class AudioPlugin(Adapter):
    """Podcast-ready lecture recordings: loudness-normalised, mono, tagged, cached."""
