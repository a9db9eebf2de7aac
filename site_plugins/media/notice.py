"""The printable lecture notice (打印讲座通知): one A4 page, laid out here, rendered by media/pdf.py.

A notice holds the title, the speakers, the date with its weekday and the time range,
the venue, the summary, the organiser and contact phone (mkdocs.yml `extra`, when set)
and a QR code of the lecture page, 56 mm square with its quiet zone, so the code itself
is at least 40 mm wide whatever its version.

Every line is broken here, with the fonts' own advance widths (media/metrics.py) and the
Chinese rules of media/linebreak.py, and placed at a fixed position on the page: the page
can never overflow to a second one, and what a notice has to cut (a title too long even
at the smallest size, a long summary) is known without rendering, so `scripts/check` and
the build report the same notices (`notice_cuts`). Only the header, the QR panel and the
contact lines come from the site's configuration; they have places of their own, so they
never change what the lecture's own text gets. Pure: same spec, same HTML.
"""

from __future__ import annotations

import hashlib
import html
import json
from dataclasses import asdict, dataclass
from functools import lru_cache, partial

from site_plugins.content.dates import zh_time_range
from site_plugins.content.problems import Problem
from site_plugins.content.schema import Lecture
from site_plugins.media import qr
from site_plugins.media.linebreak import balance, truncate, wrap
from site_plugins.media.metrics import PT_MM, load
from site_plugins.media.social import leave_out

NOTICE_VERSION = "1"  # bump when the layout or the HTML changes
PAGE_W, PAGE_H, MARGIN = 210.0, 297.0, 16.0  # mm
RIGHT = PAGE_W - MARGIN
BODY_TOP, BODY_BOTTOM = 38.0, 212.0  # the lecture's own text lives between these
TITLE_SIZES = (32, 28, 24, 21, 18)  # pt
TITLE_HEIGHT = 46.0
LABEL_W = 22.0  # the 主讲人 / 时间 / 地点 column
FACT_SIZE, SUMMARY_SIZE = 15.0, 13.5  # pt: large enough to read on a noticeboard
FACT_LINES = {"speakers": 4, "date": 2, "venue": 3}
QR_SIZE = 56.0  # mm, quiet zone included: 40.6 mm of modules for the smallest code, version 1
PANEL_TOP = 220.0
FIT = 0.97  # lines are filled to 97 % of their width: WeasyPrint's rounding never wraps one again
RED, INK, MUTED = "#b71c1c", "#212121", "#555"


