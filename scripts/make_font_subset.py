"""Make the CJK fonts we draw with: subsets of Noto Sans CJK SC Bold and Regular.

The social cards use the bold one; the printable lecture notice both (bold headings,
regular text). The full font (Debian package fonts-noto-cjk) is 20 MB and holds Japanese and
Korean faces too. The subset is the Simplified Chinese face with every Han
character it draws: the CJK Unified Ideographs block, Extension A, the
compatibility ideographs and the 2,108 Extension B characters Noto has (rare
given names such as 堃 喆 玥 珺 are in the first two), plus printable ASCII,
Latin-1 punctuation, the CJK punctuation and full-width forms blocks. The
cards never fall back to a system font, so they are the same on every
machine. Hinting and the vertical-writing tables are dropped: the cards are
drawn large and horizontal.

The result is written to site_plugins/media/fonts/NotoSansSC-<Weight>-Han.otf, and the
metrics sidecar the notice breaks its lines with (media/metrics.py) is written again from
the shipped fonts; running the script again with the same input font writes the same bytes. The font is
licensed under the SIL Open Font License 1.1 (site_plugins/media/fonts/OFL.txt).

Usage::

    apt-get install -y fonts-noto-cjk      # if /usr/share/fonts/opentype/noto is missing
    python scripts/make_font_subset.py [--weight bold|regular] [--source PATH.ttc] [--out PATH.otf]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from fontTools import subset
from fontTools.ttLib import TTCollection, TTFont

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
from site_plugins.media import metrics  # noqa: E402

WEIGHTS = {"bold": "Bold", "regular": "Regular"}
NOTO = Path("/usr/share/fonts/opentype/noto")
FACE = "Noto Sans CJK SC"

# Blocks kept besides GB 2312 (a code point the face lacks is simply not in the subset).
EXTRA_RANGES = (
    (0x3400, 0x4DBF),  # CJK Unified Ideographs Extension A
    (0x4E00, 0x9FFF),  # CJK Unified Ideographs
    (0xF900, 0xFAFF),  # CJK Compatibility Ideographs
    (0x20000, 0x2A6DF),  # Extension B (+0.7 MB for the 2,108 Noto draws)
    (0x2F800, 0x2FA1F),  # CJK Compatibility Ideographs Supplement
    (0x0020, 0x007E),  # printable ASCII
    (0x00A0, 0x00FF),  # Latin-1 supplement: · × ÷ ° « »
    (0x2010, 0x2027),  # dashes, quotes, ellipsis
    (0x2030, 0x203B),  # ‰ ′ ″ ※
    (0x2160, 0x216B),  # Roman numerals Ⅰ–Ⅻ
    (0x2460, 0x2473),  # circled numbers ①–⑳
    (0x3000, 0x303F),  # CJK symbols and punctuation
    (0xFE30, 0xFE4F),  # CJK compatibility forms
    (0xFF00, 0xFFEF),  # full-width forms
)


def gb2312_characters() -> set[str]:
    """Every character GB 2312 encodes (rows 0xA1-0xF7, cells 0xA1-0xFE)."""
    chars: set[str] = set()
    for row in range(0xA1, 0xF8):
        for cell in range(0xA1, 0xFF):
            try:
                chars.add(bytes((row, cell)).decode("gb2312"))
            except UnicodeDecodeError:
                continue  # unassigned code point
    return chars


def wanted_codepoints() -> list[int]:
    points = {ord(c) for c in gb2312_characters()}
    for first, last in EXTRA_RANGES:
        points.update(range(first, last + 1))
    return sorted(points)


def load_face(source: Path) -> TTFont:
    """The Simplified Chinese face of a .ttc collection (or the font itself)."""
    if source.suffix.lower() != ".ttc":
        return TTFont(source)
    for index, font in enumerate(TTCollection(source, lazy=True).fonts):
        if font["name"].getDebugName(1) == FACE:
            return TTFont(source, fontNumber=index)
    raise SystemExit(f"{source}: no face named {FACE!r}")


def make_subset(source: Path, out: Path) -> tuple[int, int]:
    """Write the subset; return (characters kept, bytes written)."""
    font = load_face(source)
    options = subset.Options()
    options.hinting = False
    options.desubroutinize = False
    options.layout_features = ["kern", "palt", "halt", "locl", "ccmp", "liga"]
    options.name_IDs = [0, 1, 2, 3, 4, 5, 6, 7, 13, 14]
    options.name_languages = [0x0409, 0x0804]
    options.drop_tables += ["VORG", "vhea", "vmtx", "BASE"]
    options.notdef_outline = True
    subsetter = subset.Subsetter(options)
    points = wanted_codepoints()
    subsetter.populate(unicodes=points)
    subsetter.subset(font)
    cmap = font.getBestCmap()
    font.recalcTimestamp = False  # TTFont.save would otherwise stamp head.modified with the clock
    out.parent.mkdir(parents=True, exist_ok=True)
    font.save(out)
    return len(cmap), out.stat().st_size


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--weight", choices=sorted(WEIGHTS), default="bold")
    parser.add_argument("--source", type=Path, help="default: Debian's NotoSansCJK-<Weight>.ttc")
    parser.add_argument("--out", type=Path, help="default: the shipped font of that weight")
    args = parser.parse_args(argv)
    source = args.source or NOTO / f"NotoSansCJK-{WEIGHTS[args.weight]}.ttc"
    out = args.out or metrics.FONTS[args.weight]
    if not source.is_file():
        print(f"{source} not found; install fonts-noto-cjk", file=sys.stderr)
        return 1
    kept, size = make_subset(source, out)
    print(f"{out}: {kept} characters, {size / 1e6:.2f} MB")
    if out == metrics.FONTS[args.weight]:
        metrics.SIDECAR.write_text(metrics.sidecar(), encoding="utf-8")
        print(f"{metrics.SIDECAR}: written again")
    return 0


if __name__ == "__main__":
    sys.exit(main())
