"""Each narrative's placeholder picture, for listing cards of entries without a cover.

Drawn with Pillow from the narrative's colour and label: a tinted field, the
Red Cross emblem and the label in the bundled card font (never a machine
font: a label the bundled font cannot draw is left off). Same vocabulary,
same bytes. WebP at the thumbnail size and at twice it.
"""

from __future__ import annotations

import hashlib
import io
import json
from functools import cache
from pathlib import Path

from PIL import Image, ImageDraw

from site_plugins import urls
from site_plugins.media.social import DEFAULT_FONT, Typeface, _file_id, _hex, missing_glyphs

FOLDER = urls.PLACEHOLDERS
VERSION = "1"  # bump when the drawing changes


def fingerprint(narratives: tuple[tuple[str, str, str], ...], size: tuple[int, int]) -> str:
    """Digest of everything that decides the placeholders' bytes (their cache key)."""
    data = {"narratives": narratives, "size": size, "version": VERSION, "font": _file_id(str(DEFAULT_FONT))}
    return hashlib.sha256(json.dumps(data, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


def site_paths(key: str) -> tuple[str, str]:
    """(1x, 2x) site paths of narrative `key`'s placeholder."""
    return f"{FOLDER}/{key}.webp", f"{FOLDER}/{key}@2x.webp"


def file_names(key: str) -> tuple[str, str]:
    """(1x, 2x) file names of narrative `key`'s placeholder."""
    one, two = site_paths(key)
    return one.rsplit("/", 1)[1], two.rsplit("/", 1)[1]


def _mix(color: tuple[int, int, int], other: tuple[int, int, int], amount: float) -> tuple[int, int, int]:
    r, g, b = (round(c + (o - c) * amount) for c, o in zip(color, other, strict=True))
    return r, g, b


def draw_placeholder(label: str, color: str, size: tuple[int, int], font: Path = DEFAULT_FONT) -> Image.Image:
    """The placeholder of one narrative at `size` (RGB)."""
    width, height = size
    base = _hex(color)
    image = Image.new("RGB", size, _mix(base, (255, 255, 255), 0.82))
    draw = ImageDraw.Draw(image)
    unit = height / 320  # drawn at 480x320, scaled for 2x
    # Broad diagonal bands in a lighter tint: a calm texture, not a photo stand-in.
    for i in range(-2, 8):
        x = round(i * 110 * unit)
        draw.polygon([(x, height), (x + round(55 * unit), height), (x + round(55 * unit) + height, 0), (x + height, 0)],
                     fill=_mix(base, (255, 255, 255), 0.74))
    # The emblem: a white disc with a cross in the narrative's colour.
    cx, cy, r = width // 2, round(height * 0.42), round(70 * unit)
    draw.ellipse((cx - r, cy - r, cx + r, cy + r), fill=(255, 255, 255))
    arm = round(r * 0.36)
    draw.rectangle((cx - arm // 2, cy - r * 0.7, cx + arm // 2, cy + r * 0.7), fill=base)
    draw.rectangle((cx - r * 0.7, cy - arm // 2, cx + r * 0.7, cy + arm // 2), fill=base)
    if label and not missing_glyphs(label, [str(font)]):
        face = Typeface([str(font)], round(30 * unit))
        face.draw(draw, ((width - face.width(label)) / 2, round(height * 0.82)), label, _mix(base, (0, 0, 0), 0.35))
    return image


def encode(image: Image.Image) -> bytes:
    """WebP with fixed settings and no metadata."""
    out = io.BytesIO()
    image.save(out, "WEBP", quality=80, method=4)
    return out.getvalue()


@cache  # `mkdocs serve` rebuilds draw them once per process
def placeholders(narratives: tuple[tuple[str, str, str], ...], size: tuple[int, int]) -> dict[str, tuple[bytes, bytes]]:
    """(key, label, colour) of each narrative -> (1x, 2x) WebP bytes."""
    double = (size[0] * 2, size[1] * 2)
    return {key: (encode(draw_placeholder(label, color, size)), encode(draw_placeholder(label, color, double)))
            for key, label, color in narratives}
