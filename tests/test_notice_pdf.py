"""The printable lecture notice as a reader gets it: the PDF read back with poppler (pdfinfo,
pdftotext, pdffonts, pdftoppm) and its QR code decoded with zxing-cpp; and rc-notice in a build."""

from __future__ import annotations

import dataclasses
import os
import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
import zxingcpp
from PIL import Image

from site_plugins.media import pdf
from site_plugins.media.notice import notice_html, spec_for

from .conftest import REPO, SiteMaker
from .test_notice import EXTREME, URL, lecture
from .test_scripts import run

pytestmark = pytest.mark.build

ORDINARY = spec_for(lecture(), URL, "红十字大讲堂", "山西省红十字会", "0351-1234567")
SPECS = {
    "ordinary": ORDINARY,
    "extreme": spec_for(EXTREME, URL + "x" * 120 + "/", "红十字大讲堂", "某" * 40, "+86 (0351) 1234-5678"),
    "escaping": dataclasses.replace(ORDINARY, title='<b>"急救" & 自救</b>', venue="<i>培训教室</i> & 报告厅"),
}
OUR_FONT = re.compile(r"^[A-Z]{6}\+RC-Notice-Sans(-Bold)?$")


def tool(*args: str | Path) -> str:
    return subprocess.run([*map(str, args)], check=True, capture_output=True, text=True).stdout


