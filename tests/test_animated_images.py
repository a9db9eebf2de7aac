"""Animated GIFs stay animated, with a limit; CMYK, 16-bit and palette images keep their colours.

The published files are read back with Pillow, as a browser would decode them: frame counts,
timing and the colour of each frame within a small tolerance (WebP is lossy).
"""

from __future__ import annotations

import io
import struct
import zlib
from pathlib import Path

import pytest
from PIL import Image

from site_plugins.media.images import ImageError, ImageSettings, probe, render, still_covers
from site_plugins.media.picture import picture

pytestmark = pytest.mark.unit

SETTINGS = ImageSettings()
RED, GREEN, BLUE = (220, 20, 30), (20, 160, 60), (30, 60, 200)


def close(a: tuple[int, ...], b: tuple[int, ...], tolerance: int = 8) -> bool:
    return all(abs(x - y) <= tolerance for x, y in zip(a, b, strict=False))


def animated_gif(path: Path, size: tuple[int, int] = (600, 400), count: int = 3, transparent: bool = False) -> Path:
    """A GIF of `count` frames (red, green, blue...), 100/200/300 ms, looping for ever, with a comment."""
    frames = []
    for index in range(count):
        frame = Image.new("RGBA" if transparent else "RGB", size, (*(RED, GREEN, BLUE)[index % 3], 255))
        if transparent:
            frame.paste((0, 0, 0, 0), (0, 0, size[0] // 4, size[1] // 4))
        frames.append(frame)
    frames[0].save(path, save_all=True, append_images=frames[1:], duration=[100 * (i % 3 + 1) for i in range(count)],
                   loop=0, comment=b"taken at home", disposal=2)
    return path


def frames_of(data: bytes, at: tuple[int, int]) -> tuple[str, list[tuple[int, ...]], list[int], object]:
    """(format, the colour at `at` of each frame, durations, loop) of an encoded image."""
    image = Image.open(io.BytesIO(data))
    colours, durations = [], []
    for index in range(getattr(image, "n_frames", 1)):
        image.seek(index)
        colours.append(image.convert("RGBA").getpixel(at))
        durations.append(int(image.info.get("duration") or 0))
    return str(image.format), colours, durations, image.info.get("loop")


def test_an_animated_gif_publishes_as_animated_webp_and_gif(tmp_path: Path) -> None:
    rendition, files = render(animated_gif(tmp_path / "动图.gif"), SETTINGS)
    assert rendition.frames == 3 and (rendition.width, rendition.height) == (600, 400)
    webps = rendition.role("webp")
    assert [v.width for v in webps] == [480, 600]
    for variant in [*webps, rendition.main]:
        fmt, colours, durations, loop = frames_of(files[variant.name], (variant.width - 5, variant.height - 5))
        assert fmt == ("GIF" if variant is rendition.main else "WEBP")
        assert len(colours) == 3 and all(close(c[:3], e) for c, e in zip(colours, (RED, GREEN, BLUE), strict=True)), colours
        assert durations == [100, 200, 300] and loop == 0
    assert rendition.main.name.endswith(".gif") and rendition.main.mime == "image/gif"
    assert b"taken at home" not in files[rendition.main.name]  # the GIF is re-encoded from pixels
    still = rendition.still  # the first frame: reduced motion, cards, podcast artwork
    fmt, colours, _durations, _loop = frames_of(files[still.name], (5, 5))
    assert still.role == "still" and fmt == "JPEG" and len(colours) == 1 and close(colours[0][:3], RED)
    fmt, colours, _durations, _loop = frames_of(files[rendition.thumb.name], (5, 5))
    assert fmt == "WEBP" and len(colours) == 1 and close(colours[0][:3], RED)


def test_transparency_in_an_animation_is_kept(tmp_path: Path) -> None:
    rendition, files = render(animated_gif(tmp_path / "t.gif", (200, 200), transparent=True), SETTINGS)
    for variant in (rendition.role("webp")[-1], rendition.main):
        _fmt, corner, _d, _l = frames_of(files[variant.name], (2, 2))
        _fmt, middle, _d, _l = frames_of(files[variant.name], (150, 150))
        assert all(c[3] == 0 for c in corner), corner
        assert all(c[3] == 255 for c in middle) and close(middle[1][:3], GREEN), middle


def test_the_same_animation_gives_the_same_bytes(tmp_path: Path) -> None:
    source = animated_gif(tmp_path / "a.gif", (300, 200))
    assert render(source, SETTINGS) == render(source, SETTINGS)


def test_an_animation_past_the_limit_is_refused_in_check_and_build(tmp_path: Path) -> None:
    source = animated_gif(tmp_path / "long.gif", (400, 300), count=12)
    small = ImageSettings(max_animation_pixels=1_000_000)
    error, frames = probe(source, small)
    assert error is not None and error.kind == "animation" and frames == 1
    assert "12 帧" in error.message and "400×300" in error.message and "long.gif" in error.message
    with pytest.raises(ImageError) as raised:
        render(source, small)
    assert raised.value.message == error.message
    assert probe(source, SETTINGS) == (None, 12)


def test_an_animated_cover_gets_a_notice_and_the_reduced_motion_still() -> None:
    class Use:
        def __init__(self, field: str) -> None:
            self.page, self.line, self.field = "stories/a.md", 6, field

    notices = still_covers({"stories/a.gif": [Use("cover"), Use("image")], "stories/b.jpg": [Use("cover")]},
                           {"stories/a.gif": 12, "stories/b.jpg": 1})
    assert [(n.path, n.line, n.field, n.notice) for n in notices] == [("stories/a.md", 6, "cover", True)]
    assert "a.gif" in notices[0].message and "第一帧" in notices[0].message


def test_picture_offers_the_first_frame_to_readers_who_prefer_less_motion(tmp_path: Path) -> None:
    rendition, _files = render(animated_gif(tmp_path / "a.gif", (300, 200)), SETTINGS)
    markup = picture(rendition, lambda name: f"/media/k/{name}", "说明", "100vw")
    assert markup.startswith('<picture><source media="(prefers-reduced-motion: reduce)" srcset="/media/k/a-300-still.jpg">')
    assert 'type="image/webp"' in markup and 'src="/media/k/a-300.gif"' in markup


# --- colours of the formats phones, designers and scanners produce ----------------------------

def _png16(path: Path, size: int, pixel: tuple[int, ...], colour_type: int) -> Path:
    """A 16-bit PNG (grey 0, RGB 2, grey+alpha 4, RGBA 6) of one colour, written by hand."""
    fmt = {0: ">H", 2: ">HHH", 4: ">HH", 6: ">HHHH"}[colour_type]
    rows = b"".join(b"\x00" + struct.pack(fmt, *pixel) * size for _ in range(size))

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", size, size, 16, colour_type, 0, 0, 0)
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows))
                     + chunk(b"IEND", b""))
    return path


