"""MkDocs adapter for serving the built site (entry point `rc-hosting`): `.gz` copies made as pages render.

Listed in mkdocs.yml, it turns on `finish`'s redirects of `aliases:` and its precompressed
`.gz` copies (deploy/redirects.py, deploy/precompress.py), so `mkdocs build`, `scripts/build` and
`mkdocs gh-deploy` publish the same files. Here `on_post_page`, after every other plugin has
changed the page, hands its bytes to the compressor, which packs them on a worker thread while
MkDocs renders the next page, and writes it through the build's manifest; `finish` takes both.
`mkdocs serve` compresses nothing.
"""

from __future__ import annotations

from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.plugins import event_priority
from mkdocs.structure.pages import Page

from site_plugins.adapters.base import Adapter, settings_of
from site_plugins.deploy.precompress import Precompressor
from site_plugins.pipeline.finish import precompressor
from site_plugins.pipeline.manifest import Manifest


class HostingPlugin(Adapter):
    """Redirects for old addresses and precompressed files, written last."""

    def __init__(self) -> None:
        self.serving = False
        self.compressor: Precompressor | None = None
        self.manifest: Manifest | None = None  # the build's, from its first page's `.gz` on

    def on_startup(self, *, command: str, dirty: bool) -> None:
        self.serving = command == "serve"

    def on_pre_build(self, *, config: MkDocsConfig) -> None:
        self._close()
        self.manifest = Manifest()
        self.compressor = precompressor(settings_of(config, "rc-hosting"), self.serving, self.manifest,
                                        Path(config.site_dir))

    @event_priority(-100)  # after every plugin that changes the page's HTML
    def on_post_page(self, output: str, *, page: Page, config: MkDocsConfig) -> str:
        if self.compressor is not None and output.strip():  # MkDocs writes no file for an empty page
            # the very bytes MkDocs writes next (mkdocs.commands.build._build_page)
            self.compressor.add(page.file.dest_uri, output.encode("utf-8", errors="xmlcharrefreplace"))
        return output

    def on_build_error(self, *, error: Exception) -> None:
        self._close()

    def _close(self) -> None:
        if self.compressor is not None:
            self.compressor.close()
            self.compressor = None
