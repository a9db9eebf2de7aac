"""Draw the sample illustrations used by the example content of the site.

We may not use photographs from the web, so every picture in ``content/`` is a
flat illustration drawn here with Pillow: red cross emblems, stylised people,
Shanxi mountains and buildings, hands, hearts, blood drops and soft gradients.
The pictures contain no text.

Each picture has its own palette and a random generator seeded from its file
name, so running the script again writes byte-identical files. Shapes are drawn
at twice the final size and scaled down for smooth edges.

Output (paths relative to the repository root):

* covers: 1600x1000 JPEG, quality 85;
* inline pictures: 2000x1500 JPEG, and one PNG;
* JPEGs carry no EXIF, ICC profile or comment; PNGs carry no text chunks.

Usage::

    python scripts/make_sample_images.py            # write into ./content
    python scripts/make_sample_images.py --root DIR  # write into DIR/content

The images are released under CC0 1.0 (see docs/CONTENT_CREDITS.md).
"""

from __future__ import annotations

import argparse
import math
import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageDraw

RGB = tuple[int, int, int]
Point = tuple[float, float]

SCALE = 2
COVER = (1600, 1000)
INLINE = (2000, 1500)
JPEG_QUALITY = 85

RED: RGB = (206, 17, 38)
WHITE: RGB = (255, 255, 255)


@dataclass(frozen=True)
class Palette:
    """The colours of one picture."""

    sky_top: RGB
    sky_bottom: RGB
    far: RGB
    near: RGB
    ground: RGB
    accent: RGB
    clothes: tuple[RGB, ...]
    skin: RGB = (236, 196, 160)
    hair: RGB = (60, 45, 40)


def mix(a: RGB, b: RGB, t: float) -> RGB:
    """Blend two colours; t=0 gives a, t=1 gives b."""
    return (
        round(a[0] + (b[0] - a[0]) * t),
        round(a[1] + (b[1] - a[1]) * t),
        round(a[2] + (b[2] - a[2]) * t),
    )


class Canvas:
    """A supersampled drawing surface with helpers in relative coordinates."""

    def __init__(self, size: tuple[int, int], palette: Palette, seed: str) -> None:
        self.size = size
        self.w = size[0] * SCALE
        self.h = size[1] * SCALE
        self.pal = palette
        self.rng = random.Random(seed)
        self.img = Image.new("RGB", (self.w, self.h), palette.sky_bottom)
        self.draw = ImageDraw.Draw(self.img)

    def x(self, f: float) -> float:
        return f * self.w

    def y(self, f: float) -> float:
        return f * self.h

    def u(self, f: float) -> float:
        """A length relative to the picture height (keeps shapes round)."""
        return f * self.h

    def finish(self) -> Image.Image:
        return self.img.resize(self.size, Image.Resampling.LANCZOS)


# ---------------------------------------------------------------- primitives


def gradient(c: Canvas, top: RGB, bottom: RGB, y0: float = 0.0, y1: float = 1.0) -> None:
    """Fill a horizontal band with a vertical gradient."""
    top_px, bottom_px = round(c.y(y0)), round(c.y(y1))
    rows = max(bottom_px - top_px, 1)
    column = Image.new("RGB", (1, 256))
    for i in range(256):
        column.putpixel((0, i), mix(top, bottom, i / 255))
    band = column.resize((c.w, rows), Image.Resampling.BILINEAR)
    c.img.paste(band, (0, top_px))


def circle(c: Canvas, cx: float, cy: float, r: float, fill: RGB) -> None:
    c.draw.ellipse([cx - r, cy - r, cx + r, cy + r], fill=fill)


def limb(c: Canvas, a: Point, b: Point, width: float, fill: RGB) -> None:
    """A thick line with round ends (arms, legs, canes)."""
    c.draw.line([a, b], fill=fill, width=max(round(width), 1))
    circle(c, a[0], a[1], width / 2, fill)
    circle(c, b[0], b[1], width / 2, fill)


def rrect(c: Canvas, x0: float, y0: float, x1: float, y1: float, r: float, fill: RGB) -> None:
    c.draw.rounded_rectangle(
        [min(x0, x1), min(y0, y1), max(x0, x1), max(y0, y1)], radius=max(r, 0), fill=fill
    )


def glow(c: Canvas, cx: float, cy: float, r: float, color: RGB, bg: RGB, rings: int = 6) -> None:
    """A sun or lamp with a soft halo."""
    for i in range(rings, 0, -1):
        circle(c, cx, cy, r * (1 + i * 0.35), mix(bg, color, 0.5 / (i + 1)))
    circle(c, cx, cy, r, color)


def ridge(c: Canvas, base: float, amp: float, fill: RGB, rough: float = 0.5, step: float = 0.04) -> None:
    """A mountain range across the whole width; base and amp in height units."""
    pts: list[Point] = [(0, c.h)]
    x = -0.05
    phase = c.rng.uniform(0, math.tau)
    while x <= 1.1:
        wave = math.sin(x * 5.5 + phase) * 0.55 + math.sin(x * 13 + phase * 2) * 0.25
        jitter = c.rng.uniform(-rough, rough) * 0.35
        pts.append((c.x(x), c.y(base - amp * (wave + jitter + 0.6))))
        x += step
    pts.append((c.w, c.h))
    c.draw.polygon(pts, fill=fill)


def hills(c: Canvas, base: float, amp: float, fill: RGB, freq: float = 3.0) -> None:
    """Soft rolling hills (loess plateau, grassland)."""
    phase = c.rng.uniform(0, math.tau)
    pts: list[Point] = [(0, c.h)]
    for i in range(0, 101):
        f = i / 100
        pts.append((c.x(f), c.y(base - amp * (0.5 + 0.5 * math.sin(f * freq * math.pi + phase)))))
    pts.append((c.w, c.h))
    c.draw.polygon(pts, fill=fill)


def cloud(c: Canvas, cx: float, cy: float, s: float, fill: RGB) -> None:
    """A puffy cloud; cx, cy relative, s in height units."""
    x, y, r = c.x(cx), c.y(cy), c.u(s)
    for dx, dy, k in ((-1.2, 0.2, 0.7), (0, -0.2, 1.0), (1.1, 0.15, 0.75), (0.5, 0.35, 0.7)):
        circle(c, x + dx * r, y + dy * r, r * k, fill)
    rrect(c, x - 1.8 * r, y + 0.1 * r, x + 1.8 * r, y + 0.9 * r, 0.4 * r, fill)


def red_cross(c: Canvas, cx: float, cy: float, s: float, badge: RGB | None = WHITE) -> None:
    """The red cross emblem, optionally on a round badge; s = half size in px."""
    if badge is not None:
        circle(c, cx, cy, s * 1.45, badge)
    a = s * 0.34
    c.draw.rectangle([cx - a, cy - s, cx + a, cy + s], fill=RED)
    c.draw.rectangle([cx - s, cy - a, cx + s, cy + a], fill=RED)


def heart(c: Canvas, cx: float, cy: float, s: float, fill: RGB) -> None:
    """A heart of half-width s pixels centred on (cx, cy)."""
    r = s * 0.52
    circle(c, cx - r * 0.92, cy - r * 0.35, r, fill)
    circle(c, cx + r * 0.92, cy - r * 0.35, r, fill)
    c.draw.polygon(
        [(cx - s * 0.98, cy - r * 0.05), (cx + s * 0.98, cy - r * 0.05), (cx, cy + s * 1.05)],
        fill=fill,
    )


def drop(c: Canvas, cx: float, cy: float, s: float, fill: RGB, shine: RGB | None = None) -> None:
    """A blood or water drop whose round part has radius s pixels."""
    circle(c, cx, cy, s, fill)
    c.draw.polygon(
        [(cx - s * 0.94, cy - s * 0.35), (cx, cy - s * 2.3), (cx + s * 0.94, cy - s * 0.35)],
        fill=fill,
    )
    if shine is not None:
        c.draw.ellipse([cx - s * 0.6, cy - s * 0.4, cx - s * 0.3, cy + s * 0.2], fill=shine)


