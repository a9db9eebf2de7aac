"""The 分享海报: a tall 750x1334 PNG of a story or lecture, with a QR code of its page.

In WeChat a story or a lecture notice spreads as a picture people long-press to
save and forward. The poster shows the site's name and emblem on a band of the
narrative's colour, the title (media/linebreak.py's Chinese rules, at the
largest size that fits), then the story's summary or the lecture's date with its
weekday, time range, venue and speakers, and at the foot a standard QR code of
the page's canonical address (media/qr.py) captioned 长按识别二维码.

Drawn with the bundled font only (media/social.py's `Typeface`) and encoded with
fixed settings: a pure function of a `PosterSpec` and the font and emblem files,
so the same spec gives the same bytes on every machine, and `fingerprint` is its
cache key (media/cache.py). PNG, not JPEG: flat colour, text and the QR modules
stay crisp, and a poster is 100-150 KB, under the 300 KB a phone on a slow network fetches quickly.
"""

from __future__ import annotations

import hashlib
import io
import json
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from functools import cache

import PIL
from PIL import Image, ImageDraw

from site_plugins.media import qr
from site_plugins.media.linebreak import truncate, wrap
from site_plugins.media.placeholder import _mix
from site_plugins.media.social import (
    INK,
    MUTED,
    Typeface,
    _file_id,
    _hex,
    drawable,
    fit_title,
    kept_fingerprint,
)

POSTER_VERSION = "1"  # bump when the drawing or the encoding changes
SIZE = (750, 1334)
SUFFIX = "png"
MARGIN = 56
TITLE_TOP = 196
TITLE_HEIGHT = 320  # at most four lines at 52 px, five at 46
TITLE_SIZES = (64, 58, 52, 46)
QR_BOX = 236  # the code with its quiet zone fits this square
PANEL_TOP = SIZE[1] - 56 - QR_BOX - 48  # the tinted panel holding the code and its caption
WHITE = (255, 255, 255)


@dataclass(frozen=True)
class PosterSpec:
    """What a poster shows. `facts` are a lecture's (label, lines) rows; a story has its `summary`."""

    title: str
    kind: str  # 故事 / 讲座
    labels: tuple[str, ...]  # narrative labels
    color: str  # #rrggbb: the first narrative's
    site_name: str
    url: str  # the page's canonical address: the QR code's content
    date: str = ""  # a story's date line (2026年3月5日 · 太原)
    summary: str = ""
    facts: tuple[tuple[str, tuple[str, ...]], ...] = ()
    status: str = ""  # 本场讲座已取消
    emblem: str = ""  # file of the site's emblem (a square PNG); "" draws the Red Cross emblem

    def fingerprint(self, fonts: Sequence[str]) -> str:
        """Digest of everything that decides the poster's bytes (its cache key)."""
        def make() -> str:
            data = {**asdict(self), "emblem": _file_id(self.emblem) if self.emblem else "", "version": POSTER_VERSION,
                    "pillow": PIL.__version__, "fonts": [_file_id(f) for f in fonts]}
            return hashlib.sha256(json.dumps(data, sort_keys=True, ensure_ascii=False).encode()).hexdigest()
        return kept_fingerprint(self, (*fonts, self.emblem), make)

    def planned(self) -> tuple[str, tuple[int, int]]:
        """(file name, size): known before the poster is drawn (a preview draws it after the reload)."""
        return f"poster.{SUFFIX}", SIZE

    def render(self, fonts: tuple[str, ...]) -> tuple[str, bytes, tuple[int, int]]:
        """(file name, bytes, size): what media/cache.py stores."""
        name, size = self.planned()
        return name, encode_poster(draw_poster(self, fonts)), size


def on_colour(color: tuple[int, int, int]) -> tuple[int, int, int]:
    """Text colour on a band of `color`: white on a dark colour, ink on a light one (WCAG luminance)."""
    def channel(c: int) -> float:
        s = c / 255
        return s / 12.92 if s <= 0.04045 else ((s + 0.055) / 1.055) ** 2.4
    r, g, b = (channel(c) for c in color)
    luminance = 0.2126 * r + 0.7152 * g + 0.0722 * b
    return WHITE if (1.05 / (luminance + 0.05)) >= 4.5 else INK


