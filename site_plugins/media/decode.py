"""Open and decode a source image: every bad-input rule (unreadable, unsupported, too large,
truncated, corrupt, an animation too long) and the upright, sRGB, metadata-free pixels
`images.render` starts from (`open_frames`: every frame of an animated GIF, PNG or WebP).

`probe` applies the rules that need only the file's header (and, for an animation, its frame
count); `scripts/check` runs it on every published image, the build then decodes with
`open_upright` or `open_frames`: the same messages in both.
"""

from __future__ import annotations

import contextlib
import io
import math
import warnings
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from PIL import Image, ImageCms, ImageFile, UnidentifiedImageError

# Formats Pillow may decode for us; MPO is the multi-picture JPEG some phones write.
SUPPORTED_FORMATS = frozenset({"JPEG", "MPO", "PNG", "WEBP", "GIF"})
# Formats whose extra frames are an animation (an MPO's second picture is a depth map or a twin).
ANIMATED_FORMATS = frozenset({"GIF", "PNG", "WEBP"})
MIN_FRAME_MS = 20  # browsers show a GIF frame of 0-10 ms for 100 ms: so do we, in every format
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


@contextlib.contextmanager
def _strict() -> Iterator[None]:
    """Decode as the rules say, whatever another library set for the process.

    Pillow warns (instead of failing) for images a little over its limit: fail instead. And
    WeasyPrint, once imported (the lecture notices), sets Pillow's process-wide
    LOAD_TRUNCATED_IMAGES, under which a cut-short or corrupt photo decodes "fine" with grey
    where its data is missing: it is switched off while we decode, and restored after.
    """
    truncated = ImageFile.LOAD_TRUNCATED_IMAGES
    ImageFile.LOAD_TRUNCATED_IMAGES = False
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            yield
    finally:
        ImageFile.LOAD_TRUNCATED_IMAGES = truncated


class ImageError(Exception):
    """A source image that cannot be published; `message` is for editors (Chinese)."""

    def __init__(self, kind: str, message: str) -> None:
        super().__init__(kind, message)
        self.kind = kind  # missing, outside, unreadable, unsupported, truncated, corrupt, bomb
        self.message = message


def open_upright(path: Path, max_pixels: int,
                 need_width: int | None = None) -> tuple[Image.Image, tuple[int, int]]:
    """Decode `path` into a fresh upright sRGB image (RGB or RGBA) with no metadata.

    Returns the image and the upright size of the source (the image may be
    smaller: see `need_width`).

    `need_width` lets JPEG decoding scale down by powers of two (much faster for
    phone photos) while keeping at least that many pixels across the upright image.
    Raises ImageError for anything that is not a whole, supported, sane image.
    """
    with _strict(), _open(path, max_pixels) as image:
        width, height = image.size  # before draft() may scale the decoding down
        if image.format in ("JPEG", "MPO"):
            # A JPEG's EXIF comes with its header, so the orientation is known before
            # decoding, and decoding can be scaled down (draft) to what is needed.
            orientation = _orientation(image)
            if need_width:
                _draft(image, need_width, orientation)
            _load(image, max_pixels)
        else:
            _load(image, max_pixels)  # first: reading a PNG's EXIF would decode it, hiding errors
            orientation = _orientation(image)
        source_size = (height, width) if orientation in (5, 6, 7, 8) else (width, height)
        pixels = _to_srgb(image)
    if orientation in _ORIENTATION:
        pixels = pixels.transpose(_ORIENTATION[orientation])
    # A brand-new image from raw pixels: no info dict, no EXIF, no ICC, nothing to leak.
    return Image.frombytes(pixels.mode, pixels.size, pixels.tobytes()), source_size


@dataclass(frozen=True)
class Frames:
    """The frames of an animation: upright sRGB images of one size and mode, with their timing."""

    images: tuple[Image.Image, ...]
    durations: tuple[int, ...]  # milliseconds each frame shows
    loop: int | None  # times to repeat (0: for ever); None: play once, as the source said nothing


def frame_count(image: Image.Image) -> int:
    """How many frames an opened image animates (1 for a still picture, an MPO's depth map included)."""
    if image.format not in ANIMATED_FORMATS or not getattr(image, "is_animated", False):
        return 1
    return int(getattr(image, "n_frames", 1))


