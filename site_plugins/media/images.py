"""Source image -> upright, metadata-free, resized variants (WebP + JPEG/PNG fallback).

Pure functions of the source file and an `ImageSettings`; nothing here knows of
MkDocs or of the cache. Phone photos arrive rotated by an EXIF flag and often
carry the GPS position of someone's home, so the pixels are turned upright
first and then copied into a brand-new image that carries no metadata at all
(EXIF, GPS, XMP, IPTC, ICC, comments): whatever the source held, the encoders
only ever see bare pixels.
"""

from __future__ import annotations

import hashlib
import io
import json
import re
from dataclasses import asdict, dataclass, field
from pathlib import Path

import PIL
from PIL import Image, ImageOps

from site_plugins.media import decode
from site_plugins.media.decode import ImageError, open_upright

__all__ = ["ImageError", "ImageSettings", "Rendition", "Variant", "probe", "render", "target_widths"]

# Bumped whenever the output of `render` changes for the same input and settings.
PIPELINE_VERSION = "2"  # 2: WebP thumbnails at 1x and 2x
MIME = {"webp": "image/webp", "jpg": "image/jpeg", "png": "image/png"}  # rc-audio's cover art


@dataclass(frozen=True)
class ImageSettings:
    """Everything that decides the bytes of the variants; part of the cache key."""

    widths: tuple[int, ...] = (480, 960, 1600)
    webp_quality: int = 78
    jpeg_quality: int = 82
    thumb_size: tuple[int, int] = (480, 320)  # listing cards: centre-cropped to 3:2
    max_pixels: int = 60_000_000  # larger than any phone photo we expect; a bomb guard

    def fingerprint(self) -> str:
        """A digest of the settings, the pipeline version and Pillow's version."""
        data = {**asdict(self), "pipeline": PIPELINE_VERSION, "pillow": PIL.__version__}
        return hashlib.sha256(json.dumps(data, sort_keys=True).encode()).hexdigest()


@dataclass(frozen=True)
class Variant:
    """One published file of an image."""

    name: str  # file name, e.g. "cover-960.webp"
    width: int
    height: int
    role: str  # "webp", "fallback", "thumb" or "thumb2x"

    @property
    def mime(self) -> str:
        return MIME[self.name.rsplit(".", 1)[1]]

@dataclass(frozen=True)
class Rendition:
    """The variants made from one source image, widest last within each role."""

    width: int  # of the upright source
    height: int
    variants: tuple[Variant, ...] = field(default_factory=tuple)

    def role(self, role: str) -> list[Variant]:
        return sorted((v for v in self.variants if v.role == role), key=lambda v: v.width)

    @property
    def main(self) -> Variant:
        """The widest fallback (JPEG/PNG): what `<img src>`, feeds and JSON-LD use."""
        return self.role("fallback")[-1]

    @property
    def thumb(self) -> Variant:
        return self.role("thumb")[0]

    @property
    def thumb2x(self) -> Variant | None:
        """The thumbnail at twice the size, for 2x screens; None when the source is too small."""
        return next(iter(self.role("thumb2x")), None)

    def to_json(self) -> dict:
        return {"width": self.width, "height": self.height, "variants": [asdict(v) for v in self.variants]}

    @classmethod
    def from_json(cls, data: dict) -> Rendition:
        return cls(data["width"], data["height"], tuple(Variant(**v) for v in data["variants"]))


def safe_stem(filename: str) -> str:
    """An ASCII file-name stem for the published variants."""
    stem = filename.rsplit("/", 1)[-1].rsplit(".", 1)[0]
    if not stem.isascii():  # 微信图片_20260105 -> weixin-tupian-20260105, the same words as a slug
        from site_plugins.content.text import slugify

        stem = slugify(stem)
    return re.sub(r"[^a-z0-9]+", "-", stem.lower()).strip("-") or "image"


def target_widths(width: int, widths: tuple[int, ...]) -> list[int]:
    """Variant widths for a source `width` px wide: never wider than the source.

    The widest variant is min(source, largest setting); smaller settings are kept
    when they are clearly smaller (< 90 %) than it, so no two variants are near twins.
    """
    top = min(width, max(widths))
    return sorted({w for w in widths if w < top * 0.9} | {top})


def probe(path: Path, settings: ImageSettings) -> ImageError | None:
    """The header checks of the build's decoding, without decoding: what `scripts/check` can afford."""
    return decode.probe(path, settings.max_pixels)


def _encode(image: Image.Image, fmt: str, settings: ImageSettings) -> bytes:
    """Encode with fixed settings and no metadata arguments: same pixels, same bytes."""
    out = io.BytesIO()
    if fmt == "webp":
        image.save(out, "WEBP", quality=settings.webp_quality, method=4)
    elif fmt == "jpg":
        image.save(out, "JPEG", quality=settings.jpeg_quality, optimize=True, progressive=True)
    else:
        image.save(out, "PNG", optimize=True)
    return out.getvalue()


def _resize(image: Image.Image, width: int) -> Image.Image:
    if width == image.width:
        return image
    height = max(1, round(image.height * width / image.width))
    return image.resize((width, height), Image.Resampling.LANCZOS, reducing_gap=3.0)


def _thumb(image: Image.Image, size: tuple[int, int]) -> Image.Image:
    """Centre crop to the thumbnail's aspect ratio, never larger than the image."""
    ratio = size[0] / size[1]
    width = min(size[0], image.width, int(image.height * ratio))
    return ImageOps.fit(image, (width, max(1, round(width / ratio))), Image.Resampling.LANCZOS)


def render(path: Path, settings: ImageSettings) -> tuple[Rendition, dict[str, bytes]]:
    """Every variant of the image at `path`: (what was made, file name -> bytes).

    Variants: WebP at each target width, the same widths as JPEG (PNG if the
    image has transparency) for browsers without WebP, and the listing-card thumbnail as
    WebP at 1x and, when the source is large enough, at 2x.
    """
    stem = safe_stem(path.name)
    upright, source_size = open_upright(path, settings.max_pixels, need_width=max(settings.widths))
    fallback = "png" if upright.mode == "RGBA" else "jpg"
    files: dict[str, bytes] = {}
    variants: list[Variant] = []
    # Resize from the previous (larger) step: as sharp as from the source, and faster.
    current = upright
    steps = [upright]
    for width in sorted(target_widths(upright.width, settings.widths), reverse=True):
        current = _resize(current, width)
        steps.append(current)
        for ext, role in (("webp", "webp"), (fallback, "fallback")):
            name = f"{stem}-{width}.{ext}"
            files[name] = _encode(current, ext, settings)
            variants.append(Variant(name, current.width, current.height, role))
    tw, th = settings.thumb_size
    for scale, role, suffix in ((1, "thumb", ""), (2, "thumb2x", "@2x")):
        size = (tw * scale, th * scale)
        # The smallest step that still holds the whole thumbnail.
        base = min((im for im in steps if im.width >= size[0] and im.height >= size[1]),
                   key=lambda im: im.width, default=None)
        if base is None and scale > 1:
            break  # a 2x thumbnail would only be the 1x one blown up
        thumb = _thumb(base or upright, size)
        name = f"{stem}-thumb{suffix}.webp"
        files[name] = _encode(thumb, "webp", settings)
        variants.append(Variant(name, thumb.width, thumb.height, role))
    return Rendition(*source_size, tuple(variants)), files