@cache
def emblem(path: str, size: int) -> Image.Image:
    """The site's emblem at `size` px with rounded corners (RGBA): the logo file, or the Red Cross drawn."""
    scale = 4  # drawn large and reduced: smooth corners, the same pixels everywhere
    big = size * scale
    if path:
        with Image.open(path) as logo:
            tile = logo.convert("RGB").resize((big, big), Image.Resampling.LANCZOS)
    else:  # assets/images/logo.svg: a white tile, a red cross of arms 1/4 wide from 1/8 to 7/8
        tile = Image.new("RGB", (big, big), WHITE)
        draw = ImageDraw.Draw(tile)
        a, b, c, d = (round(big * f) for f in (1 / 8, 3 / 8, 5 / 8, 7 / 8))
        draw.rectangle((b, a, c - 1, d - 1), fill=(211, 47, 47))
        draw.rectangle((a, b, d - 1, c - 1), fill=(211, 47, 47))
    mask = Image.new("L", (big, big), 0)
    ImageDraw.Draw(mask).rounded_rectangle((0, 0, big - 1, big - 1), radius=big // 6, fill=255)
    tile.putalpha(mask)
    return tile.resize((size, size), Image.Resampling.LANCZOS)


def paragraph(text: str, face: Typeface, width: float, max_lines: int) -> list[str]:
    """`text` broken into at most `max_lines` lines of `width`; cut with an ellipsis if longer."""
    lines = wrap(text, face.width, width)
    if len(lines) <= max_lines:
        return lines
    if max_lines <= 0:
        return []
    return [*lines[:max_lines - 1], truncate(lines[max_lines - 1] + lines[max_lines], face.width, width)]


def _head(draw: ImageDraw.ImageDraw, image: Image.Image, spec: PosterSpec, fonts: Sequence[str],
          band: tuple[int, int, int]) -> int:
    """The coloured band: emblem, site name, kind and narratives, title. Returns its bottom y."""
    width = SIZE[0] - 2 * MARGIN
    size, lines = fit_title(drawable(spec.title, fonts)[0], fonts, width, TITLE_HEIGHT, TITLE_SIZES)
    face, step = Typeface(fonts, size), round(size * 1.3)
    bottom = TITLE_TOP + len(lines) * step + 44
    draw.rectangle((0, 0, SIZE[0], bottom - 1), fill=band)
    text = on_colour(band)
    soft = _mix(text, band, 0.25)
    image.paste(emblem(spec.emblem, 68), (MARGIN, 48), emblem(spec.emblem, 68))
    Typeface(fonts, 34).draw(draw, (MARGIN + 88, 95), drawable(spec.site_name, fonts)[0], text)
    kicker = " · ".join([spec.kind, *(drawable(label, fonts)[0] for label in spec.labels)])
    Typeface(fonts, 28).draw(draw, (MARGIN, 168), kicker, soft)
    for number, line in enumerate(lines):
        face.draw(draw, (MARGIN, TITLE_TOP + size + number * step), line, text)
    return bottom


def _story(draw: ImageDraw.ImageDraw, spec: PosterSpec, fonts: Sequence[str], top: int, bottom: int) -> None:
    width = SIZE[0] - 2 * MARGIN
    y = top + 20
    if spec.date:
        Typeface(fonts, 26).draw(draw, (MARGIN, y + 36), drawable(spec.date, fonts)[0], MUTED)
        y += 52
    face, step = Typeface(fonts, 32), 52
    y += 20
    lines = paragraph(drawable(spec.summary, fonts)[0], face, width, (bottom - y) // step)
    for number, line in enumerate(lines):
        face.draw(draw, (MARGIN, y + 40 + number * step), line, INK)


def _lecture(draw: ImageDraw.ImageDraw, spec: PosterSpec, fonts: Sequence[str], top: int, bottom: int,
             band: tuple[int, int, int]) -> None:
    """The lecture's rows: a label in the narrative's colour, its lines beside it, cut to fit."""
    y = top + 6
    if spec.status:
        y += 44
        Typeface(fonts, 32).draw(draw, (MARGIN, y), drawable(spec.status, fonts)[0], (183, 28, 28))
    label_face, face, step = Typeface(fonts, 26), Typeface(fonts, 30), 44
    column = MARGIN + 96
    width = SIZE[0] - MARGIN - column
    label_colour = band if on_colour(band) == WHITE else INK  # a light narrative colour would not read on white
    for label, values in spec.facts:
        lines = [line for value in values for line in wrap(drawable(value, fonts)[0], face.width, width)]
        room = (bottom - y - 28) // step
        if room <= 0:
            break
        if len(lines) > room:
            lines = [*lines[:room - 1], truncate(lines[room - 1], face.width, width)]
        y += 28
        label_face.draw(draw, (MARGIN, y + 34), label, label_colour)
        for number, line in enumerate(lines):
            face.draw(draw, (column, y + 34 + number * step), line, INK)
        y += len(lines) * step


def _foot(draw: ImageDraw.ImageDraw, image: Image.Image, spec: PosterSpec, fonts: Sequence[str],
          band: tuple[int, int, int]) -> None:
    """The tinted panel with the QR code of the page and its caption."""
    draw.rounded_rectangle((MARGIN - 16, PANEL_TOP, SIZE[0] - MARGIN + 16, SIZE[1] - 40), radius=20,
                           fill=_mix(band, WHITE, 0.9))
    code = qr.image(spec.url, qr.fit_scale(spec.url, QR_BOX))
    top = PANEL_TOP + 24 + (QR_BOX - code.height) // 2
    image.paste(code, (MARGIN + (QR_BOX - code.width) // 2, top))
    x = MARGIN + QR_BOX + 32
    Typeface(fonts, 36).draw(draw, (x, PANEL_TOP + 110), "长按识别二维码", INK)
    Typeface(fonts, 28).draw(draw, (x, PANEL_TOP + 160), "阅读全文" if spec.kind == "故事" else "查看讲座详情", MUTED)
    host = spec.url.split("://", 1)[-1].split("/", 1)[0]
    face = Typeface(fonts, 22)
    if face.width(host) <= SIZE[0] - MARGIN - x:
        face.draw(draw, (x, PANEL_TOP + 204), host, MUTED)
    draw.rectangle((0, SIZE[1] - 12, SIZE[0], SIZE[1]), fill=band)


def draw_poster(spec: PosterSpec, fonts: Sequence[str]) -> Image.Image:
    """Draw the poster of `spec` (RGB, 750x1334)."""
    image = Image.new("RGB", SIZE, WHITE)
    draw = ImageDraw.Draw(image)
    band = _hex(spec.color)
    bottom = _head(draw, image, spec, fonts, band)
    if spec.facts or spec.status:
        _lecture(draw, spec, fonts, bottom, PANEL_TOP - 24, band)
    else:
        _story(draw, spec, fonts, bottom, PANEL_TOP - 24)
    _foot(draw, image, spec, fonts, band)
    return image


def encode_poster(image: Image.Image) -> bytes:
    """PNG with fixed settings and no metadata (no time chunk): same poster, same bytes."""
    out = io.BytesIO()
    # zlib level 6, as the social images: half the time of level 9 for 3 % more bytes (137 against 133 KB).
    image.save(out, "PNG", compress_level=6)
    return out.getvalue()