def person(
    c: Canvas,
    x: float,
    base: float,
    h: float,
    cloth: RGB,
    pose: str = "stand",
    hair: RGB | None = None,
    skin: RGB | None = None,
    legs: RGB | None = None,
    facing: int = 1,
) -> None:
    """A stylised standing figure; x, base in px, h = height in px.

    Poses: stand, wave, cane (an older person with a walking stick), reach
    (both arms forward, e.g. handing something over), carry (a box held in
    front).
    """
    u = h / 8
    skin = skin or c.pal.skin
    hair = hair or c.pal.hair
    legs = legs or mix(cloth, (40, 40, 50), 0.55)
    lean = 0.25 * u * facing if pose == "cane" else 0.0
    hip_y = base - 3.6 * u
    shoulder_y = base - h + 2.0 * u
    # legs
    limb(c, (x - 0.45 * u, hip_y), (x - 0.5 * u, base - 0.3 * u), 0.8 * u, legs)
    limb(c, (x + 0.45 * u, hip_y), (x + 0.5 * u, base - 0.3 * u), 0.8 * u, legs)
    # torso
    rrect(
        c,
        x - 1.1 * u + lean,
        shoulder_y - 0.3 * u,
        x + 1.1 * u + lean,
        hip_y + 0.4 * u,
        0.6 * u,
        cloth,
    )
    sl = (x - 1.0 * u + lean, shoulder_y + 0.2 * u)
    sr = (x + 1.0 * u + lean, shoulder_y + 0.2 * u)
    arm = 0.6 * u
    sleeve = mix(cloth, (0, 0, 0), 0.12)
    if pose == "wave":
        limb(c, sl, (x - 1.4 * u, hip_y + 0.2 * u), arm, sleeve)
        limb(c, sr, (x + 2.0 * u, shoulder_y - 1.6 * u), arm, sleeve)
        circle(c, x + 2.0 * u, shoulder_y - 1.9 * u, 0.38 * u, skin)
    elif pose == "cane":
        hand = (x + 1.9 * u * facing + lean, hip_y + 0.3 * u)
        limb(c, sl if facing > 0 else sr, (x - 1.2 * u * facing, hip_y), arm, sleeve)
        limb(c, sr if facing > 0 else sl, hand, arm, sleeve)
        limb(c, hand, (hand[0] + 0.3 * u * facing, base), 0.25 * u, (110, 80, 55))
        circle(c, hand[0], hand[1], 0.35 * u, skin)
    elif pose in ("reach", "carry"):
        y_hand = shoulder_y + (1.3 * u if pose == "carry" else 0.9 * u)
        limb(c, sl, (x + 1.9 * u * facing, y_hand), arm, sleeve)
        limb(c, sr, (x + 2.1 * u * facing, y_hand), arm, sleeve)
        if pose == "carry":
            bx = x + 2.0 * u * facing
            rrect(
                c,
                bx - 1.2 * u,
                y_hand - 1.5 * u,
                bx + 1.2 * u,
                y_hand + 0.5 * u,
                0.15 * u,
                (214, 170, 110),
            )
            red_cross(c, bx, y_hand - 0.5 * u, 0.45 * u, badge=None)
    else:
        limb(c, sl, (x - 1.35 * u, hip_y + 0.3 * u), arm, sleeve)
        limb(c, sr, (x + 1.35 * u, hip_y + 0.3 * u), arm, sleeve)
    # head
    hx, hy = x + lean * 1.4, base - h + 0.85 * u
    circle(c, hx, hy, 0.85 * u, skin)
    c.draw.chord([hx - 0.9 * u, hy - 0.95 * u, hx + 0.9 * u, hy + 0.55 * u], 180, 360, fill=hair)


def vest_badge(c: Canvas, x: float, base: float, h: float) -> None:
    """The small red cross on a volunteer's vest, for a figure drawn by person()."""
    u = h / 8
    red_cross(c, x + 0.45 * u, base - h + 3.0 * u, 0.32 * u, badge=WHITE)


def kneeling_rescuer(c: Canvas, x: float, base: float, h: float, cloth: RGB) -> None:
    """A rescuer kneeling, arms straight down, doing chest compressions (faces right)."""
    u = h / 8
    legs = mix(cloth, (40, 40, 50), 0.55)
    knee = (x + 0.6 * u, base - 0.4 * u)
    hip = (x - 0.6 * u, base - 2.4 * u)
    limb(c, (x - 2.2 * u, base - 0.4 * u), knee, 0.85 * u, legs)
    limb(c, knee, hip, 0.9 * u, legs)
    shoulder = (x + 1.2 * u, base - 5.2 * u)
    c.draw.line([hip, shoulder], fill=cloth, width=round(2.0 * u))
    circle(c, hip[0], hip[1], 1.0 * u, cloth)
    circle(c, shoulder[0], shoulder[1], 1.0 * u, cloth)
    hands = (x + 2.3 * u, base - 1.7 * u)
    limb(c, shoulder, hands, 0.6 * u, mix(cloth, (0, 0, 0), 0.12))
    circle(c, hands[0], hands[1], 0.4 * u, c.pal.skin)
    circle(c, shoulder[0] + 0.9 * u, shoulder[1] - 1.3 * u, 0.85 * u, c.pal.skin)
    hx, hy = shoulder[0] + 0.9 * u, shoulder[1] - 1.3 * u
    c.draw.chord([hx - 0.9 * u, hy - 0.95 * u, hx + 0.9 * u, hy + 0.55 * u], 180, 360, fill=c.pal.hair)
    red_cross(c, x + 0.2 * u, base - 4.0 * u, 0.35 * u)


def lying_person(c: Canvas, x: float, base: float, length: float, cloth: RGB) -> None:
    """A person lying on their back, head to the right of x."""
    u = length / 8
    legs = mix(cloth, (40, 40, 50), 0.5)
    limb(c, (x - 7.0 * u, base - 0.45 * u), (x - 3.6 * u, base - 0.5 * u), 0.85 * u, legs)
    rrect(c, x - 4.0 * u, base - 1.35 * u, x - 0.3 * u, base, 0.5 * u, cloth)
    circle(c, x + 0.6 * u, base - 0.8 * u, 0.85 * u, c.pal.skin)


def seated_person(c: Canvas, x: float, base: float, h: float, cloth: RGB, hair: RGB) -> None:
    """A person sitting on a chair, facing right; base is the floor."""
    u = h / 8
    legs = mix(cloth, (40, 40, 50), 0.5)
    seat_y = base - 2.6 * u
    rrect(c, x - 1.6 * u, seat_y, x + 1.4 * u, seat_y + 0.4 * u, 0.1 * u, (150, 110, 80))
    limb(c, (x - 1.3 * u, seat_y), (x - 1.3 * u, base), 0.3 * u, (150, 110, 80))
    limb(c, (x + 1.1 * u, seat_y), (x + 1.1 * u, base), 0.3 * u, (150, 110, 80))
    limb(c, (x - 1.4 * u, seat_y - 4.5 * u), (x - 1.4 * u, seat_y), 0.35 * u, (150, 110, 80))
    limb(c, (x, seat_y - 0.3 * u), (x + 1.8 * u, seat_y - 0.3 * u), 0.9 * u, legs)
    limb(c, (x + 1.8 * u, seat_y - 0.3 * u), (x + 1.8 * u, base - 0.2 * u), 0.8 * u, legs)
    rrect(c, x - 0.9 * u, seat_y - 4.2 * u, x + 1.0 * u, seat_y + 0.2 * u, 0.6 * u, cloth)
    limb(
        c,
        (x + 0.5 * u, seat_y - 3.5 * u),
        (x + 1.7 * u, seat_y - 1.4 * u),
        0.55 * u,
        mix(cloth, (0, 0, 0), 0.12),
    )
    hx, hy = x + 0.1 * u, seat_y - 5.1 * u
    circle(c, hx, hy, 0.85 * u, c.pal.skin)
    c.draw.chord([hx - 0.9 * u, hy - 0.95 * u, hx + 0.9 * u, hy + 0.55 * u], 180, 360, fill=hair)


