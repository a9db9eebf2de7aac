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
import warnings
from dataclasses import asdict, dataclass, field
from functools import cache
from pathlib import Path

import PIL
from PIL import Image, ImageCms, ImageOps, UnidentifiedImageError

# Bumped whenever the output of `render` changes for the same input and settings.
PIPELINE_VERSION = "2"  # 2: WebP thumbnails at 1x and 2x
# Formats Pillow may decode for us; MPO is the multi-picture JPEG some phones write.
SUPPORTED_FORMATS = frozenset({"JPEG", "MPO", "PNG", "WEBP", "GIF"})
# The EXIF orientation flag -> the transposition that makes the pixels upright.
_ORIENTATION = {
    2: Image.Transpose.FLIP_LEFT_RIGHT,
    3: Image.Transpose.ROTATE_180,
    4: Image.Transpose.FLIP_TOP_BOTTOM,
    5: Image.Transpose.TRANSPOSE,
    6: Image.Transpose.ROTATE_270,
    7: Image.Transpose.TRANSVERSE,
    8: Image.Transpose.ROTATE_90,
}
MIME = {"webp": "image/webp", "jpg": "image/jpeg", "png": "image/png"}


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


class ImageError(Exception):
    """A source image that cannot be published; `message` is for editors (Chinese)."""

    def __init__(self, kind: str, message: str) -> None:
        super().__init__(kind, message)
        self.kind = kind  # missing, outside, unreadable, unsupported, truncated, corrupt, bomb
        self.message = message


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


def open_upright(path: Path, settings: ImageSettings,
                 need_width: int | None = None) -> tuple[Image.Image, tuple[int, int]]:
    """Decode `path` into a fresh upright sRGB image (RGB or RGBA) with no metadata.

    Returns the image and the upright size of the source (the image may be
    smaller: see `need_width`).

    `need_width` lets JPEG decoding scale down by powers of two (much faster for
    phone photos) while keeping at least that many pixels across the upright image.
    Raises ImageError for anything that is not a whole, supported, sane image.
    """
    name = path.name
    with warnings.catch_warnings():
        # Pillow warns (instead of failing) for images a little over its limit: fail instead.
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            image = Image.open(path)
        except (Image.DecompressionBombError, Image.DecompressionBombWarning):
            raise _bomb(name, None, settings) from None
        except UnidentifiedImageError:
            raise ImageError("unreadable", f"无法识别图片“{name}”：文件已损坏，或不是 JPEG、PNG、WebP、GIF 图片"
                             "（手机拍的 HEIC 照片请先导出为 JPEG）。") from None
        except (OSError, SyntaxError, ValueError, EOFError) as exc:
            raise _broken(name, exc) from None
        with image:
            if image.format not in SUPPORTED_FORMATS:
                raise ImageError("unsupported", f"图片“{name}”是 {image.format} 格式，网站不支持。"
                                 "请另存为 JPEG（照片）或 PNG（图表、截图）。")
            if image.width * image.height > settings.max_pixels:
                raise _bomb(name, image.size, settings)
            width, height = image.size  # before draft() may scale the decoding down
            if image.format in ("JPEG", "MPO"):
                # A JPEG's EXIF comes with its header, so the orientation is known before
                # decoding, and decoding can be scaled down (draft) to what is needed.
                orientation = _orientation(image)
                if need_width:
                    _draft(image, need_width, orientation)
                _load(image, settings)
            else:
                _load(image, settings)  # first: reading a PNG's EXIF would decode it, hiding errors
                orientation = _orientation(image)
            source_size = (height, width) if orientation in (5, 6, 7, 8) else (width, height)
            pixels = _to_srgb(image)
    if orientation in _ORIENTATION:
        pixels = pixels.transpose(_ORIENTATION[orientation])
    # A brand-new image from raw pixels: no info dict, no EXIF, no ICC, nothing to leak.
    return Image.frombytes(pixels.mode, pixels.size, pixels.tobytes()), source_size


def _load(image: Image.Image, settings: ImageSettings) -> None:
    try:
        image.load()
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise _bomb(Path(str(image.filename)).name, image.size, settings) from None
    except (OSError, SyntaxError, ValueError, EOFError) as exc:
        raise _broken(Path(str(image.filename)).name, exc) from None


def _broken(name: str, exc: BaseException) -> ImageError:
    if "truncated" in str(exc).lower():
        return ImageError("truncated", f"图片“{name}”不完整（文件被截断，可能没有下载或复制完）。"
                          "请重新复制原图后再提交。")
    return ImageError("corrupt", f"图片“{name}”已损坏，无法读取（{exc}）。请重新导出后再提交。")


def _bomb(name: str, size: tuple[int, int] | None, settings: ImageSettings) -> ImageError:
    dims = f"{size[0]}×{size[1]}，约 {size[0] * size[1] / 1e6:.0f} 百万像素，" if size else ""
    return ImageError("bomb", f"图片“{name}”尺寸过大（{dims}上限 {settings.max_pixels / 1e6:.0f} 百万像素），"
                      "可能是“解压炸弹”。请把图片缩小到长边 6000 像素以内再提交。")


def _orientation(image: Image.Image) -> int:
    try:
        return int(image.getexif().get(0x0112, 1))
    except Exception:  # unreadable EXIF: nothing to turn; the metadata is dropped anyway
        return 1


def _draft(image: Image.Image, need_width: int, orientation: int) -> None:
    """Let libjpeg decode at 1/2, 1/4 or 1/8 scale when that still gives `need_width` px."""
    upright_width = image.height if orientation in (5, 6, 7, 8) else image.width
    if need_width >= upright_width:
        return
    scale = need_width / upright_width
    image.draft(image.mode, (int(image.width * scale) + 1, int(image.height * scale) + 1))


@cache
def _srgb() -> ImageCms.ImageCmsProfile:
    return ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB"))


def _has_alpha(image: Image.Image) -> bool:
    return image.mode in ("RGBA", "LA", "PA", "RGBa", "La") or (
        image.mode == "P" and "transparency" in image.info)


def _to_srgb(image: Image.Image) -> Image.Image:
    """RGB or RGBA pixels in sRGB: convert through the embedded ICC profile if any.

    The profile itself is not published, so a wide-gamut (Display P3) phone photo
    must be converted, or it would look washed out.
    """
    mode = "RGBA" if _has_alpha(image) else "RGB"
    icc = image.info.get("icc_profile")
    if image.mode not in ("RGB", "RGBA", "CMYK", "L"):
        image = image.convert(mode)
    if icc:
        try:
            profile = ImageCms.ImageCmsProfile(io.BytesIO(icc))
            converted = ImageCms.profileToProfile(image, profile, _srgb(), outputMode=mode)
            if converted is not None:
                return converted
        except (ImageCms.PyCMSError, OSError, ValueError, TypeError):
            pass  # an unusable profile: keep the pixel values as they are
    return image.convert(mode) if image.mode != mode else image


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
    upright, source_size = open_upright(path, settings, need_width=max(settings.widths))
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
