"""MkDocs adapter for the printable lecture notices (打印讲座通知, entry point `rc-notice`).

Listed in mkdocs.yml, it turns on `prepare`'s notices (pipeline/media.py: one A4 PDF per lecture,
organiser and phone from `extra`); rc-meta publishes them, and each lecture's view links its
notice (`rc.notice`). Nothing is left for a MkDocs hook to do.
"""

from __future__ import annotations

from site_plugins.adapters.base import Adapter


class NoticePlugin(Adapter):
    """A one-page A4 notice with a QR code for every lecture the build publishes."""