@pytest.fixture(scope="module")
def notices(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("notices")
    paths = {}
    for name, spec in SPECS.items():
        paths[name] = folder / f"{name}.pdf"
        paths[name].write_bytes(pdf.render(notice_html(spec)[0]))
    return paths


def fonts(path: Path) -> list[tuple[str, str]]:
    """(name, emb) of each font pdffonts lists (its columns are as wide as the dashes under their heads)."""
    _head, dashes, *rows = tool("pdffonts", path).splitlines()
    columns = [(m.start(), m.end()) for m in re.finditer(r"-+", dashes)]
    cells = [[row[a:b].strip() for a, b in columns] for row in rows]
    return [(cell[0], cell[3]) for cell in cells]


def flat(text: str) -> str:
    return re.sub(r"\s+", "", text)


@pytest.mark.parametrize("name", sorted(SPECS))
def test_exactly_one_a4_page(notices: dict[str, Path], name: str) -> None:
    info = tool("pdfinfo", notices[name])
    assert re.search(r"^Pages:\s+1$", info, re.M)
    assert re.search(r"^Page size:\s+595\.276 x 841\.89 pts \(A4\)$", info, re.M)
    assert re.search(r"^Tagged:\s+yes$", info, re.M)  # structure for screen readers, in reading order


def test_the_text_can_be_copied_and_searched(notices: dict[str, Path]) -> None:
    text = flat(tool("pdftotext", notices["ordinary"], "-"))
    for part in ("心肺复苏与AED使用入门", "主讲人", "李红梅（省红十字会应急救护培训中心讲师）", "2026年12月20日（星期日）14:30–16:00",
                 "太原·迎泽区红十字会培训教室", ORDINARY.summary, "主办单位：山西省红十字会", "咨询电话：0351-1234567", URL):
        assert flat(part) in text, part
    escaped = flat(tool("pdftotext", notices["escaping"], "-"))
    assert flat('<b>"急救" & 自救</b>') in escaped and flat("<i>培训教室</i> & 报告厅") in escaped
    info = tool("pdfinfo", notices["escaping"])
    assert 'Title:           讲座通知：<b>"急救" & 自救</b>' in info and "CreationDate" not in info and "ModDate" not in info


@pytest.mark.parametrize("name", ["ordinary", "extreme"])
def test_the_qr_code_decodes_to_the_page_and_is_4_cm_wide(notices: dict[str, Path], name: str, tmp_path: Path) -> None:
    tool("pdftoppm", "-r", "150", "-png", "-singlefile", notices[name], tmp_path / "page")
    with Image.open(tmp_path / "page.png") as image:
        [code] = zxingcpp.read_barcodes(image)
    assert code.format == zxingcpp.BarcodeFormat.QRCode and code.text == SPECS[name].url
    corners = code.position
    width_mm = (corners.top_right.x - corners.top_left.x) / 150 * 25.4
    assert width_mm >= 40, width_mm  # the modules alone, quiet zone not counted


@pytest.mark.parametrize("name", sorted(SPECS))
def test_only_our_fonts_are_embedded(notices: dict[str, Path], name: str) -> None:
    found = fonts(notices[name])
    assert len(found) == 2 and all(OUR_FONT.match(font) and emb == "yes" for font, emb in found), found


def test_a_character_our_fonts_lack_never_pulls_in_a_system_font(tmp_path: Path) -> None:
    """The machine has fonts that draw ✓ and 한 (DejaVu, fonts-noto-cjk): WeasyPrint's own font
    configuration falls back to them, ours knows none, so the PDF stays the same everywhere."""
    from weasyprint import HTML

    page = ('<!DOCTYPE html><html lang="zh-CN"><head><style>body { font-family: "RC Notice Sans" }</style></head>'
            "<body><p>打勾 ✓ 한국</p></body></html>")
    ours = tmp_path / "ours.pdf"
    ours.write_bytes(pdf.render(page))
    assert all(OUR_FONT.match(font) for font, _emb in fonts(ours)), fonts(ours)
    system = tmp_path / "system.pdf"  # the control: without our configuration, another font comes in
    HTML(string=page.replace("<style>", f"<style>{pdf.font_faces()}")).write_pdf(system)
    assert any(not OUR_FONT.match(font) for font, _emb in fonts(system)), fonts(system)


@pytest.mark.parametrize("resource", ['<link rel="stylesheet" href="file:///etc/passwd">',
                                      '<img src="http://127.0.0.1:9/x.png" alt="">'])
def test_only_the_shipped_fonts_may_be_loaded(resource: str) -> None:
    from weasyprint.urls import FatalURLFetchingError

    page = f"<!DOCTYPE html><html><head></head><body>{resource}<p>通知</p></body></html>"
    with pytest.raises(FatalURLFetchingError) as caught:
        pdf.render(page)
    assert "only the shipped fonts" in str(caught.value.__cause__)


def test_same_notice_same_bytes_in_another_process(notices: dict[str, Path]) -> None:
    data = notices["ordinary"].read_bytes()
    assert b"/CreationDate" not in data and b"/ModDate" not in data and re.search(rb"/ID \[", data)
    code = ("import sys; sys.path.insert(0, sys.argv[1]); from tests.test_notice_pdf import SPECS; "
            "from site_plugins.media import pdf; from site_plugins.media.notice import notice_html; "
            "sys.stdout.buffer.write(pdf.render(notice_html(SPECS['ordinary'])[0]))")
    env = {**os.environ, "PYTHONHASHSEED": "4242", "TZ": "America/Los_Angeles", "LC_ALL": "C.UTF-8"}
    other = subprocess.run([sys.executable, "-c", code, str(REPO)], capture_output=True, env=env, check=True, cwd=REPO)
    assert other.stdout == data


# --- rc-notice in a build --------------------------------------------------------------------

LONG_SUMMARY = "summary: " + "心脏骤停发生后的四分钟是抢救的黄金时间，" * 40 + "\n"


def notice_site(make: Callable[..., SiteMaker], shared_cache: bool = True) -> SiteMaker:
    s = make(shared_cache)
    s.lecture("plain")
    s.lecture("escaped", title="'<b>\"急救\" & 自救</b>'")
    s.lecture("long", extra=LONG_SUMMARY)
    s.story("a-story")
    return s


def notice_lines(output: str) -> list[str]:
    return sorted(re.sub(r"^(INFO|WARNING)\s+-\s+", "", line.strip()) for line in output.splitlines()
                  if "打印讲座通知" in line and "注意：" in line)


def test_every_lecture_gets_its_notice_linked_from_its_page(make_site: Callable[..., SiteMaker]) -> None:
    s = notice_site(make_site)
    built = s.build()
    for slug in ("plain", "escaped", "long"):
        page = (s.site / "lectures" / slug / "index.html").read_text(encoding="utf-8")
        link = re.search(r'<a href="([^"]+)" type="application/pdf">打印讲座通知</a>', page)
        assert link is not None, slug
        target = (s.site / "lectures" / slug / link.group(1)).resolve()
        assert target == (s.site / "notices" / f"{slug}.pdf").resolve() and target.is_file()
    assert "打印讲座通知" not in (s.site / "stories" / "a-story" / "index.html").read_text(encoding="utf-8")
    assert sorted(p.name for p in (s.site / "notices").iterdir()) == ["escaped.pdf", "long.pdf", "plain.pdf"]
    text = flat(tool("pdftotext", s.site / "notices" / "escaped.pdf", "-"))
    assert flat('<b>"急救" & 自救</b>') in text and "主办单位：山西省红十字会" in text and "咨询电话" not in text
    # the long summary: the build says what the notice cut, in the very words of scripts/check
    build_notices = notice_lines(built.stdout + built.stderr)
    assert len(build_notices) == 1 and "lectures/long/index.md:12: summary: 简介太长" in build_notices[0]
    checked = run("check", "--content", s.content, cwd=s.root)
    assert checked.returncode == 0 and notice_lines(checked.stdout) == build_notices
    warm = s.build()
    assert "rc-notice: 3 lecture notices (0 rendered, 3 cached)" in warm.stdout + warm.stderr


def test_organiser_and_phone_come_from_extra(make_site: Callable[..., SiteMaker]) -> None:
    s = make_site()
    s.lecture("plain")
    config = s.config.read_text(encoding="utf-8")
    s.config.write_text(config.replace("  organiser: 山西省红十字会\n",
                                       "  organiser: 太原市红十字会\n  contact:\n    phone: 0351-7654321\n"), encoding="utf-8")
    s.build()
    text = flat(tool("pdftotext", s.site / "notices" / "plain.pdf", "-"))
    assert "主办单位：太原市红十字会" in text and "咨询电话：0351-7654321" in text
    s.config.write_text(config.replace("  organiser: 山西省红十字会\n", "  organiser: " + "长" * 41 + "\n"), encoding="utf-8")
    failed = s.build(check=False)
    assert failed.returncode != 0 and re.search(r"mkdocs\.yml:\d+: extra\.organiser: 主办单位“长+”有 41 个字", failed.stderr)


def test_the_same_site_builds_the_same_notices_elsewhere(make_site: Callable[..., SiteMaker]) -> None:
    """A cold cache, another process, zone and hash seed: the same bytes."""
    first, second = notice_site(make_site), notice_site(make_site, shared_cache=False)
    first.build()
    second.build(extra_env={"TZ": "Pacific/Auckland", "PYTHONHASHSEED": "77"})
    for slug in ("plain", "escaped", "long"):
        assert (first.site / "notices" / f"{slug}.pdf").read_bytes() == (second.site / "notices" / f"{slug}.pdf").read_bytes()


def test_the_notice_benchmark_runs(tmp_path: Path) -> None:
    result = subprocess.run([sys.executable, str(REPO / "scripts" / "bench_notices.py"), "--count", "3", "--serial", "1",
                             "--workers", "1"], capture_output=True, text=True, cwd=tmp_path, check=True)
    assert re.search(r"^cold: pool of 1 \(incl\. worker start\)\s+3\s", result.stdout, re.M), result.stdout
    assert re.search(r"^warm: all cached\s+3\s", result.stdout, re.M) and "cold at 600 lectures" in result.stdout