def crowd(
    c: Canvas,
    x0: float,
    x1: float,
    base: float,
    h: float,
    n: int,
    poses: Sequence[str] = ("stand",),
) -> None:
    """A row of n people between relative x0 and x1 standing on relative base."""
    for i in range(n):
        f = x0 + (x1 - x0) * (i + 0.5) / n
        hh = c.u(h) * c.rng.uniform(0.88, 1.05)
        cloth = c.pal.clothes[i % len(c.pal.clothes)]
        pose = poses[i % len(poses)]
        hair = (200, 200, 205) if pose == "cane" else c.pal.hair
        person(c, c.x(f), c.y(base), hh, cloth, pose=pose, hair=hair, facing=1 if i % 2 == 0 else -1)


def building(
    c: Canvas,
    x0: float,
    x1: float,
    base: float,
    top: float,
    fill: RGB,
    window: RGB,
    cols: int = 4,
    rows: int = 5,
    cross: bool = False,
) -> None:
    """A block of flats or a hospital; coordinates relative."""
    X0, X1, B, T = c.x(x0), c.x(x1), c.y(base), c.y(top)
    c.draw.rectangle([X0, T, X1, B], fill=fill)
    c.draw.rectangle([X0 - c.u(0.006), T - c.u(0.012), X1 + c.u(0.006), T], fill=mix(fill, (0, 0, 0), 0.2))
    gw, gh = (X1 - X0) / cols, (B - T) / (rows + 1)
    for r in range(rows):
        for k in range(cols):
            wx, wy = X0 + gw * k + gw * 0.25, T + gh * (r + 0.4)
            c.draw.rectangle([wx, wy, wx + gw * 0.5, wy + gh * 0.5], fill=window)
    if cross:
        red_cross(c, (X0 + X1) / 2, T + gh * 0.2 - c.u(0.05), c.u(0.035))


def pagoda(c: Canvas, cx: float, base: float, w: float, h: float, fill: RGB, tiers: int = 5) -> None:
    """A wooden pagoda silhouette (like the one in Ying county); relative coords."""
    X, B, W, H = c.x(cx), c.y(base), c.u(w), c.u(h)
    th = H / (tiers + 1)
    for i in range(tiers):
        k = 1 - i * 0.11
        yb = B - i * th
        c.draw.rectangle([X - W * 0.32 * k, yb - th, X + W * 0.32 * k, yb], fill=fill)
        c.draw.polygon(
            [
                (X - W * 0.55 * k, yb - th * 0.72),
                (X + W * 0.55 * k, yb - th * 0.72),
                (X + W * 0.36 * k, yb - th * 1.05),
                (X - W * 0.36 * k, yb - th * 1.05),
            ],
            fill=mix(fill, (0, 0, 0), 0.15),
        )
    c.draw.polygon(
        [(X - W * 0.12, B - tiers * th), (X + W * 0.12, B - tiers * th), (X, B - H - th * 0.3)],
        fill=fill,
    )


def tree(c: Canvas, x: float, base: float, h: float, leaf: RGB) -> None:
    X, B, H = c.x(x), c.y(base), c.u(h)
    c.draw.rectangle([X - H * 0.04, B - H * 0.45, X + H * 0.04, B], fill=(120, 85, 60))
    circle(c, X, B - H * 0.65, H * 0.3, leaf)
    circle(c, X - H * 0.18, B - H * 0.5, H * 0.2, mix(leaf, (0, 0, 0), 0.08))
    circle(c, X + H * 0.18, B - H * 0.52, H * 0.22, mix(leaf, WHITE, 0.08))


def vehicle(
    c: Canvas,
    x0: float,
    base: float,
    length: float,
    body: RGB,
    kind: str = "van",
    cross: bool = True,
) -> None:
    """A bus, van or lorry facing right; x0, base relative, length in width units."""
    X0, B, L = c.x(x0), c.y(base), c.x(length)
    hgt = L * (0.42 if kind == "bus" else 0.36)
    wheel = hgt * 0.17
    glass = (190, 225, 240)
    if kind == "truck":
        rrect(c, X0, B - hgt * 1.05, X0 + L * 0.68, B - wheel, hgt * 0.05, body)
        rrect(c, X0 + L * 0.7, B - hgt * 0.75, X0 + L, B - wheel, hgt * 0.15, mix(body, WHITE, 0.35))
        c.draw.rectangle([X0 + L * 0.8, B - hgt * 0.68, X0 + L * 0.95, B - hgt * 0.42], fill=glass)
    else:
        rrect(c, X0, B - hgt, X0 + L, B - wheel, hgt * 0.16, body)
        n = 5 if kind == "bus" else 2
        for i in range(n):
            wx = X0 + L * 0.06 + i * L * 0.88 / n
            c.draw.rectangle([wx, B - hgt * 0.85, wx + L * 0.88 / n * 0.8, B - hgt * 0.5], fill=glass)
    for fx in (0.18, 0.82):
        circle(c, X0 + L * fx, B - wheel, wheel, (50, 50, 55))
        circle(c, X0 + L * fx, B - wheel, wheel * 0.45, (170, 170, 175))
    if cross:
        cx = X0 + (L * 0.34 if kind == "truck" else L * 0.5)
        red_cross(c, cx, B - hgt * 0.55 + (0 if kind == "truck" else hgt * 0.12), hgt * 0.16)


def tent(c: Canvas, cx: float, base: float, w: float, h: float, fill: RGB) -> None:
    X, B, W, H = c.x(cx), c.y(base), c.u(w), c.u(h)
    c.draw.polygon([(X - W / 2, B), (X, B - H), (X + W / 2, B)], fill=fill)
    c.draw.polygon([(X - W * 0.12, B), (X, B - H * 0.55), (X + W * 0.12, B)], fill=mix(fill, (0, 0, 0), 0.35))
    red_cross(c, X, B - H * 0.68, H * 0.1)


def hands_holding(c: Canvas, cx: float, cy: float, s: float, skin: RGB, held: Callable[[], None]) -> None:
    """Two cupped hands under something drawn by held(); s = half width in px."""
    held()
    shade = mix(skin, (0, 0, 0), 0.12)
    c.draw.chord([cx - s, cy - s * 0.7, cx + s, cy + s * 0.7], 0, 180, fill=skin)
    c.draw.line([(cx, cy), (cx, cy + s * 0.7)], fill=shade, width=max(round(s * 0.03), 1))
    for side in (-1, 1):
        tx = cx + side * s * 0.92
        c.draw.ellipse([tx - s * 0.14, cy - s * 0.25, tx + s * 0.14, cy + s * 0.1], fill=skin)
    rrect(c, cx - s * 0.75, cy + s * 0.55, cx - s * 0.05, cy + s * 1.5, s * 0.2, skin)
    rrect(c, cx + s * 0.05, cy + s * 0.55, cx + s * 0.75, cy + s * 1.5, s * 0.2, shade)


def note(c: Canvas, x: float, y: float, s: float, fill: RGB) -> None:
    """A musical note (a shape, not text)."""
    c.draw.ellipse([x - s, y - s * 0.7, x + s, y + s * 0.7], fill=fill)
    c.draw.line([(x + s * 0.9, y), (x + s * 0.9, y - s * 4)], fill=fill, width=round(s * 0.3))
    c.draw.polygon(
        [
            (x + s * 0.9, y - s * 4),
            (x + s * 2.2, y - s * 3.0),
            (x + s * 2.0, y - s * 2.5),
            (x + s * 0.9, y - s * 3.2),
        ],
        fill=fill,
    )


def aed(c: Canvas, cx: float, cy: float, s: float, body: RGB) -> None:
    """A defibrillator box: a heart with a lightning bolt."""
    rrect(c, cx - s, cy - s * 0.8, cx + s, cy + s * 0.8, s * 0.2, body)
    heart(c, cx, cy - s * 0.05, s * 0.5, WHITE)
    c.draw.polygon(
        [
            (cx + s * 0.05, cy - s * 0.5),
            (cx - s * 0.2, cy + s * 0.02),
            (cx, cy + s * 0.02),
            (cx - s * 0.1, cy + s * 0.45),
            (cx + s * 0.25, cy - s * 0.1),
            (cx + s * 0.05, cy - s * 0.1),
        ],
        fill=(250, 196, 40),
    )


