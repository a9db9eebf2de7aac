"""1200x630 social images (og:image) drawn with Pillow.

"Social image" is the share picture of an entry; a "listing card" is the
entry's box on a listing page (outputs/pages/listings.py). A social image shows the
site name, the entry's kind and narratives, its title (broken into lines by
media/linebreak.py's Chinese rules, at the largest size that fits), its date
and, when there is one, its cover photo. The font is the subset of Noto Sans SC
shipped in site_plugins/media/fonts (package data: every Han character of the
CJK Unified block, Extension A and the Extension B ones Noto has); no system
font is ever looked up, so a card is the same on every machine. A character
the font lacks (an emoji) is left out of the card, not of the page, and
reported as a notice (media/sharetext.py), never drawn as a box. Pure functions of
a `SocialImageSpec` and the font files: same input, same bytes.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import re
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from functools import cache
from pathlib import Path
from stat import S_ISREG
from typing import Any

from fontTools.ttLib import TTCollection, TTFont
from PIL import Image, ImageDraw, ImageFont, ImageOps

from site_plugins.content.dates import zh_date
from site_plugins.content.reuse import valued
from site_plugins.content.schema import Entry
from site_plugins.content.vocabulary import Vocabulary
from site_plugins.media.linebreak import balance, truncate, wrap

CARD_VERSION = "3"  # bump when the drawing or the encoding changes
SIZE = (1200, 630)
MARGIN = 64
PHOTO_WIDTH = 456  # right-hand photo panel when the entry has a cover
GUTTER = 48
TITLE_TOP, TITLE_BOTTOM = 196, 524
TITLE_SIZES = (64, 58, 52, 46, 40)
LINE_HEIGHT = 1.3
RED = (183, 28, 28)
INK = (33, 33, 33)
MUTED = (90, 90, 90)
TINT = (254, 240, 238)
FONT_DIR = Path(__file__).resolve().parent / "fonts"
DEFAULT_FONT = FONT_DIR / "NotoSansSC-Bold-Han.otf"
# Joiners and modifiers that only mean something next to a glyph the font lacks (emoji sequences).
_COMBINERS = frozenset("\u200d\ufe0e\ufe0f\u20e3") | frozenset(map(chr, range(0x1F3FB, 0x1F400)))

@dataclass(frozen=True)
class SocialImageSpec:
    """What a card shows. `cover` is the path of an already processed photo (or "")."""

    title: str
    kind: str  # 故事 / 大讲堂
    labels: tuple[tuple[str, str], ...]  # (narrative label, #rrggbb)
    date: str  # 2026年3月5日
    site_name: str
    cover: str = ""
    cover_id: str = ""  # the cover's cache key: identifies the photo without its path

    def fingerprint(self, fonts: Sequence[str]) -> str:
        """Digest of everything that decides the card's bytes."""
        def make() -> str:
            data = {**asdict(self), "cover": bool(self.cover), "version": CARD_VERSION,
                    "fonts": [_file_id(f) for f in fonts]}
            return hashlib.sha256(json.dumps(data, sort_keys=True, ensure_ascii=False).encode()).hexdigest()
        return kept_fingerprint(self, fonts, make)


_FILE_IDS: dict[tuple[str, int, int], str] = {}  # (path, size, time of change) -> digest of its bytes
_SEEN: dict[str, str] = {}  # path -> its digest, since `forget_files`


def forget_files() -> None:
    """Look at the fonts and emblem again: called once a build (each of them is named 10,000 times)."""
    _SEEN.clear()


def _file_id(path: str) -> str:
    """A digest of a font's or emblem's bytes ("" if there is no such file): each file read once a
    process while its size and time of change stay, and looked at once a build (`forget_files`)."""
    if path in _SEEN:
        return _SEEN[path]
    try:
        stat = os.stat(path)
    except OSError:
        _SEEN[path] = ""
        return ""
    if not S_ISREG(stat.st_mode):
        _SEEN[path] = ""
        return ""
    key = (str(path), stat.st_size, stat.st_mtime_ns)
    if key not in _FILE_IDS:
        _FILE_IDS[key] = hashlib.sha256(Path(path).read_bytes()).hexdigest()
    _SEEN[path] = _FILE_IDS[key]
    return _SEEN[path]


def files_state(paths: Sequence[str]) -> tuple[str, ...]:
    """The digests of the fonts and emblem drawings name: what a drawing's key depends on beyond its spec."""
    return tuple(_file_id(p) if p else "" for p in paths)


_FINGERPRINTS: dict[tuple[object, tuple[str, ...]], str] = {}


