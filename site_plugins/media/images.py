"""Source image -> upright, metadata-free, resized variants (WebP + JPEG/PNG fallback).

An animation (a GIF from a WeChat article, an animated PNG or WebP) stays animated: animated
WebP at each width, which every browser the site supports plays at a fraction of the GIF's size
and in full colour, and one animated GIF as the fallback `<img src>` that feed readers and
e-mail clients show. Both are encoded from the decoded frames, so only pixels and timing reach
them. The first frame, as a still JPEG/PNG and the listing thumbnails, serves readers who ask
for reduced motion, the social card and podcast artwork (still-only: an animated cover is
reported with a notice).

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
import posixpath
import re
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Protocol

import PIL
from PIL import Image, ImageOps

from site_plugins.content.problems import Problem
from site_plugins.content.schema import IMAGE_TYPES
from site_plugins.media import decode
from site_plugins.media.decode import Frames, ImageError, open_frames, open_upright

__all__ = ["ImageError", "ImageSettings", "Rendition", "Variant", "probe", "render", "target_widths"]

# Bumped whenever the output of `render` changes for the same input and settings.
PIPELINE_VERSION = "3"  # 2: WebP thumbnails at 1x and 2x; 3: animations stay animated, 16-bit grey scaled


class Use(Protocol):
    """Where a page uses an image (content.catalog.ImageUse)."""

    @property
    def page(self) -> str: ...
    @property
    def line(self) -> int: ...
    @property
    def field(self) -> str: ...


@dataclass(frozen=True)
class ImageSettings:
    """Everything that decides the bytes of the variants; part of the cache key."""

    widths: tuple[int, ...] = (480, 960, 1600)
    webp_quality: int = 78
    jpeg_quality: int = 82
    thumb_size: tuple[int, int] = (480, 320)  # listing cards: centre-cropped to 3:2
    max_pixels: int = 60_000_000  # larger than any phone photo we expect; a bomb guard
    # Every frame of an animation together (each decoded into memory): 480×360 for 170 frames, 800×600 for 62.
    max_animation_pixels: int = 30_000_000

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
    role: str  # "webp", "fallback", "thumb", "thumb2x"; "still": an animation's first frame

    @property
    def mime(self) -> str:
        return IMAGE_TYPES["." + self.name.rsplit(".", 1)[1]]

@dataclass(frozen=True)
class Rendition:
    """The variants made from one source image, widest last within each role."""

    width: int  # of the upright source
    height: int
    variants: tuple[Variant, ...] = field(default_factory=tuple)
    frames: int = 1  # more than one: an animation (its webp and fallback variants animate)

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

    @property
    def still(self) -> Variant:
        """A still picture of it (JPEG/PNG): an animation's first frame, else the main fallback."""
        return next(iter(self.role("still")), self.main)

    def to_json(self) -> dict:
        return {"width": self.width, "height": self.height, "variants": [asdict(v) for v in self.variants],
                "frames": self.frames}

    @classmethod
    def from_json(cls, data: dict) -> Rendition:
        return cls(data["width"], data["height"], tuple(Variant(**v) for v in data["variants"]), data.get("frames", 1))


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


def probe(path: Path, settings: ImageSettings) -> tuple[ImageError | None, int]:
    """The header checks of the build's decoding, without decoding, and the frame count: what
    `scripts/check` can afford."""
    return decode.probe(path, settings.max_pixels, settings.max_animation_pixels)


def still_covers(uses: Mapping[str, Sequence[Use]], frames: Mapping[str, int]) -> list[Problem]:
    """A notice wherever an animation is a cover: cards and podcast artwork show its first frame only.

    `uses`: content path -> where it is used (catalog.image_uses); `frames`: content path -> frame count.
    """
    return [Problem(use.page, use.line, use.field, f"封面“{posixpath.basename(src)}”是动图。文章里它照常播放，"
                    "但列表卡片、分享卡片、订阅源和录音封面只用它的第一帧。想让那里是另一幅画面，请另选一张静态图片作封面。",
                    notice=True)
            for src, used in sorted(uses.items()) if frames.get(src, 1) > 1 for use in used if use.field == "cover"]


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
    frames = open_frames(path, settings.max_pixels, settings.max_animation_pixels)
    if frames is not None:
        return _animation(stem, frames, settings)
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
    files.update(_thumbs(stem, steps, upright, settings, variants))
    return Rendition(*source_size, tuple(variants)), files


def _thumbs(stem: str, steps: list[Image.Image], upright: Image.Image, settings: ImageSettings,
            variants: list[Variant]) -> dict[str, bytes]:
    """The listing-card thumbnails (WebP, 1x and 2x), from the smallest step that holds them."""
    files: dict[str, bytes] = {}
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
    return files


def _animation(stem: str, frames: Frames, settings: ImageSettings) -> tuple[Rendition, dict[str, bytes]]:
    """An animation's variants: animated WebP at each width, one animated GIF (the fallback), the
    first frame as a still JPEG/PNG and the thumbnails."""
    first = frames.images[0]
    files: dict[str, bytes] = {}
    variants: list[Variant] = []
    current = list(frames.images)
    steps = [first]
    widths = sorted(target_widths(first.width, settings.widths), reverse=True)
    for width in widths:
        current = [_resize(frame, width) for frame in current]
        steps.append(current[0])
        name = f"{stem}-{width}.webp"
        files[name] = _encode_frames(current, frames, "webp", settings)
        variants.append(Variant(name, width, current[0].height, "webp"))
        if width == widths[0]:
            top = current
    still = "png" if first.mode == "RGBA" else "jpg"
    for name, data, role in ((f"{stem}-{widths[0]}.gif", _encode_frames(top, frames, "gif", settings), "fallback"),
                             (f"{stem}-{widths[0]}-still.{still}", _encode(top[0], still, settings), "still")):
        files[name] = data
        variants.append(Variant(name, top[0].width, top[0].height, role))
    files.update(_thumbs(stem, steps, first, settings, variants))
    return Rendition(first.width, first.height, tuple(variants), len(frames.images)), files


def _encode_frames(images: list[Image.Image], frames: Frames, fmt: str, settings: ImageSettings) -> bytes:
    """An animation as WebP or GIF, with the source's timing and loop and no metadata: same frames, same bytes."""
    out = io.BytesIO()
    timing = {"save_all": True, "append_images": images[1:], "duration": list(frames.durations)}
    if fmt == "webp":
        loop = 1 if frames.loop is None else frames.loop  # WebP: 0 repeats for ever, 1 plays once
        images[0].save(out, "WEBP", quality=settings.webp_quality, method=4, loop=loop, **timing)
    else:  # a transparent frame clears what the one before drew (disposal 2), as the source showed it
        extra = {"loop": frames.loop} if frames.loop is not None else {}
        images[0].save(out, "GIF", optimize=False, disposal=2 if images[0].mode == "RGBA" else 0, **timing, **extra)
    return out.getvalue()