def first_aid_kit(c: Canvas, cx: float, cy: float, s: float, body: RGB = WHITE) -> None:
    rrect(c, cx - s * 0.4, cy - s * 0.95, cx + s * 0.4, cy - s * 0.6, s * 0.1, (90, 90, 95))
    rrect(c, cx - s, cy - s * 0.7, cx + s, cy + s * 0.7, s * 0.15, body)
    red_cross(c, cx, cy, s * 0.4, badge=None)


def rain(c: Canvas, color: RGB, n: int, y1: float = 0.7) -> None:
    for _ in range(n):
        x, y = c.x(c.rng.random()), c.y(c.rng.uniform(0, y1))
        c.draw.line([(x, y), (x - c.u(0.012), y + c.u(0.04))], fill=color, width=max(round(c.u(0.003)), 1))


def water(c: Canvas, top: float, fill: RGB, line: RGB) -> None:
    c.draw.rectangle([0, c.y(top), c.w, c.h], fill=fill)
    for _ in range(40):
        x, y = c.x(c.rng.random()), c.y(c.rng.uniform(top + 0.02, 0.98))
        ln = c.u(c.rng.uniform(0.03, 0.08))
        c.draw.line([(x, y), (x + ln, y)], fill=line, width=max(round(c.u(0.004)), 1))


def dots(c: Canvas, n: int, colors: Sequence[RGB], rmin: float, rmax: float) -> None:
    """Scattered round cells or confetti."""
    for _ in range(n):
        r = c.u(c.rng.uniform(rmin, rmax))
        circle(c, c.x(c.rng.random()), c.y(c.rng.random()), r, c.rng.choice(list(colors)))


def turbine(c: Canvas, x: float, base: float, h: float, fill: RGB, angle: float) -> None:
    X, B, H = c.x(x), c.y(base), c.u(h)
    c.draw.polygon(
        [(X - H * 0.02, B), (X - H * 0.008, B - H), (X + H * 0.008, B - H), (X + H * 0.02, B)],
        fill=fill,
    )
    for k in range(3):
        a = angle + k * math.tau / 3
        tip = (X + math.cos(a) * H * 0.45, B - H + math.sin(a) * H * 0.45)
        c.draw.line([(X, B - H), tip], fill=fill, width=round(H * 0.025))
    circle(c, X, B - H, H * 0.03, fill)


def table(c: Canvas, x0: float, x1: float, top: float, fill: RGB) -> None:
    X0, X1, T = c.x(x0), c.x(x1), c.y(top)
    c.draw.rectangle([X0, T, X1, T + c.u(0.025)], fill=fill)
    for x in (X0 + c.u(0.02), X1 - c.u(0.04)):
        c.draw.rectangle([x, T, x + c.u(0.02), T + c.u(0.2)], fill=mix(fill, (0, 0, 0), 0.2))


# ------------------------------------------------------------------- scenes


def scene_bus_stop_cpr(c: Canvas) -> None:
    p = c.pal
    gradient(c, p.sky_top, p.sky_bottom, 0, 0.75)
    glow(c, c.x(0.82), c.y(0.2), c.u(0.07), (255, 236, 190), p.sky_top)
    for i, f in enumerate((0.02, 0.12, 0.2, 0.3, 0.6, 0.7, 0.8, 0.9)):
        building(
            c,
            f,
            f + 0.085,
            0.75,
            0.3 + 0.1 * ((i * 7) % 3),
            p.far,
            mix(p.far, WHITE, 0.3),
            cols=3,
            rows=6,
        )
    c.draw.rectangle([0, c.y(0.75), c.w, c.h], fill=p.ground)
    c.draw.rectangle([0, c.y(0.75), c.w, c.y(0.77)], fill=mix(p.ground, WHITE, 0.4))
    # bus shelter
    c.draw.rectangle([c.x(0.05), c.y(0.38), c.x(0.42), c.y(0.41)], fill=p.near)
    for f in (0.07, 0.4):
        c.draw.rectangle([c.x(f), c.y(0.41), c.x(f) + c.u(0.015), c.y(0.76)], fill=p.near)
    c.draw.rectangle([c.x(0.1), c.y(0.43), c.x(0.37), c.y(0.62)], fill=mix(p.sky_top, WHITE, 0.5))
    vehicle(c, 0.55, 0.78, 0.4, p.accent, kind="bus", cross=False)
    lying_person(c, c.x(0.44), c.y(0.92), c.u(0.28), p.clothes[2])
    kneeling_rescuer(c, c.x(0.32), c.y(0.93), c.u(0.3), p.clothes[0])
    person(c, c.x(0.16), c.y(0.93), c.u(0.34), p.clothes[1], pose="reach")
    aed(c, c.x(0.21), c.y(0.72), c.u(0.035), (40, 150, 90))


def scene_elder_base(c: Canvas) -> None:
    p = c.pal
    gradient(c, p.sky_top, p.sky_bottom, 0, 0.72)
    glow(c, c.x(0.15), c.y(0.2), c.u(0.08), (255, 214, 150), p.sky_top)
    cloud(c, 0.6, 0.14, 0.04, mix(p.sky_top, WHITE, 0.7))
    ridge(c, 0.62, 0.12, p.far)
    pagoda(c, 0.86, 0.66, 0.14, 0.42, mix(p.far, (0, 0, 0), 0.2), tiers=5)
    c.draw.rectangle([0, c.y(0.66), c.w, c.h], fill=p.ground)
    building(c, 0.3, 0.68, 0.74, 0.34, p.near, (250, 236, 205), cols=6, rows=4, cross=True)
    for f in (0.08, 0.22, 0.76):
        tree(c, f, 0.8, 0.2, p.accent)
    crowd(c, 0.1, 0.9, 0.95, 0.3, 6, poses=("cane", "stand", "cane", "reach", "stand", "cane"))


def scene_stem_cells(c: Canvas) -> None:
    p = c.pal
    gradient(c, p.sky_top, p.sky_bottom)
    dots(c, 70, (mix(p.sky_top, WHITE, 0.3), mix(p.sky_bottom, WHITE, 0.2), p.far), 0.01, 0.05)
    for _ in range(8):
        x, y, r = c.x(c.rng.random()), c.y(c.rng.random()), c.u(c.rng.uniform(0.04, 0.07))
        circle(c, x, y, r, mix(p.accent, WHITE, 0.4))
        circle(c, x, y, r * 0.45, p.accent)
    hands_holding(
        c,
        c.x(0.5),
        c.y(0.66),
        c.u(0.28),
        p.skin,
        lambda: drop(c, c.x(0.5), c.y(0.5), c.u(0.13), RED, shine=(250, 150, 150)),
    )
    heart(c, c.x(0.5), c.y(0.46), c.u(0.04), WHITE)


def scene_flood_relief(c: Canvas) -> None:
    p = c.pal
    gradient(c, p.sky_top, p.sky_bottom, 0, 0.7)
    for cx in (0.15, 0.45, 0.75):
        cloud(c, cx, 0.12, 0.06, mix(p.sky_top, (0, 0, 0), 0.1))
    ridge(c, 0.55, 0.15, p.far)
    ridge(c, 0.62, 0.08, p.near)
    water(c, 0.66, mix(p.far, (130, 110, 80), 0.5), mix(p.sky_bottom, WHITE, 0.3))
    c.draw.polygon([(c.x(0.45), c.y(0.75)), (c.x(1.0), c.y(0.7)), (c.w, c.h), (c.x(0.4), c.h)], fill=p.ground)
    tent(c, 0.62, 0.83, 0.22, 0.18, (240, 240, 235))
    tent(c, 0.86, 0.8, 0.18, 0.15, (230, 232, 225))
    crowd(c, 0.5, 0.98, 0.97, 0.22, 4, poses=("carry", "stand", "reach", "wave"))
    rain(c, mix(p.sky_bottom, WHITE, 0.5), 140, 0.65)