def kept_fingerprint(spec: object, files: Sequence[str], make: Callable[[], str]) -> str:
    """`make()`, a drawing spec's fingerprint, once a process for the spec and the digests of the files
    it names (fonts, emblem): the preview's rebuilds fingerprint 3 drawings of every entry, and so did each
    scripts/build (1.8 s at 3,000 stories)."""
    key = (spec, files_state(files))
    try:
        found = _FINGERPRINTS.get(key)
    except TypeError:  # a spec holding a list: not kept
        return make()
    if found is None:  # scripts/build: kept on disk by the same key (reuse.valued)
        found = _FINGERPRINTS[key] = valued("drawing fingerprint", key, make)
    return found


def font_chain(primary: str | Path = DEFAULT_FONT, fallbacks: Sequence[str | Path] = ()) -> tuple[str, ...]:
    """The fonts a card is drawn with: shipped or configured files, never looked up on the machine.

    A configured fallback that is missing is an error, not silently skipped: the cards
    would otherwise differ between machines.
    """
    chain = (str(primary), *map(str, fallbacks))
    missing = [f for f in chain if not Path(f).is_file()]
    if missing:
        raise FileNotFoundError(f"card font not found: {', '.join(missing)}")
    return chain


@cache
def _face(path: str) -> tuple[int, frozenset[int]]:
    """(face index, covered code points) of a font; in a .ttc, the Simplified Chinese face."""
    if path.lower().endswith((".ttc", ".otc")):
        fonts = TTCollection(path, lazy=True).fonts
        index = next((i for i, f in enumerate(fonts) if " SC" in f["name"].getDebugName(1)), 0)
        return index, frozenset(fonts[index].getBestCmap())
    return 0, frozenset(TTFont(path, lazy=True).getBestCmap())


@cache
def _font(path: str, size: int) -> ImageFont.FreeTypeFont:
    # BASIC layout: the same on every machine, with or without libraqm.
    return ImageFont.truetype(path, size, index=_face(path)[0], layout_engine=ImageFont.Layout.BASIC)


# Code points the shipped font surely has (tests/test_cards.py holds it to that): checking a
# title made only of these needs no look at the 11 MB font, which scripts/check would pay for.
_SURELY_SHIPPED = re.compile("[\x20-\x7e\xa0-\xff\u2013\u2014\u2018\u2019\u201c\u201d\u2026\u3000-\u303f\u3400-\u4db5\u4e00-\u9fef\uff01-\uff5e]*")


def missing_glyphs(text: str, fonts: Sequence[str]) -> set[str]:
    """Characters of `text` that no font of the chain can draw."""
    if tuple(fonts) == (str(DEFAULT_FONT),) and _SURELY_SHIPPED.fullmatch(text):
        return set()
    return {c for c in text if not c.isspace() and not any(ord(c) in _face(f)[1] for f in fonts)}


def drawable(text: str, fonts: Sequence[str]) -> tuple[str, str]:
    """(text without the characters no font has, those characters in order of appearance).

    Emoji joiners and variation selectors go with them; the spaces left behind are collapsed.
    """
    return leave_out(text, missing_glyphs(text, fonts))


def leave_out(text: str, lost: set[str]) -> tuple[str, str]:
    """(text without the characters `lost`, those characters in order of appearance), as `drawable`."""
    if not lost:
        return text, ""
    kept = "".join(c for c in text if c not in lost and c not in _COMBINERS)
    shown = "".join(dict.fromkeys(c for c in text if c in lost and c not in _COMBINERS))
    return " ".join(kept.split()), shown


class Typeface:
    """A font chain at one size: each character is drawn with the first font that has it."""

    def __init__(self, fonts: Sequence[str], size: int) -> None:
        self.fonts = list(fonts)
        self.size = size

    def runs(self, text: str) -> list[tuple[ImageFont.FreeTypeFont, str]]:
        out: list[tuple[ImageFont.FreeTypeFont, str]] = []
        for char in text:
            path = next((f for f in self.fonts if ord(char) in _face(f)[1]), self.fonts[0])
            font = _font(path, self.size)
            if out and out[-1][0] is font:
                out[-1] = (font, out[-1][1] + char)
            else:
                out.append((font, char))
        return out

    def width(self, text: str) -> float:
        return sum(font.getlength(run) for font, run in self.runs(text))

    def draw(self, draw: ImageDraw.ImageDraw, xy: tuple[float, float], text: str, fill: tuple[int, ...]) -> None:
        """Draw `text` with its baseline at xy[1]."""
        x, y = xy
        for font, run in self.runs(text):
            draw.text((x, y), run, font=font, fill=fill, anchor="ls")
            x += font.getlength(run)


