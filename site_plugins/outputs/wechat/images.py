"""Images for the 公众号: JPG or PNG files at most 1080 px wide and under 1 MB each.

`encode` starts from the same upright, sRGB, metadata-free pixels as the site's images
(media/decode.open_upright: EXIF orientation applied, GPS and the rest dropped). A photo
becomes a JPEG, stepping the quality down and then the width until it fits; a PNG source
stays a PNG when it fits (drawings and screenshots stay sharp), one with transparency is
reduced to 256 colours before it is made narrower. Same file and settings, same bytes.
`preview_variant` picks, for the preview's copy, the widest of the site's own JPEG/PNG
variants that is no wider than the limit.
"""

from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass
from pathlib import Path

import PIL
from PIL import Image

from site_plugins.media.cache import file_digest
from site_plugins.media.decode import open_upright
from site_plugins.media.images import ImageSettings, Rendition, Variant
from site_plugins.outputs.wechat.limits import LIMITS, Limits

VERSION = "1"  # bump when `encode` gives other bytes for the same input
JPEG_QUALITIES = (85, 78, 70, 62, 55)
SHRINK = 0.8  # each step down in width when no quality fits
MIN_WIDTH = 240


@dataclass(frozen=True)
class Encoded:
    data: bytes
    suffix: str  # jpg or png
    width: int
    height: int


def key(path: Path, limits: Limits = LIMITS) -> str:
    """Cache key: the file's bytes, the limits, this module's version and Pillow's."""
    settings = f"{limits.image_width}:{limits.image_bytes}:{VERSION}:{PIL.__version__}"
    return hashlib.sha256(f"{file_digest(path)}:wechat:{settings}".encode()).hexdigest()


def encode(path: Path, limits: Limits = LIMITS, max_pixels: int = ImageSettings().max_pixels) -> Encoded:
    """`path` as a file the 公众号 accepts; raises media.decode.ImageError for a bad image."""
    image, _size = open_upright(path, max_pixels, need_width=limits.image_width)
    if image.mode == "RGBA" and image.getchannel("A").getextrema()[0] == 255:
        image = image.convert("RGB")  # an alpha channel with nothing transparent in it
    keep_png = image.mode == "RGBA" or path.suffix.lower() == ".png"
    width = min(image.width, limits.image_width)
    while True:
        sized = _resize(image, width)
        found = _fit(sized, keep_png, limits.image_bytes)
        if found is not None or width <= MIN_WIDTH:
            break
        width = max(MIN_WIDTH, int(width * SHRINK))
    if found is None:  # a 240 px image over 1 MB does not exist; this is a guard, not a path
        raise ValueError(f"{path.name}: cannot fit {limits.image_bytes} bytes")
    data, suffix = found
    return Encoded(data, suffix, sized.width, sized.height)


def _resize(image: Image.Image, width: int) -> Image.Image:
    if width >= image.width:
        return image
    height = max(1, round(image.height * width / image.width))
    return image.resize((width, height), Image.Resampling.LANCZOS, reducing_gap=3.0)


def _fit(image: Image.Image, keep_png: bool, limit: int) -> tuple[bytes, str] | None:
    """The first encoding under `limit` bytes at this size, or None."""
    if keep_png:
        data = _save(image, "PNG")
        if len(data) < limit:
            return data, "png"
        if image.mode == "RGBA":  # transparency needs PNG: fewer colours before fewer pixels
            data = _save(image.quantize(256, method=Image.Quantize.FASTOCTREE), "PNG")
            return (data, "png") if len(data) < limit else None
    for quality in JPEG_QUALITIES:
        data = _save(image, "JPEG", quality=quality)
        if len(data) < limit:
            return data, "jpg"
    return None


def _save(image: Image.Image, fmt: str, **options: int) -> bytes:
    """Fixed options and no metadata: the same pixels give the same bytes."""
    out = io.BytesIO()
    if fmt == "JPEG":
        image.save(out, "JPEG", optimize=True, **options)
    else:
        image.save(out, "PNG", optimize=True)
    return out.getvalue()


def preview_variant(rendition: Rendition, limits: Limits = LIMITS) -> Variant:
    """The widest of the site's JPEG/PNG variants no wider than the limit (else the narrowest)."""
    fallbacks = rendition.role("fallback")
    fitting = [v for v in fallbacks if v.width <= limits.image_width]
    return fitting[-1] if fitting else fallbacks[0]