def scene_grassland_station(c: Canvas) -> None:
    p = c.pal
    gradient(c, p.sky_top, p.sky_bottom, 0, 0.7)
    cloud(c, 0.2, 0.18, 0.05, WHITE)
    cloud(c, 0.7, 0.1, 0.035, WHITE)
    for i, f in enumerate((0.1, 0.28, 0.46)):
        turbine(c, f, 0.56, 0.26, (245, 245, 248), 0.4 + i * 0.7)
    hills(c, 0.62, 0.1, p.far, freq=2.2)
    hills(c, 0.75, 0.08, p.ground, freq=3.1)
    tent(c, 0.66, 0.82, 0.3, 0.22, (250, 250, 248))
    c.draw.rectangle([c.x(0.79), c.y(0.5), c.x(0.79) + c.u(0.008), c.y(0.82)], fill=(120, 120, 125))
    c.draw.rectangle([c.x(0.79) + c.u(0.008), c.y(0.5), c.x(0.86), c.y(0.56)], fill=WHITE)
    red_cross(c, c.x(0.83), c.y(0.53), c.u(0.018), badge=None)
    person(c, c.x(0.5), c.y(0.93), c.u(0.3), p.clothes[0], pose="reach")
    vest_badge(c, c.x(0.5), c.y(0.93), c.u(0.3))
    person(c, c.x(0.6), c.y(0.94), c.u(0.22), p.clothes[1], facing=-1)
    first_aid_kit(c, c.x(0.28), c.y(0.86), c.u(0.06))


def scene_music_elders(c: Canvas) -> None:
    p = c.pal
    c.draw.rectangle([0, 0, c.w, c.y(0.78)], fill=p.sky_top)
    c.draw.rectangle([0, c.y(0.78), c.w, c.h], fill=p.ground)
    c.draw.rectangle([c.x(0.06), c.y(0.12), c.x(0.32), c.y(0.45)], fill=p.sky_bottom)
    c.draw.rectangle([c.x(0.06), c.y(0.28), c.x(0.32), c.y(0.295)], fill=p.near)
    c.draw.rectangle([c.x(0.185), c.y(0.12), c.x(0.195), c.y(0.45)], fill=p.near)
    red_cross(c, c.x(0.85), c.y(0.18), c.u(0.04))
    for i in range(7):
        note(
            c,
            c.x(0.4 + i * 0.07),
            c.y(0.2 + 0.08 * math.sin(i * 1.3)),
            c.u(0.018),
            p.clothes[i % len(p.clothes)],
        )
    for i, f in enumerate((0.12, 0.3, 0.48)):
        seated_person(c, c.x(f), c.y(0.9), c.u(0.3), p.clothes[i], (215, 215, 220))
    person(c, c.x(0.72), c.y(0.92), c.u(0.38), p.accent, pose="wave")
    vest_badge(c, c.x(0.72), c.y(0.92), c.u(0.38))
    heart(c, c.x(0.9), c.y(0.55), c.u(0.05), RED)


def scene_rural_doctor(c: Canvas) -> None:
    p = c.pal
    gradient(c, p.sky_top, p.sky_bottom, 0, 0.7)
    glow(c, c.x(0.78), c.y(0.22), c.u(0.06), (255, 240, 200), p.sky_top)
    ridge(c, 0.5, 0.18, p.far, rough=0.9)
    hills(c, 0.66, 0.08, p.near, freq=2.5)
    c.draw.rectangle([0, c.y(0.72), c.w, c.h], fill=p.ground)
    # village clinic with a red-cross sign
    X0, X1, T, B = c.x(0.12), c.x(0.42), c.y(0.45), c.y(0.78)
    c.draw.rectangle([X0, T, X1, B], fill=(245, 238, 225))
    c.draw.polygon(
        [(X0 - c.u(0.03), T), ((X0 + X1) / 2, T - c.u(0.12)), (X1 + c.u(0.03), T)],
        fill=mix(p.accent, (0, 0, 0), 0.2),
    )
    c.draw.rectangle([c.x(0.245), c.y(0.6), c.x(0.295), B], fill=(150, 100, 70))
    red_cross(c, (X0 + X1) / 2, c.y(0.52), c.u(0.03))
    vehicle(c, 0.5, 0.88, 0.3, (248, 248, 248), kind="van")
    person(c, c.x(0.86), c.y(0.94), c.u(0.32), WHITE, pose="carry", facing=-1)
    for f in (0.05, 0.46):
        tree(c, f, 0.78, 0.16, p.accent)


def scene_community_walk(c: Canvas) -> None:
    p = c.pal
    gradient(c, p.sky_top, p.sky_bottom, 0, 0.75)
    for i, f in enumerate((0.0, 0.2, 0.62, 0.82)):
        building(
            c,
            f,
            f + 0.16,
            0.72,
            0.2 + 0.08 * (i % 2),
            p.far,
            mix(p.far, WHITE, 0.35),
            cols=4,
            rows=7,
        )
    ridge(c, 0.72, 0.05, p.near)
    c.draw.rectangle([0, c.y(0.72), c.w, c.h], fill=p.ground)
    c.draw.polygon(
        [(c.x(0.38), c.h), (c.x(0.47), c.y(0.72)), (c.x(0.53), c.y(0.72)), (c.x(0.62), c.h)],
        fill=mix(p.ground, WHITE, 0.35),
    )
    for f in (0.1, 0.3, 0.7, 0.9):
        tree(c, f, 0.8, 0.18, p.accent)
    person(c, c.x(0.4), c.y(0.95), c.u(0.34), p.clothes[0], pose="cane", hair=(215, 215, 220))
    person(c, c.x(0.5), c.y(0.95), c.u(0.37), p.clothes[1], pose="reach", facing=-1)
    vest_badge(c, c.x(0.5), c.y(0.95), c.u(0.37))
    person(c, c.x(0.64), c.y(0.96), c.u(0.33), p.clothes[2], pose="cane", hair=(225, 225, 228))


def scene_cpr_heart(c: Canvas) -> None:
    p = c.pal
    gradient(c, p.sky_top, p.sky_bottom)
    for i in range(9):
        r = c.u(0.12 + i * 0.07)
        c.draw.ellipse(
            [c.x(0.3) - r, c.y(0.5) - r, c.x(0.3) + r, c.y(0.5) + r],
            outline=mix(p.sky_top, WHITE, 0.15),
            width=round(c.u(0.006)),
        )
    heart(c, c.x(0.3), c.y(0.45), c.u(0.17), RED)
    pts = [
        (0.0, 0.5),
        (0.45, 0.5),
        (0.5, 0.38),
        (0.54, 0.64),
        (0.58, 0.44),
        (0.61, 0.5),
        (1.0, 0.5),
    ]
    c.draw.line([(c.x(x), c.y(y)) for x, y in pts], fill=WHITE, width=round(c.u(0.012)), joint="curve")
    aed(c, c.x(0.78), c.y(0.7), c.u(0.12), p.accent)
    red_cross(c, c.x(0.88), c.y(0.18), c.u(0.045))


def scene_blood_drops(c: Canvas) -> None:
    p = c.pal
    gradient(c, p.sky_top, p.sky_bottom)
    dots(c, 40, (mix(p.sky_top, WHITE, 0.25),), 0.01, 0.03)
    for i, (x, y, s) in enumerate(((0.25, 0.62, 0.13), (0.5, 0.48, 0.18), (0.74, 0.64, 0.11))):
        drop(c, c.x(x), c.y(y), c.u(s), mix(RED, p.accent, 0.25 * (i % 2)), shine=(250, 170, 170))
    heart(c, c.x(0.5), c.y(0.5), c.u(0.06), WHITE)
    for i in range(5):
        person(c, c.x(0.08 + i * 0.21), c.y(0.99), c.u(0.16), p.clothes[i % len(p.clothes)])


