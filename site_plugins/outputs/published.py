"""What a build published of its content's media, in maps of their own: entries stay as content made them.

Filled once by the media stage of `prepare` (pipeline/media.py, pipeline/recordings.py), then only
read: by each page's view, the listings' cards, the feeds (covers, enclosures) and the search records.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from site_plugins import urls
from site_plugins.content.schema import Audio
from site_plugins.media.images import Rendition
from site_plugins.outputs.pages.cards import Thumb


@dataclass(frozen=True)
class Image:
    """The variants one content image was published as, under its content hash."""

    key: str
    rendition: Rendition

    def site_path(self, name: str) -> str:
        return urls.media(self.key, name)

    @property
    def main(self) -> str:
        """Site path of the variant that stands for the content path (links to it, `<img src>`)."""
        return self.site_path(self.rendition.main.name)


@dataclass(frozen=True)
class Published:
    """The build's media, by content path (images, recordings) or entry source (what was drawn for it)."""

    images: Mapping[str, Image] = field(default_factory=dict)  # content image path -> its variants
    image_url: Mapping[str, str] = field(default_factory=dict)  # content image path -> site path of its still
    thumbnails: Mapping[str, Thumb] = field(default_factory=dict)  # content image path -> listing-card thumbnail
    social_images: Mapping[str, str] = field(default_factory=dict)  # entry source -> its 1200x630 share image
    social_sizes: Mapping[str, tuple[int, int]] = field(default_factory=dict)  # entry source -> that image's size
    squares: Mapping[str, str] = field(default_factory=dict)  # entry source -> its square share image
    posters: Mapping[str, str] = field(default_factory=dict)  # entry source -> its 分享海报
    site_square: str = ""  # the square share image of pages that are not entries
    placeholders: Mapping[str, Thumb] = field(default_factory=dict)  # narrative key -> card without a cover
    audio: Mapping[str, Audio] = field(default_factory=dict)  # lecture source -> its published recording
    notices: Mapping[str, str] = field(default_factory=dict)  # lecture source -> its printable notice
    # Every media file, site path -> the file in a cache, and the content paths that stay known
    # addresses (Markdown links to them) while a published file stands there: content path -> site path.
    files: Mapping[str, Path] = field(default_factory=dict)
    served: Mapping[str, str] = field(default_factory=dict)

    def image_at(self, site_path: str) -> Image | None:
        """The image whose main variant is published at `site_path` (a rendered page's `<img src>`)."""
        source = self._by_main.get(site_path)
        return self.images[source] if source is not None else None

    @property
    def _by_main(self) -> Mapping[str, str]:
        cached = self.__dict__.get("_main_index")
        if cached is None:
            cached = {image.main: src for src, image in self.images.items()}
            object.__setattr__(self, "_main_index", cached)  # computed once; the maps never change
        return cached