def _cmyk(path: Path) -> Path:
    """A CMYK JPEG, as print shops and scanners send (Pillow writes it the Adobe way, inverted)."""
    Image.new("CMYK", (64, 64), (0, 255, 255, 0)).save(path, "JPEG", quality=95)  # magenta + yellow: red
    return path


@pytest.mark.parametrize(("name", "make", "expected"), [
    ("cmyk.jpg", _cmyk, (255, 0, 0, 255)),
    ("grey16.png", lambda p: _png16(p, 64, (32896,), 0), (128, 128, 128, 255)),
    ("rgb16.png", lambda p: _png16(p, 64, (65535, 32896, 0), 2), (255, 128, 0, 255)),
    ("rgba16.png", lambda p: _png16(p, 64, (0, 0, 65535, 32896), 6), (0, 0, 255, 128)),
])
def test_unusual_colour_formats_publish_with_their_colours(tmp_path: Path, name: str, make, expected) -> None:  # type: ignore[no-untyped-def]
    rendition, files = render(make(tmp_path / name), SETTINGS)
    for variant in rendition.variants:
        colour = Image.open(io.BytesIO(files[variant.name])).convert("RGBA").getpixel((variant.width // 2, variant.height // 2))
        assert close(colour, expected), (variant.name, colour)


def test_a_palette_png_keeps_its_colours_and_its_transparent_half(tmp_path: Path) -> None:
    source = Image.new("P", (64, 64), 0)
    source.putpalette([*RED, *BLUE] + [0] * 762)
    source.paste(1, (32, 0, 64, 64))
    source.save(tmp_path / "palette.png", transparency=1)
    rendition, files = render(tmp_path / "palette.png", SETTINGS)
    assert rendition.main.name.endswith(".png")  # transparency needs PNG as the fallback
    for variant in (rendition.main, rendition.role("webp")[-1]):
        decoded = Image.open(io.BytesIO(files[variant.name])).convert("RGBA")
        assert close(decoded.getpixel((8, 8)), (*RED, 255)) and decoded.getpixel((56, 8))[3] == 0