def scene_elder_sun(c: Canvas) -> None:
    p = c.pal
    gradient(c, p.sky_top, p.sky_bottom, 0, 0.7)
    glow(c, c.x(0.5), c.y(0.6), c.u(0.16), (255, 200, 120), p.sky_bottom, rings=8)
    ridge(c, 0.68, 0.1, p.far)
    hills(c, 0.8, 0.07, p.near, freq=2.0)
    c.draw.rectangle([0, c.y(0.85), c.w, c.h], fill=p.ground)
    person(c, c.x(0.36), c.y(0.95), c.u(0.36), p.clothes[0], pose="cane", hair=(220, 220, 225))
    person(
        c,
        c.x(0.47),
        c.y(0.95),
        c.u(0.34),
        p.clothes[1],
        pose="cane",
        hair=(230, 230, 230),
        facing=-1,
    )
    person(c, c.x(0.64), c.y(0.96), c.u(0.38), p.accent, pose="wave")
    vest_badge(c, c.x(0.64), c.y(0.96), c.u(0.38))
    for f in (0.1, 0.88):
        tree(c, f, 0.9, 0.22, mix(p.near, (40, 120, 60), 0.5))


def scene_leaf_hands(c: Canvas) -> None:
    p = c.pal
    gradient(c, p.sky_top, p.sky_bottom)
    for i in range(26):
        a = i / 26 * math.tau
        x, y = c.x(0.5) + math.cos(a) * c.u(0.42), c.y(0.45) + math.sin(a) * c.u(0.36)
        c.draw.ellipse(
            [x - c.u(0.025), y - c.u(0.012), x + c.u(0.025), y + c.u(0.012)],
            fill=mix(p.accent, WHITE, 0.2 * (i % 3)),
        )

    def sprout() -> None:
        X, Y = c.x(0.5), c.y(0.5)
        c.draw.line([(X, Y), (X, Y - c.u(0.2))], fill=p.near, width=round(c.u(0.012)))
        c.draw.ellipse([X - c.u(0.14), Y - c.u(0.26), X, Y - c.u(0.17)], fill=p.accent)
        c.draw.ellipse([X, Y - c.u(0.3), X + c.u(0.15), Y - c.u(0.2)], fill=mix(p.accent, WHITE, 0.2))
        heart(c, X, Y - c.u(0.05), c.u(0.05), RED)

    hands_holding(c, c.x(0.5), c.y(0.58), c.u(0.24), p.skin, sprout)


def scene_home_first_aid(c: Canvas) -> None:
    p = c.pal
    c.draw.rectangle([0, 0, c.w, c.y(0.74)], fill=p.sky_top)
    c.draw.rectangle([0, c.y(0.74), c.w, c.h], fill=p.ground)
    c.draw.rectangle([c.x(0.62), c.y(0.1), c.x(0.92), c.y(0.44)], fill=p.sky_bottom)
    c.draw.rectangle([c.x(0.62), c.y(0.1), c.x(0.92), c.y(0.44)], outline=p.near, width=round(c.u(0.012)))
    c.draw.line([(c.x(0.77), c.y(0.1)), (c.x(0.77), c.y(0.44))], fill=p.near, width=round(c.u(0.01)))
    glow(c, c.x(0.3), c.y(0.06), c.u(0.035), (255, 240, 200), p.sky_top, rings=4)
    # sofa
    rrect(c, c.x(0.08), c.y(0.5), c.x(0.46), c.y(0.8), c.u(0.04), p.accent)
    rrect(c, c.x(0.06), c.y(0.62), c.x(0.48), c.y(0.82), c.u(0.04), mix(p.accent, WHITE, 0.15))
    seated_person(c, c.x(0.22), c.y(0.86), c.u(0.32), p.clothes[0], (220, 220, 225))
    person(c, c.x(0.6), c.y(0.94), c.u(0.4), p.clothes[1], pose="reach", facing=-1)
    vest_badge(c, c.x(0.6), c.y(0.94), c.u(0.4))
    table(c, 0.7, 0.92, 0.72, (170, 120, 85))
    first_aid_kit(c, c.x(0.8), c.y(0.66), c.u(0.05))
    heart(c, c.x(0.5), c.y(0.3), c.u(0.035), RED)


def scene_train_station(c: Canvas) -> None:
    p = c.pal
    gradient(c, p.sky_top, p.sky_bottom, 0, 0.7)
    for i in range(30):
        x, y = c.x((i * 0.137) % 1), c.y(0.05 + (i * 0.071) % 0.3)
        circle(c, x, y, c.u(0.004), (255, 250, 220))
    ridge(c, 0.55, 0.1, p.far)
    c.draw.rectangle([0, c.y(0.6), c.w, c.h], fill=p.ground)
    # train
    T, B = c.y(0.42), c.y(0.64)
    rrect(c, c.x(-0.05), T, c.x(0.75), B, c.u(0.04), (235, 238, 242))
    c.draw.polygon([(c.x(0.74), T), (c.x(0.86), B), (c.x(0.74), B)], fill=(235, 238, 242))
    c.draw.rectangle([c.x(-0.05), c.y(0.55), c.x(0.8), c.y(0.58)], fill=p.accent)
    for i in range(9):
        c.draw.rectangle(
            [c.x(0.0 + i * 0.08), c.y(0.46), c.x(0.05 + i * 0.08), c.y(0.52)], fill=(60, 80, 110)
        )
    c.draw.rectangle([0, c.y(0.66), c.w, c.y(0.68)], fill=mix(p.ground, WHITE, 0.4))
    crowd(c, 0.05, 0.55, 0.97, 0.24, 5, poses=("carry", "stand", "reach", "stand", "wave"))
    tent(c, 0.8, 0.95, 0.24, 0.2, (250, 250, 248))
    for i in range(12):
        f = 0.1 + i * 0.07
        c.draw.polygon(
            [(c.x(f), c.y(0.3)), (c.x(f + 0.02), c.y(0.36)), (c.x(f - 0.02), c.y(0.36))],
            fill=(RED, (250, 200, 60))[i % 2],
        )
    c.draw.line([(c.x(0.08), c.y(0.3)), (c.x(0.9), c.y(0.3))], fill=(80, 60, 60), width=round(c.u(0.004)))


def scene_training_group(c: Canvas) -> None:
    p = c.pal
    c.draw.rectangle([0, 0, c.w, c.y(0.72)], fill=p.sky_top)
    c.draw.rectangle([0, c.y(0.72), c.w, c.h], fill=p.ground)
    rrect(c, c.x(0.2), c.y(0.08), c.x(0.8), c.y(0.42), c.u(0.015), p.sky_bottom)
    heart(c, c.x(0.42), c.y(0.25), c.u(0.07), RED)
    red_cross(c, c.x(0.6), c.y(0.25), c.u(0.06))
    lying_person(c, c.x(0.55), c.y(0.86), c.u(0.3), (230, 200, 150))
    kneeling_rescuer(c, c.x(0.42), c.y(0.87), c.u(0.32), p.clothes[0])
    crowd(c, 0.0, 0.28, 0.97, 0.36, 3, poses=("stand", "reach", "stand"))
    crowd(c, 0.72, 1.0, 0.97, 0.36, 3, poses=("stand", "wave", "stand"))


def scene_dining_hall(c: Canvas) -> None:
    p = c.pal
    c.draw.rectangle([0, 0, c.w, c.y(0.7)], fill=p.sky_top)
    c.draw.rectangle([0, c.y(0.7), c.w, c.h], fill=p.ground)
    for f in (0.12, 0.42, 0.72):
        c.draw.rectangle([c.x(f), c.y(0.1), c.x(f + 0.16), c.y(0.4)], fill=p.sky_bottom)
    for f in (0.25, 0.55, 0.85):
        c.draw.polygon(
            [
                (c.x(f - 0.03), c.y(0.06)),
                (c.x(f + 0.03), c.y(0.06)),
                (c.x(f + 0.02), c.y(0.12)),
                (c.x(f - 0.02), c.y(0.12)),
            ],
            fill=RED,
        )
    table(c, 0.22, 0.78, 0.66, (190, 140, 95))
    for i, f in enumerate((0.3, 0.44, 0.58, 0.72)):
        circle(c, c.x(f), c.y(0.645), c.u(0.03), (250, 250, 245))
        circle(c, c.x(f), c.y(0.645), c.u(0.018), p.clothes[i % len(p.clothes)])
    seated_person(c, c.x(0.1), c.y(0.92), c.u(0.34), p.clothes[0], (220, 220, 225))
    seated_person(c, c.x(0.8), c.y(0.92), c.u(0.34), p.clothes[1], (205, 205, 210))
    person(c, c.x(0.5), c.y(0.97), c.u(0.42), p.accent, pose="carry")
    vest_badge(c, c.x(0.5), c.y(0.97), c.u(0.42))