@dataclass(frozen=True)
class NoticeSpec:
    """What a notice shows; the lecture's text first, then the site's."""

    title: str
    speakers: tuple[str, ...]
    when: str
    venue: str
    summary: str
    cancelled: bool = False
    url: str = ""  # absolute address of the lecture page, for the QR code
    site_name: str = ""
    organiser: str = ""
    phone: str = ""

    def key(self, renderer: str) -> str:
        """Cache key: everything that decides the PDF's bytes (`renderer`: media/pdf.py's renderer_id)."""
        data = {**asdict(self), "version": NOTICE_VERSION, "renderer": renderer}
        return hashlib.sha256(json.dumps(data, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


def spec_for(lecture: Lecture, url: str = "", site_name: str = "", organiser: str = "", phone: str = "") -> NoticeSpec:
    speakers = tuple(f"{s.name}（{s.affiliation}）" if s.affiliation else s.name for s in lecture.speakers)
    venue = lecture.venue if not lecture.city or lecture.city in lecture.venue else f"{lecture.city} · {lecture.venue}"
    return NoticeSpec(lecture.title, speakers, zh_time_range(lecture.date, lecture.end), venue, lecture.summary,
                      lecture.cancelled, url, site_name, organiser, phone)


@dataclass(frozen=True)
class Block:
    """Lines of one style at a fixed place; `top`, `left`, `width` and `leading` in mm, `size` in pt."""

    top: float
    left: float
    width: float
    size: float
    leading: float
    lines: tuple[str, ...]
    bold: bool = False
    color: str = INK
    align: str = "left"
    name: str = ""  # the field it prints, for tests and readers of the HTML

    @property
    def bottom(self) -> float:
        return self.top + self.leading * len(self.lines)


@dataclass(frozen=True)
class Cut:
    """Something a notice leaves out of a field of the lecture."""

    field: str
    kept: str = ""  # a text cut short: its last printed line, ending in "…"
    printed: int = 0  # ... and how many of its characters were printed
    lost: str = ""  # characters no shipped font has


def _measure(bold: bool, size: float) -> partial[float]:
    """Width in mm of a text in the bold or regular font at `size` pt."""
    return partial(_width, "bold" if bold else "regular", size * PT_MM)


@lru_cache(maxsize=8192)  # balancing a title measures the same starts of lines again and again
def _width(weight: str, size_mm: float, text: str) -> float:
    return load()[weight].width(text, size_mm)


def _clean(field: str, parts: list[str], cuts: list[Cut]) -> list[str]:
    """`parts` without the characters the fonts lack (one Cut for the field), spaces collapsed."""
    regular = load()["regular"]
    out, lost = [], ""
    for part in parts:
        kept, missing = leave_out(part, {c for c in part if not c.isspace() and not regular.covers(c)})
        out.append(" ".join(kept.split()))
        lost += "".join(c for c in missing if c not in lost)
    if lost:
        cuts.append(Cut(field, lost=lost))
    return [part for part in out if part]


def _fit(field: str, parts: list[str], bold: bool, size: float, width: float, most: int,
         cuts: list[Cut]) -> list[str]:
    """Each part broken into lines of `width` mm, at most `most` lines in all; the last one
    that fits ends in "…" when they do not (a Cut says so)."""
    measure = _measure(bold, size)
    lines = [line for part in parts for line in wrap(part, measure, width * FIT, True)]
    if len(lines) <= most:
        return lines
    lines = [*lines[:max(most, 1) - 1], truncate(lines[max(most, 1) - 1], measure, width * FIT)]
    cuts.append(Cut(field, lines[-1], sum(map(len, lines)) - 1))
    return lines


def _title(text: str, top: float, cuts: list[Cut]) -> Block:
    """The title at the largest size that fits TITLE_HEIGHT, in even lines; cut at the smallest."""
    width = RIGHT - MARGIN
    for size in TITLE_SIZES:
        leading = size * 1.3 * PT_MM
        most = int(TITLE_HEIGHT // leading)
        if len(wrap(text, _measure(True, size), width * FIT, True)) <= most:
            lines = balance(text, _measure(True, size), width * FIT, True)
            break
    else:
        lines = _fit("title", [text], True, size, width, most, cuts)
    return Block(top, MARGIN, width, size, leading, tuple(lines), bold=True, name="title")


_LAYOUTS: dict[NoticeSpec, tuple[list[Block], list[Cut]]] = {}


def layout(spec: NoticeSpec) -> tuple[list[Block], list[Cut]]:
    """Every block of the page, and what had to be left out. Kept for the process by the spec: the
    preview's check and build lay out every lecture's notice at each edit (600 at 3,000 stories)."""
    try:
        kept = _LAYOUTS.get(spec)
    except TypeError:  # a spec holding a list
        return _layout(spec)
    if kept is None:
        if len(_LAYOUTS) > 20_000:
            _LAYOUTS.clear()
        kept = _LAYOUTS[spec] = _layout(spec)
    return list(kept[0]), list(kept[1])


def _layout(spec: NoticeSpec) -> tuple[list[Block], list[Cut]]:
    cuts: list[Cut] = []
    blocks = _header(spec)
    top = BODY_TOP
    if spec.cancelled:
        blocks.append(Block(top + 2, MARGIN + 4, 100, 16, 9, ("本场讲座已取消",), bold=True, color="#fff"))
        top += 18
    title = _title(" ".join(_clean("title", [spec.title], cuts)), top, cuts)
    blocks.append(title)
    top = title.bottom + 6
    leading = FACT_SIZE * 1.5 * PT_MM
    width = RIGHT - MARGIN - LABEL_W
    for field, label, parts in (("speakers", "主讲人", list(spec.speakers)), ("date", "时间", [spec.when]),
                                ("venue", "地点", [spec.venue])):
        lines = _fit(field, _clean(field, parts, cuts), False, FACT_SIZE, width, FACT_LINES[field], cuts)
        if lines:
            blocks.append(Block(top, MARGIN, LABEL_W, FACT_SIZE - 2, leading, (label,), bold=True, color=MUTED))
            blocks.append(Block(top, MARGIN + LABEL_W, width, FACT_SIZE, leading, tuple(lines), name=field))
            top += leading * len(lines) + 2
    summary = _clean("summary", [spec.summary], cuts)
    if summary:
        blocks.append(Block(top + 5, MARGIN, 60, 14, 8, ("讲座简介",), bold=True, color=RED))
        top += 13
        leading = SUMMARY_SIZE * 1.75 * PT_MM
        lines = _fit("summary", summary, False, SUMMARY_SIZE, RIGHT - MARGIN, int((BODY_BOTTOM - top) // leading), cuts)
        blocks.append(Block(top, MARGIN, RIGHT - MARGIN, SUMMARY_SIZE, leading, tuple(lines), name="summary"))
    return blocks + _panel(spec), cuts


def _header(spec: NoticeSpec) -> list[Block]:
    """The site's name and 讲座通知 (the band and the cross are drawn by the page's CSS)."""
    name = wrap(spec.site_name, _measure(True, 20), 110 * FIT, True)[:1]
    return [Block(13, MARGIN + 15, 110, 20, 12, tuple(name), bold=True, color=RED),
            Block(13, RIGHT - 40, 40, 20, 12, ("讲座通知",), bold=True, align="right")]


def _panel(spec: NoticeSpec) -> list[Block]:
    """The foot of the page: organiser, phone and address beside the QR code. The organiser is
    at most 40 characters (outputs/pages/footer.py checks it), so two lines always hold it."""
    width = RIGHT - QR_SIZE - 6 - MARGIN
    blocks, top = [], PANEL_TOP + 1
    for label, value in (("主办单位：", spec.organiser), ("咨询电话：", spec.phone)):
        if value:
            lines = wrap(label + value, _measure(False, 13), width * FIT, True)[:2]
            blocks.append(Block(top, MARGIN, width, 13, 7, tuple(lines)))
            top += 7 * len(lines) + 1
    if spec.url:
        blocks.append(Block(top + 2, MARGIN, width, 11, 6, ("扫描右侧二维码，在手机上查看讲座详情。",), color=MUTED))
        # An address has no words to keep whole: break it anywhere. The QR code holds all of it;
        # the printed copy of an address longer than four lines (some 300 characters) ends in "…".
        measure = _measure(False, 9)
        lines, line = [], ""
        for char in spec.url:
            if line and measure(line + char) > width * FIT:
                lines.append(line)
                line = ""
            line += char
        lines.append(line)
        if len(lines) > 4:
            lines = [*lines[:3], truncate(lines[3], measure, width * FIT)]
        blocks.append(Block(top + 9, MARGIN, width, 9, 4.4, tuple(lines), color=MUTED, name="url"))
        blocks.append(Block(PANEL_TOP + QR_SIZE + 1, RIGHT - QR_SIZE, QR_SIZE, 9.5, 5, ("扫码查看讲座详情",),
                            color=MUTED, align="center"))
    return blocks


def notice_html(spec: NoticeSpec) -> tuple[str, list[Cut]]:
    """The page as HTML for media/pdf.py (every text escaped, every place fixed), and its cuts."""
    blocks, cuts = layout(spec)
    parts = [f'<div class="b" style="top:{b.top:.2f}mm;left:{b.left:.2f}mm;width:{b.width:.2f}mm;'
             f'font-size:{b.size:g}pt;line-height:{b.leading:.3f}mm;font-weight:{700 if b.bold else 400};'
             f'color:{b.color};text-align:{b.align}">{html.escape(chr(10).join(b.lines), quote=False)}</div>'
             for b in blocks]
    if spec.cancelled:
        parts.insert(0, f'<div class="cancelled" style="top:{BODY_TOP:g}mm"></div>')
    if spec.url:
        parts.append(f'<div class="qr">{qr.svg(spec.url, QR_SIZE)}</div>')
    page = _PAGE.format(title=html.escape(f"讲座通知：{spec.title}"), author=html.escape(spec.organiser or spec.site_name),
                        body="\n".join(parts))
    return page, cuts


_PAGE = """<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>{title}</title><meta name="author" content="{author}">
<style>
@page {{ size: A4; margin: 0 }}
html, body {{ margin: 0; padding: 0 }}
body {{ font-family: "RC Notice Sans"; color: #212121; font-kerning: none; font-variant-ligatures: none }}
.page {{ position: relative; width: 210mm; height: 296mm; overflow: hidden }}
.b {{ position: absolute; white-space: pre; overflow: hidden }}
.band {{ position: absolute; top: 0; left: 0; width: 210mm; height: 7mm; background: #b71c1c }}
.cross {{ position: absolute; background: #b71c1c }}
.rule {{ position: absolute; left: 16mm; width: 178mm; height: 0; border-top: 0.3mm solid #999 }}
.cancelled {{ position: absolute; left: 16mm; width: 178mm; height: 13mm; background: #b71c1c }}
.qr {{ position: absolute; top: 220mm; left: 138mm; width: 56mm; height: 56mm }}
.qr svg {{ display: block }}
</style></head>
<body><div class="page">
<div class="band"></div>
<div class="cross" style="top:15mm;left:19.7mm;width:3.7mm;height:11mm"></div>
<div class="cross" style="top:18.7mm;left:16mm;width:11mm;height:3.7mm"></div>
<div class="rule" style="top:31mm"></div>
<div class="rule" style="top:216mm"></div>
{body}
</div></body></html>
"""


MESSAGES = {
    "title": "标题太长，打印讲座通知（一页 A4）用最小的字号也放不下，通知上只印到“{kept}”。网页上的标题不受影响；想让通知印出全文，请缩短标题。",
    "speakers": "主讲人太多或 affiliation 太长，打印讲座通知上只印到“{kept}”。网页上完整显示；想让通知印全，请缩短 affiliation。",
    "date": "讲座时间太长，打印讲座通知上只印到“{kept}”。",
    "venue": "地点太长，打印讲座通知上只印到“{kept}”。网页上完整显示；想让通知印全，请缩短 venue。",
    "summary": "简介太长，打印讲座通知（一页 A4）上只印到“{kept}”。网页上的简介完整不变；想让通知印出全文，请把 summary 缩短到 {printed} 字以内。",
}
DERIVED_SUMMARY = "（没写 summary 时，简介取正文第一段；可以在 front matter 里写一句短的 summary。）"
LOST = "打印讲座通知的字体里没有“{lost}”（如表情符号），通知上省略了这些字符；网页上的文字不受影响。"


def notice_cuts(lecture: Lecture, cuts: list[Cut] | None = None) -> list[Problem]:
    """The notices (`注意：`) of what the lecture's notice leaves out, each at its field's line.

    `scripts/check` calls it with the lecture alone; the build passes the cuts of the whole
    layout, which are the same: the site's own lines never take the lecture's room.
    """
    if cuts is None:
        cuts = layout(spec_for(lecture))[1]
    out = []
    for cut in cuts:
        line = lecture.lines.get(cut.field, lecture.lines.get("title", 1))
        if cut.lost:
            message = LOST.format(lost=cut.lost)
        else:
            message = MESSAGES[cut.field].format(kept=cut.kept, printed=cut.printed)
            if cut.field == "summary" and "summary" not in lecture.lines:
                message += DERIVED_SUMMARY
        out.append(Problem(lecture.source, line, cut.field, message, notice=True))
    return out
