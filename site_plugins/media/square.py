"""The square share image (600x600 JPEG): what QQ, Weibo and WeChat may show beside a shared link.

A link card in a chat has a small square picture; the 1200x630 social image
(media/social.py) would be cropped to its middle there. So each story and
lecture also gets a square one, drawn like its social image: a crop of the
cover photo (or of the narrative's placeholder, media/placeholder.py, when it
has none) above a white panel with the emblem, the site name and the title,
broken by media/linebreak.py's Chinese rules at the largest size that fits.
Pages that are not entries (home, narratives, listings) share one square of
the site: the emblem and the site name on the society's red.

Pure: the bundled font, fixed encoder settings, same spec, same bytes;
`fingerprint` is the cache key (media/cache.py).
"""

from __future__ import annotations

import hashlib
import io
import json
from collections.abc import Sequence
from dataclasses import asdict, dataclass

import PIL
from PIL import Image, ImageDraw, ImageOps

from site_plugins.media import placeholder
from site_plugins.media.poster import emblem
from site_plugins.media.social import (
    INK,
    MUTED,
    RED,
    Typeface,
    _file_id,
    _hex,
    drawable,
    fit_title,
    kept_fingerprint,
)

SQUARE_VERSION = "1"  # bump when the drawing or the encoding changes
SIZE = (600, 600)
PHOTO_HEIGHT = 360
MARGIN = 32
TITLE_TOP = 452
TITLE_SIZES = (44, 40, 36, 32)


@dataclass(frozen=True)
class SquareSpec:
    """What a square shows: an entry's (title, narrative, cover) or, with no title, the site's."""

    site_name: str
    title: str = ""
    label: str = ""  # the first narrative's label: its placeholder when there is no cover
    color: str = ""  # ... and its colour
    cover: str = ""  # file of the processed cover photo, or ""
    cover_id: str = ""  # the cover's cache key: the photo without its path
    emblem: str = ""  # file of the site's emblem (square PNG); "" draws the Red Cross emblem

    def fingerprint(self, fonts: Sequence[str]) -> str:
        """Digest of everything that decides the square's bytes (its cache key)."""
        def make() -> str:
            data = {**asdict(self), "cover": bool(self.cover), "emblem": _file_id(self.emblem) if self.emblem else "",
                    "placeholder": "" if self.cover or not self.title else placeholder.VERSION,
                    "version": SQUARE_VERSION, "pillow": PIL.__version__, "fonts": [_file_id(f) for f in fonts]}
            return hashlib.sha256(json.dumps(data, sort_keys=True, ensure_ascii=False).encode()).hexdigest()
        return kept_fingerprint(self, (*fonts, self.emblem), make)

    def planned(self) -> tuple[str, tuple[int, int]]:
        """(file name, size): known before the square is drawn (a preview draws it after the reload)."""
        return "square.jpg", SIZE

    def render(self, fonts: tuple[str, ...]) -> tuple[str, bytes, tuple[int, int]]:
        """(file name, bytes, size): what media/cache.py stores."""
        name, size = self.planned()
        return name, encode_square(draw_square(self, fonts)), size


def _site_square(spec: SquareSpec, fonts: Sequence[str]) -> Image.Image:
    image = Image.new("RGB", SIZE, RED)
    mark = emblem(spec.emblem, 240)
    image.paste(mark, ((SIZE[0] - 240) // 2, 112), mark)
    name = drawable(spec.site_name, fonts)[0]
    size, lines = fit_title(name, fonts, SIZE[0] - 2 * MARGIN, 140, (60, 52, 44))
    face = Typeface(fonts, size)
    draw = ImageDraw.Draw(image)
    for number, line in enumerate(lines):
        face.draw(draw, ((SIZE[0] - face.width(line)) / 2, 440 + size + number * round(size * 1.3)), line,
                  (255, 255, 255))
    return image


def draw_square(spec: SquareSpec, fonts: Sequence[str]) -> Image.Image:
    """Draw the square of `spec` (RGB, 600x600)."""
    if not spec.title:
        return _site_square(spec, fonts)
    image = Image.new("RGB", SIZE, (255, 255, 255))
    band = _hex(spec.color)
    if spec.cover:
        with Image.open(spec.cover) as photo:
            picture = ImageOps.fit(photo.convert("RGB"), (SIZE[0], PHOTO_HEIGHT), Image.Resampling.LANCZOS)
    else:
        picture = placeholder.draw_placeholder(spec.label, spec.color, (SIZE[0], PHOTO_HEIGHT))
    image.paste(picture, (0, 0))
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, PHOTO_HEIGHT, SIZE[0], PHOTO_HEIGHT + 7), fill=band)
    mark = emblem(spec.emblem, 36)
    image.paste(mark, (MARGIN, PHOTO_HEIGHT + 28), mark)
    Typeface(fonts, 24).draw(draw, (MARGIN + 48, PHOTO_HEIGHT + 55), drawable(spec.site_name, fonts)[0], MUTED)
    width, height = SIZE[0] - 2 * MARGIN, SIZE[1] - TITLE_TOP - 8
    size, lines = fit_title(drawable(spec.title, fonts)[0], fonts, width, height, TITLE_SIZES)
    face = Typeface(fonts, size)
    for number, line in enumerate(lines):
        face.draw(draw, (MARGIN, TITLE_TOP - 24 + size + number * round(size * 1.3)), line, INK)
    return image


def encode_square(image: Image.Image) -> bytes:
    """JPEG with fixed settings and no metadata: same square, same bytes."""
    out = io.BytesIO()
    # Full-resolution colour (4:4:4), as the social images: the title's strokes stay sharp.
    image.save(out, "JPEG", quality=86, subsampling=0, optimize=True)
    return out.getvalue()