def scene_hospital(c: Canvas) -> None:
    p = c.pal
    gradient(c, p.sky_top, p.sky_bottom, 0, 0.78)
    cloud(c, 0.18, 0.16, 0.05, WHITE)
    cloud(c, 0.78, 0.12, 0.04, WHITE)
    building(c, 0.3, 0.7, 0.8, 0.22, (245, 245, 242), (150, 200, 225), cols=7, rows=8, cross=True)
    building(c, 0.08, 0.3, 0.8, 0.42, p.far, mix(p.far, WHITE, 0.4), cols=3, rows=5)
    building(c, 0.7, 0.92, 0.8, 0.38, p.far, mix(p.far, WHITE, 0.4), cols=3, rows=5)
    c.draw.rectangle([0, c.y(0.8), c.w, c.h], fill=p.ground)
    for f in (0.05, 0.25, 0.75, 0.95):
        tree(c, f, 0.86, 0.16, p.accent)
    person(c, c.x(0.45), c.y(0.96), c.u(0.2), p.clothes[0])
    person(c, c.x(0.52), c.y(0.96), c.u(0.19), p.clothes[1], pose="reach", facing=-1)
    heart(c, c.x(0.5), c.y(0.6), c.u(0.03), RED)


def scene_supply_truck(c: Canvas) -> None:
    p = c.pal
    gradient(c, p.sky_top, p.sky_bottom, 0, 0.7)
    ridge(c, 0.6, 0.14, p.far, rough=0.8)
    c.draw.rectangle([0, c.y(0.7), c.w, c.h], fill=p.ground)
    vehicle(c, 0.06, 0.86, 0.48, (250, 250, 250), kind="truck")
    for r in range(3):
        for k in range(4 - r):
            x0 = c.x(0.62 + k * 0.075 + r * 0.037)
            y1 = c.y(0.88 - r * 0.1)
            rrect(c, x0, y1 - c.u(0.1), x0 + c.x(0.07), y1, c.u(0.008), (214, 170, 110))
            red_cross(c, x0 + c.x(0.035), y1 - c.u(0.05), c.u(0.018), badge=None)
    person(c, c.x(0.57), c.y(0.96), c.u(0.3), p.clothes[0], pose="carry")
    crowd(c, 0.88, 1.0, 0.97, 0.28, 1, poses=("wave",))


def scene_notes_hearts(c: Canvas) -> None:
    """Flat colours only: this one is saved as PNG."""
    p = c.pal
    c.draw.rectangle([0, 0, c.w, c.h], fill=p.sky_top)
    c.draw.rectangle([0, c.y(0.8), c.w, c.h], fill=p.ground)
    for i in range(14):
        note(
            c,
            c.x(0.06 + i * 0.066),
            c.y(0.25 + 0.1 * math.sin(i * 0.9)),
            c.u(0.025),
            p.clothes[i % len(p.clothes)],
        )
    for i in range(5):
        heart(c, c.x(0.12 + i * 0.19), c.y(0.52 + 0.04 * (i % 2)), c.u(0.04), (RED, p.accent)[i % 2])
    # an accordion-like box held by the volunteer
    person(c, c.x(0.5), c.y(0.95), c.u(0.38), p.near, pose="reach")
    rrect(c, c.x(0.53), c.y(0.68), c.x(0.62), c.y(0.8), c.u(0.01), p.accent)
    for k in range(5):
        x = c.x(0.545 + k * 0.015)
        c.draw.line([(x, c.y(0.69)), (x, c.y(0.79))], fill=WHITE, width=round(c.u(0.004)))
    for i, f in enumerate((0.14, 0.3, 0.74, 0.9)):
        seated_person(c, c.x(f), c.y(0.9), c.u(0.28), p.clothes[i % len(p.clothes)], (215, 215, 220))


def scene_water_delivery(c: Canvas) -> None:
    p = c.pal
    gradient(c, p.sky_top, p.sky_bottom, 0, 0.72)
    glow(c, c.x(0.85), c.y(0.18), c.u(0.08), (255, 220, 150), p.sky_top)
    hills(c, 0.62, 0.1, p.far, freq=1.6)
    c.draw.rectangle([0, c.y(0.7), c.w, c.h], fill=p.ground)
    for k in range(6):
        x = c.x(0.05 + k * 0.05)
        c.draw.line(
            [(x, c.y(0.72)), (x - c.u(0.01), c.y(0.98))],
            fill=mix(p.ground, (0, 0, 0), 0.1),
            width=round(c.u(0.004)),
        )
    # water tank lorry
    vehicle(c, 0.36, 0.86, 0.4, (235, 240, 245), kind="truck", cross=False)
    rrect(c, c.x(0.37), c.y(0.6), c.x(0.62), c.y(0.78), c.u(0.08), (120, 175, 210))
    drop(c, c.x(0.495), c.y(0.71), c.u(0.035), WHITE)
    red_cross(c, c.x(0.87), c.y(0.75), c.u(0.02))
    person(c, c.x(0.12), c.y(0.96), c.u(0.32), p.clothes[0], pose="reach")
    vest_badge(c, c.x(0.12), c.y(0.96), c.u(0.32))
    person(
        c,
        c.x(0.22),
        c.y(0.96),
        c.u(0.3),
        p.clothes[1],
        pose="cane",
        facing=-1,
        hair=(215, 215, 218),
    )
    for k in range(3):
        x = c.x(0.84 + k * 0.05)
        rrect(c, x, c.y(0.86), x + c.u(0.05), c.y(0.96), c.u(0.01), (80, 150, 200))


# ------------------------------------------------------------------ catalogue


@dataclass(frozen=True)
class Picture:
    """One output file: where it goes, how big, and what is drawn."""

    path: str
    size: tuple[int, int]
    palette: Palette
    scene: Callable[[Canvas], None]


def P(*rgb: int) -> RGB:
    """Shorthand for an RGB triple."""
    return (rgb[0], rgb[1], rgb[2])