def open_frames(path: Path, max_pixels: int, max_animation: int) -> Frames | None:
    """Every frame of an animated image, decoded as `open_upright` decodes a still; None for a still image."""
    with _strict(), _open(path, max_pixels, max_animation) as image:
        count = frame_count(image)
        if count < 2:
            return None
        orientation = _orientation(image)
        frames: list[Image.Image] = []
        durations: list[int] = []
        loop = image.info.get("loop")
        for index in range(count):
            try:
                image.seek(index)
            except EOFError:
                break  # the header counted one frame more than the file holds
            _load(image, max_pixels)
            # Each frame as shown: Pillow composes a GIF's partial frames onto the canvas.
            frames.append(_to_srgb(image).copy())
            shown = int(image.info.get("duration") or 0)
            durations.append(shown if shown >= MIN_FRAME_MS else 100)
    mode = "RGBA" if any(f.mode == "RGBA" for f in frames) else "RGB"
    upright = []
    for frame in frames:
        frame = frame.convert(mode) if frame.mode != mode else frame
        if orientation in _ORIENTATION:
            frame = frame.transpose(_ORIENTATION[orientation])
        upright.append(Image.frombytes(frame.mode, frame.size, frame.tobytes()))  # bare pixels only
    return Frames(tuple(upright), tuple(durations), None if loop is None else int(loop))


def _open(path: Path, max_pixels: int, max_animation: int = 0) -> Image.Image:
    """Open `path` reading only its header; ImageError unless it is a supported, sane image.

    `max_animation` (pixels of every frame together) also counts an animation's frames.
    """
    name = path.name
    try:
        image = Image.open(path)
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise _bomb(name, None, max_pixels) from None
    except UnidentifiedImageError:
        raise ImageError("unreadable", f"无法识别图片“{name}”：文件已损坏，或不是 JPEG、PNG、WebP、GIF 图片"
                         "（手机拍的 HEIC 照片请先导出为 JPEG）。") from None
    except (OSError, SyntaxError, ValueError, EOFError) as exc:
        raise _broken(name, exc) from None
    if image.format not in SUPPORTED_FORMATS:
        image.close()
        raise ImageError("unsupported", f"图片“{name}”是 {image.format} 格式，网站不支持。"
                         "请另存为 JPEG（照片）或 PNG（图表、截图）。")
    if image.width * image.height > max_pixels:
        image.close()
        raise _bomb(name, image.size, max_pixels)
    if max_animation:
        try:
            count = frame_count(image)
        except (OSError, SyntaxError, ValueError, EOFError) as exc:
            image.close()
            raise _broken(name, exc) from None
        if count * image.width * image.height > max_animation:
            image.close()
            raise ImageError("animation", f"动图“{name}”太大：{count} 帧，每帧 {image.width}×{image.height} 像素，"
                             f"合计约 {count * image.width * image.height / 1e6:.0f} 百万像素，上限 {max_animation / 1e6:.0f} 百万。"
                             "请用 GIF 工具减少帧数（例如只留最关键的几秒）或缩小尺寸（宽 480 像素就够手机看）后再提交；"
                             "也可以只用其中一张截图。")
    return image


def probe(path: Path, max_pixels: int, max_animation: int = 0) -> tuple[ImageError | None, int]:
    """The header checks of `open_upright` and `open_frames` without decoding, and the frame count:
    what `scripts/check` can afford."""
    with _strict():
        try:
            with _open(path, max_pixels, max_animation) as image:
                return None, frame_count(image)
        except ImageError as error:
            return error, 1


def _load(image: Image.Image, max_pixels: int) -> None:
    try:
        image.load()
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise _bomb(Path(str(getattr(image, "filename", ""))).name, image.size, max_pixels) from None
    except (OSError, SyntaxError, ValueError, EOFError) as exc:
        raise _broken(Path(str(getattr(image, "filename", ""))).name, exc) from None


def _broken(name: str, exc: BaseException) -> ImageError:
    if "truncated" in str(exc).lower():
        return ImageError("truncated", f"图片“{name}”不完整（文件被截断，可能没有下载或复制完）。"
                          "请重新复制原图后再提交。")
    return ImageError("corrupt", f"图片“{name}”已损坏，无法读取（{exc}）。请重新导出后再提交。")


def _bomb(name: str, size: tuple[int, int] | None, max_pixels: int) -> ImageError:
    """Too many pixels: the message quotes the limit in force and what it means for a 4:3 photo."""
    dims = f"{size[0]}×{size[1]}，约 {size[0] * size[1] / 1e6:.3g} 百万像素，" if size else ""
    limit = f"{max_pixels / 1e6:.3g} 百万像素"
    edge = int(math.sqrt(max_pixels * 4 / 3)) // 100 * 100  # the long side of a 4:3 photo within the limit
    return ImageError("bomb", f"图片“{name}”尺寸过大（{dims}本站上限 {limit}），可能是“解压炸弹”。"
                      f"请把图片缩小到 {limit}以内（4:3 的照片长边不超过 {edge} 像素）再提交。")


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
    if image.mode.startswith(("I;16", "I", "F")):
        # 16-bit grey (PNG): convert() would clip every value above 255 to white; scale to 8 bits.
        image = image.convert("I").point(lambda value: value / 257).convert("L")
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