def fit_title(title: str, fonts: Sequence[str], width: float, height: float,
              sizes: Sequence[int] = TITLE_SIZES) -> tuple[int, list[str]]:
    """The largest size at which the title fits the box, and its lines.

    At the smallest size a title that still does not fit is cut, with an ellipsis.
    """
    for size in sizes:
        face = Typeface(fonts, size)
        lines = wrap(title, face.width, width)
        if len(lines) <= max(1, int(height // (size * LINE_HEIGHT))):
            return size, balance(title, face.width, width)
    size = sizes[-1]
    face = Typeface(fonts, size)
    keep = max(1, int(height // (size * LINE_HEIGHT)))
    lines = wrap(title, face.width, width)
    return size, [*lines[:keep - 1], truncate(lines[keep - 1], face.width, width)]


def spec_for(entry: Entry, vocab: Vocabulary, site_name: str, cover: str = "", cover_id: str = "") -> SocialImageSpec:
    """What the social image of `entry` shows; `cover` is its processed cover photo's file."""
    return SocialImageSpec(title=entry.title, kind="故事" if entry.kind == "story" else "讲座",
                           labels=tuple((vocab[t].label, vocab[t].color) for t in entry.tags),
                           date=zh_date(entry.date), site_name=site_name, cover=cover, cover_id=cover_id)


def text_box(spec: SocialImageSpec) -> tuple[int, int]:
    """(left, right) x of the text column."""
    right = SIZE[0] - PHOTO_WIDTH - GUTTER if spec.cover else SIZE[0] - MARGIN
    return MARGIN, right


def _hex(color: str) -> tuple[int, int, int]:
    if re.fullmatch(r"#[0-9a-fA-F]{6}", color or ""):
        return int(color[1:3], 16), int(color[3:5], 16), int(color[5:7], 16)
    return RED


def _cross(draw: ImageDraw.ImageDraw, x: int, y: int, size: int, fill: tuple[int, int, int]) -> None:
    arm = size // 3
    draw.rectangle((x + arm, y, x + 2 * arm - 1, y + size - 1), fill=fill)
    draw.rectangle((x, y + arm, x + size - 1, y + 2 * arm - 1), fill=fill)


def draw_social_image(spec: SocialImageSpec, fonts: Sequence[str]) -> Image.Image:
    """Draw the card for `spec` (RGB, 1200x630)."""
    image = Image.new("RGB", SIZE, (255, 255, 255))
    draw = ImageDraw.Draw(image)
    left, right = text_box(spec)
    if spec.cover:
        with Image.open(spec.cover) as photo:
            panel = ImageOps.fit(photo.convert("RGB"), (PHOTO_WIDTH, SIZE[1]), Image.Resampling.LANCZOS)
        image.paste(panel, (SIZE[0] - PHOTO_WIDTH, 0))
    else:
        _cross(draw, 900, 300, 240, TINT)  # a quiet emblem fills the space a photo would take
    draw.rectangle((0, 0, 15, SIZE[1]), fill=RED)
    _cross(draw, left, 52, 42, RED)
    head = Typeface(fonts, 32)
    head.draw(draw, (left + 58, 86), drawable(f"{spec.site_name} · {spec.kind}", fonts)[0], INK)
    chip = Typeface(fonts, 26)
    x: float = left
    for raw_label, color in spec.labels:
        label = drawable(raw_label, fonts)[0]
        box_width = chip.width(label) + 32
        if x + box_width > right:
            break
        draw.rounded_rectangle((x, 124, x + box_width, 170), radius=8, fill=_hex(color))
        chip.draw(draw, (x + 16, 157), label, (255, 255, 255))
        x += box_width + 12
    size, lines = fit_title(drawable(spec.title, fonts)[0], fonts, right - left, TITLE_BOTTOM - TITLE_TOP)
    title = Typeface(fonts, size)
    step = size * LINE_HEIGHT
    for number, line in enumerate(lines):
        title.draw(draw, (left, TITLE_TOP + size + number * step), line, INK)
    Typeface(fonts, 28).draw(draw, (left, 580), spec.date, MUTED)
    return image


def social_image_format(spec: SocialImageSpec) -> str:
    """File extension of the card: JPEG with a photo, PNG (smaller and crisper) without."""
    return "jpg" if spec.cover else "png"


def planned_card(spec: SocialImageSpec) -> dict[str, Any]:
    """The card's manifest (file name, width, height), known before it is drawn: all a page reads of it."""
    return {"name": f"card.{social_image_format(spec)}", "width": SIZE[0], "height": SIZE[1]}


def encode_social_image(image: Image.Image, ext: str) -> bytes:
    """Encode with fixed settings and no metadata (no PNG time chunk): same card, same bytes."""
    out = io.BytesIO()
    if ext == "jpg":
        # Full-resolution colour (4:4:4) keeps the red and the chips' edges crisp.
        image.save(out, "JPEG", quality=88, subsampling=0, optimize=True)
    else:
        # zlib level 6, not optimize=True (level 9): a card in a third of the time (20 against 65 ms;
        # a cold build of 3,600 cards saves about 2 minutes of CPU) for 4 % more bytes (about
        # 43 against 41 KB), fetched by link previews, not by readers' browsers.
        image.save(out, "PNG", compress_level=6)
    return out.getvalue()