PICTURES: tuple[Picture, ...] = (
    # story covers and inline pictures
    Picture(
        "stories/taiyuan-gongjiaozhan-jijiu/cover.jpg",
        COVER,
        Palette(
            P(126, 180, 222),
            P(246, 214, 190),
            P(150, 165, 190),
            P(90, 100, 120),
            P(120, 120, 128),
            P(40, 120, 200),
            (P(206, 17, 38), P(60, 120, 200), P(230, 170, 60)),
        ),
        scene_bus_stop_cpr,
    ),
    Picture(
        "stories/taiyuan-gongjiaozhan-jijiu/peixun-xianchang.jpg",
        INLINE,
        Palette(
            P(244, 236, 220),
            P(255, 250, 240),
            P(200, 190, 175),
            P(120, 110, 100),
            P(196, 170, 140),
            P(40, 130, 90),
            (P(206, 17, 38), P(70, 110, 170), P(90, 150, 90)),
        ),
        scene_training_group,
    ),
    Picture(
        "stories/datong-fushou-ankang-jidi/cover.jpg",
        COVER,
        Palette(
            P(255, 200, 150),
            P(255, 236, 210),
            P(170, 140, 130),
            P(200, 120, 90),
            P(214, 190, 150),
            P(90, 150, 90),
            (
                P(160, 60, 60),
                P(80, 110, 160),
                P(120, 90, 150),
                P(206, 17, 38),
                P(70, 130, 110),
                P(190, 120, 60),
            ),
        ),
        scene_elder_base,
    ),
    Picture(
        "stories/datong-fushou-ankang-jidi/wucan-shike.jpg",
        INLINE,
        Palette(
            P(250, 240, 225),
            P(210, 230, 240),
            P(0, 0, 0),
            P(0, 0, 0),
            P(200, 160, 120),
            P(206, 17, 38),
            (P(150, 80, 70), P(70, 100, 150), P(100, 150, 90), P(220, 170, 60)),
        ),
        scene_dining_hall,
    ),
    Picture(
        "stories/yuncheng-zaoxue-ganxibao/cover.jpg",
        COVER,
        Palette(
            P(255, 226, 226),
            P(250, 246, 236),
            P(245, 200, 200),
            P(0, 0, 0),
            P(0, 0, 0),
            P(230, 90, 110),
            (P(0, 0, 0),),
        ),
        scene_stem_cells,
    ),
    Picture(
        "stories/yuncheng-zaoxue-ganxibao/yiyuan-louqian.jpg",
        INLINE,
        Palette(
            P(150, 200, 235),
            P(230, 242, 250),
            P(170, 185, 200),
            P(0, 0, 0),
            P(150, 190, 130),
            P(70, 140, 80),
            (P(200, 80, 90), P(60, 100, 160)),
        ),
        scene_hospital,
    ),
    Picture(
        "stories/xinzhou-shanhong-jiuzai/cover.jpg",
        COVER,
        Palette(
            P(120, 130, 150),
            P(190, 195, 200),
            P(90, 110, 100),
            P(70, 90, 80),
            P(150, 130, 100),
            P(0, 0, 0),
            (P(206, 17, 38), P(230, 120, 40), P(60, 90, 150), P(206, 17, 38)),
        ),
        scene_flood_relief,
    ),
    Picture(
        "stories/xinzhou-shanhong-jiuzai/wuzi-zhuangche.jpg",
        INLINE,
        Palette(
            P(170, 200, 220),
            P(235, 235, 225),
            P(120, 140, 130),
            P(0, 0, 0),
            P(170, 150, 120),
            P(0, 0, 0),
            (P(206, 17, 38), P(230, 120, 40)),
        ),
        scene_supply_truck,
    ),
    Picture(
        "stories/shuozhou-caoyuan-jiuhuzhan/cover.jpg",
        COVER,
        Palette(
            P(90, 160, 230),
            P(210, 235, 250),
            P(120, 170, 90),
            P(0, 0, 0),
            P(150, 195, 100),
            P(0, 0, 0),
            (P(206, 17, 38), P(240, 180, 60)),
        ),
        scene_grassland_station,
    ),
    Picture(
        "stories/changzhi-yanglao-yinyuehui/cover.jpg",
        COVER,
        Palette(
            P(250, 232, 200),
            P(200, 225, 240),
            P(0, 0, 0),
            P(170, 130, 90),
            P(200, 150, 110),
            P(206, 17, 38),
            (P(120, 80, 140), P(70, 120, 160), P(180, 100, 70)),
        ),
        scene_music_elders,
    ),
    Picture(
        "stories/changzhi-yanglao-yinyuehui/hechang.png",
        (1600, 1200),
        Palette(
            P(232, 242, 232),
            P(0, 0, 0),
            P(0, 0, 0),
            P(206, 17, 38),
            P(190, 215, 190),
            P(240, 150, 50),
            (P(70, 110, 170), P(140, 80, 140), P(60, 140, 110), P(200, 90, 60)),
        ),
        scene_notes_hearts,
    ),
    Picture(
        "images/changzhi-xiangcun-yisheng.jpg",
        COVER,
        Palette(
            P(170, 210, 240),
            P(245, 240, 225),
            P(110, 130, 120),
            P(140, 160, 110),
            P(190, 170, 130),
            P(120, 150, 80),
            (P(0, 0, 0),),
        ),
        scene_rural_doctor,
    ),
    Picture(
        "images/yangquan-shequ-peiban.jpg",
        COVER,
        Palette(
            P(250, 210, 170),
            P(250, 240, 220),
            P(190, 160, 150),
            P(170, 140, 130),
            P(180, 200, 150),
            P(110, 160, 90),
            (P(110, 80, 130), P(206, 17, 38), P(60, 110, 150)),
        ),
        scene_community_walk,
    ),
    Picture(
        "images/yuncheng-songshui.jpg",
        INLINE,
        Palette(
            P(120, 190, 235),
            P(250, 230, 200),
            P(210, 180, 130),
            P(0, 0, 0),
            P(220, 190, 140),
            P(0, 0, 0),
            (P(206, 17, 38), P(90, 90, 140)),
        ),
        scene_water_delivery,
    ),
    # lecture covers
    Picture(
        "lectures/xinfei-fusu-aed-rumen/cover.jpg",
        COVER,
        Palette(
            P(40, 60, 110),
            P(90, 140, 190),
            P(0, 0, 0),
            P(0, 0, 0),
            P(0, 0, 0),
            P(40, 160, 100),
            (P(0, 0, 0),),
        ),
        scene_cpr_heart,
    ),
    Picture(
        "lectures/zouxiang-zaoxue-ganxibao-juanxian/cover.jpg",
        COVER,
        Palette(
            P(255, 240, 235),
            P(250, 210, 200),
            P(0, 0, 0),
            P(0, 0, 0),
            P(0, 0, 0),
            P(150, 20, 60),
            (P(90, 110, 160), P(170, 90, 110), P(80, 140, 120)),
        ),
        scene_blood_drops,
    ),
    Picture(
        "lectures/fushou-ankang-yanglao-richang/cover.jpg",
        COVER,
        Palette(
            P(120, 110, 170),
            P(250, 190, 140),
            P(140, 100, 120),
            P(170, 140, 110),
            P(190, 160, 110),
            P(206, 17, 38),
            (P(80, 110, 150), P(160, 90, 80)),
        ),
        scene_elder_sun,
    ),
    Picture(
        "lectures/yiti-qiguan-juanxian-shengming-yanxu/cover.jpg",
        COVER,
        Palette(
            P(225, 240, 230),
            P(245, 245, 235),
            P(0, 0, 0),
            P(70, 130, 80),
            P(0, 0, 0),
            P(110, 170, 90),
            (P(0, 0, 0),),
            skin=P(230, 190, 155),
        ),
        scene_leaf_hands,
    ),
    Picture(
        "lectures/laonianren-jujia-jijiu-changshi/cover.jpg",
        COVER,
        Palette(
            P(250, 238, 220),
            P(200, 225, 240),
            P(0, 0, 0),
            P(160, 120, 90),
            P(205, 170, 130),
            P(90, 130, 150),
            (P(150, 80, 90), P(206, 17, 38)),
        ),
        scene_home_first_aid,
    ),
    Picture(
        "lectures/chunyun-lushang-yingji-jiuhu/cover.jpg",
        COVER,
        Palette(
            P(30, 40, 80),
            P(120, 110, 160),
            P(60, 60, 100),
            P(0, 0, 0),
            P(110, 110, 120),
            P(206, 17, 38),
            (P(206, 17, 38), P(70, 120, 190), P(230, 170, 60)),
        ),
        scene_train_station,
    ),
)


def render(picture: Picture) -> Image.Image:
    canvas = Canvas(picture.size, picture.palette, seed=picture.path)
    picture.scene(canvas)
    return canvas.finish()


def save(image: Image.Image, path: Path) -> None:
    """Write without metadata: no EXIF, ICC profile, comment or text chunks."""
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.suffix == ".png":
        image.convert("P", palette=Image.Palette.ADAPTIVE, colors=128).save(path, "PNG", optimize=True)
    else:
        image.save(path, "JPEG", quality=JPEG_QUALITY, optimize=True, subsampling="4:2:0")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--root",
        type=Path,
        default=Path(__file__).resolve().parent.parent,
        help="repository root (default: the one holding this script)",
    )
    parser.add_argument("--only", help="draw only pictures whose path contains this text")
    args = parser.parse_args(argv)
    content = args.root / "content"
    for picture in PICTURES:
        if args.only and args.only not in picture.path:
            continue
        target = content / picture.path
        save(render(picture), target)
        print(f"{target.relative_to(args.root)}  {target.stat().st_size // 1024} KiB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
