"""QR codes of page addresses, for posters and printed notices.

One owner for how the site draws a QR code: a standard QR code (never Micro
QR), error correction M or better, with its four-module quiet zone, so any
phone's scanner (WeChat's 长按识别 included) reads it. Pure: the same address
gives the same pixels.
"""

from __future__ import annotations

import io

import segno
from PIL import Image

QUIET_ZONE = 4  # modules; the standard's minimum


def matrix(url: str) -> segno.QRCode:
    """The QR code of `url`: error correction at least M (segno raises it when the size allows)."""
    return segno.make_qr(url, error="m", boost_error=True)


def image(url: str, scale: int, dark: tuple[int, int, int] = (0, 0, 0),
          light: tuple[int, int, int] = (255, 255, 255)) -> Image.Image:
    """An RGB image of the code, `scale` pixels a module, quiet zone included."""
    buffer = io.BytesIO()
    matrix(url).save(buffer, kind="png", scale=scale, border=QUIET_ZONE, dark=dark, light=light)
    buffer.seek(0)
    with Image.open(buffer) as picture:
        return picture.convert("RGB")


def fit_scale(url: str, width: int) -> int:
    """The largest whole-pixel module size at which the code (with its quiet zone) fits `width`."""
    modules = int(matrix(url).symbol_size(scale=1, border=QUIET_ZONE)[0])
    return max(1, width // modules)


def svg(url: str, size_mm: float) -> str:
    """An inline <svg> of the code, `size_mm` millimetres square with its quiet zone.

    Vector, for print: each module is an exact square at any size. The quiet zone is
    painted white, so the code reads on a coloured background too. The address itself is
    not in the markup (only the modules are), so nothing needs escaping.
    """
    inline = matrix(url).svg_inline(border=QUIET_ZONE, omitsize=True, dark="#000", light="#fff",
                                    svgclass=None, lineclass=None)
    return inline.replace("<svg ", f'<svg width="{size_mm:g}mm" height="{size_mm:g}mm" ', 1)


def modules(url: str) -> int:
    """Modules across the code without its quiet zone (21 for version 1, 4 more each version)."""
    return int(matrix(url).symbol_size(scale=1, border=0)[0])
