"""Content as editors really write it: no id, phone photo names, full-width punctuation,
pasted control characters, paths written from the wrong folder. Each builds (with a notice)
or fails with a Chinese message naming the line, and scripts/check says the same."""

from __future__ import annotations

import re
import subprocess
import uuid
from pathlib import Path

import pytest

from site_plugins.check.fix import insert_id
from site_plugins.content.frontmatter import parse_text
from site_plugins.content.suggest import derived_id, missing_hint

from .conftest import REPO
from .image_helpers import save_phone_photo
from .test_scripts import run

pytestmark = pytest.mark.build


def check(site, *args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:  # type: ignore[no-untyped-def]
    """scripts/check on the site's content, from `cwd` (the site's folder): in this process (tests/inprocess.py)."""
    return run("check", "--content", site.content, *args, cwd=cwd or site.root)


def test_a_story_without_id_publishes_with_the_derived_id_and_fix_writes_only_that_line(make_site) -> None:  # type: ignore[no-untyped-def]
    site = make_site()
    raw = "\ufeff---\r\ntitle: 没有编号的故事\r\ndate: 2026-03-05\r\ntags: [志愿服务]\r\n---\r\n\r\n正文。\r\n"
    file = site.content / "stories" / "no-id.md"
    file.parent.mkdir(parents=True)
    file.write_bytes(raw.encode("utf-8"))
    expected = derived_id("stories/no-id.md")
    result = site.build()
    assert "no-id.md:1: id:" in result.stderr and expected in result.stderr  # a notice, not a failure
    assert f"urn:uuid:{expected}" in (site.site / "feed.xml").read_text(encoding="utf-8")
    listed = check(site)
    assert listed.returncode == 0 and "注意：content/stories/no-id.md:1: id: " in listed.stdout
    assert expected in listed.stdout and "scripts/check --fix" in listed.stdout
    fixed = check(site, "--fix")
    assert fixed.returncode == 0 and "已写入 id：content/stories/no-id.md" in fixed.stdout
    after = file.read_bytes()
    assert after == raw.replace("---\r\n", f"---\r\nid: {expected}\r\n", 1).encode("utf-8")  # byte for byte
    assert "no-id.md:1: id:" not in fixed.stdout.split("已写入", 1)[1]  # the check after the fix is clean
    assert check(site, "--fix").stdout.count("已写入") == 0  # idempotent


def test_insert_id_keeps_every_other_byte() -> None:
    assert insert_id(b"---\ntitle: x\n---\n", "abc") == b"---\nid: abc\ntitle: x\n---\n"
    assert insert_id(b"\xef\xbb\xbf---\r\ntitle: x\r\n", "abc") == b"\xef\xbb\xbf---\r\nid: abc\r\ntitle: x\r\n"
    with pytest.raises(ValueError):
        insert_id(b"title: x\n", "abc")
    # whatever the parser (content/frontmatter.split) counts as the opening fence, with its own line end
    fence = "---\u3000 ".encode()
    assert insert_id(fence + b"\r\ntitle: x\r\n---\r\n", "abc") == fence + b"\r\nid: abc\r\ntitle: x\r\n---\r\n"
    assert insert_id(b"---\rtitle: x\r---\r", "abc") == b"---\rid: abc\rtitle: x\r---\r"
    for raw in (b"----\ntitle: x\n---\n", b"--- x\ntitle: x\n---\n", b"---", b"\xff---\n"):
        with pytest.raises(ValueError):
            insert_id(raw, "abc")


def test_scripts_new_counts_the_slugs_the_build_publishes(tmp_path: Path) -> None:
    """Default slugs (content/text.source_stem), front matter where content/frontmatter.split ends it,
    and no hidden file (content/audit.hidden): the files the catalog reads, nothing else."""
    from site_plugins.editors.new import taken_slugs

    files = {"stories/a.md": "---\nslug: bee\n---\n",
             "stories/b/index.md": "---\ntitle: x\n---\n",
             "stories/c.md": "\ufeff--- \r\ntitle: x\r\nslug: cee\r\n...\r\nslug: not-this\r\n",
             "stories/.d.md": "---\nslug: dee\n---\n",
             "stories/.old/e.md": "---\nslug: eee\n---\n",
             "lectures/f/index.md": "---\nslug: eff\n---\n"}
    for rel, text in files.items():
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text(text, encoding="utf-8", newline="")
    assert taken_slugs(tmp_path, "story") == {"a": "stories/a.md", "bee": "stories/a.md", "b": "stories/b/index.md",
                                              "c": "stories/c.md", "cee": "stories/c.md"}
    assert taken_slugs(tmp_path, "lecture") == {"f": "lectures/f/index.md", "eff": "lectures/f/index.md"}


def test_pre_commit_hook_runs_the_fix() -> None:
    assert "entry: scripts/check --fix" in (REPO / ".pre-commit-config.yaml").read_text(encoding="utf-8")


def test_phone_photo_names_are_published_under_a_derived_ascii_name(make_site) -> None:  # type: ignore[no-untyped-def]
    site = make_site()
    bundle = site.content / "stories" / "phone"
    save_phone_photo(bundle / "微信图片_20260105.jpg")
    save_phone_photo(bundle / "IMG 0001.JPG", width=640, height=480)  # other bytes: its own variants
    site.write("stories/phone/index.md", f"""
        ---
        id: {uuid.uuid4()}
        title: 手机照片
        date: 2026-03-05
        tags: [志愿服务]
        cover: 微信图片_20260105.jpg
        cover_alt: 志愿者合影
        ---

        ![冬夜送温暖](IMG 0001.JPG)
        """)
    site.build()
    assert (bundle / "微信图片_20260105.jpg").is_file() and (bundle / "IMG 0001.JPG").is_file()  # never renamed
    published = [p.relative_to(site.site).as_posix() for p in (site.site / "media").rglob("*")]
    assert any(p.endswith("/weixin-tupian-20260105-480.webp") for p in published), published
    assert any(p.endswith("/img-0001-480.webp") for p in published), published
    assert all(p.isascii() and " " not in p for p in published)
    page = (site.site / "stories" / "phone" / "index.html").read_text(encoding="utf-8")
    assert "微信图片" not in page and "IMG 0001" not in page and "weixin-tupian-20260105" in page
    assert check(site).returncode == 0


def test_full_width_punctuation_is_read_as_meant(make_site) -> None:  # type: ignore[no-untyped-def]
    site = make_site()
    site.write("stories/datong.md", f"""
        ---
        id: {uuid.uuid4()}
        title: 大同志愿者冬夜送温暖
        date: 2026-03-05
        city：大同
        tags: [志愿服务，救灾救助]
        ---

        正文。
        """)
    result = site.build()
    assert "stories/datong.md:5: city:" in result.stderr and "中文冒号" in result.stderr
    page = (site.site / "stories" / "datong" / "index.html").read_text(encoding="utf-8")
    assert "大同" in page and "narratives/relief/" in page and "narratives/volunteer/" in page
    assert check(site).returncode == 0


def test_pasted_control_characters_are_removed_with_a_notice(make_site) -> None:  # type: ignore[no-untyped-def]
    site = make_site()
    site.write("stories/pasted.md", f"""
        ---
        id: {uuid.uuid4()}
        title: "微信\x01复制的\x0b标题"
        date: 2026-03-05
        tags: [志愿服务]
        summary: 摘要\ufeff里有零宽字符
        ---

        正文\x0b有 Word 的换行。\x85
        """)
    result = site.build()  # no traceback from lxml
    log = result.stderr
    assert "stories/pasted.md:3: text:" in log and "U+000B" in log and "U+0001" in log
    assert "stories/pasted.md:9: text:" in log
    for name in ("feed.xml", "atom.xml", "feed.json", "stories/pasted/index.html", "lectures/calendar.ics"):
        text = (site.site / name).read_text(encoding="utf-8")
        assert "\x0b" not in text and "\x01" not in text and "\x85" not in text and "\ufeff" not in text, name
    assert "微信复制的标题" in (site.site / "feed.xml").read_text(encoding="utf-8")
    listed = check(site)
    assert listed.returncode == 0 and "stories/pasted.md:3: text:" in listed.stdout


@pytest.mark.parametrize(("front", "line", "words"), [
    ("title: 太原: 救在身边", 2, ["英文冒号", "引号"]),
    ("title: \"没有结束的引号", 2, ["引号没有配对"]),
    ("tags: [志愿服务，救灾救助", 2, ["方括号", "“，”是中文标点"]),
    ("title: a\n\tcity: b", 3, ["制表符"]),
    ("title: a\ntitle: b", 3, ["写了两次"]),
])
def test_yaml_errors_are_chinese_and_name_the_line(front: str, line: int, words: list[str]) -> None:
    doc = parse_text(f"---\n{front}\n---\n", "stories/x.md")
    assert len(doc.problems) == 1
    problem = doc.problems[0]
    assert problem.line == line, problem
    assert all(w in problem.message for w in words), problem.message
    assert not any(english in problem.message for english in ("could not", "expected", "found", "mapping"))


def test_missing_paths_get_the_path_to_write(tmp_path: Path) -> None:
    content = tmp_path / "content"
    (content / "images").mkdir(parents=True)
    (content / "stories").mkdir()
    (content / "images" / "x.jpg").write_bytes(b"x")
    (content / "stories" / "photo.jpeg").write_bytes(b"x")
    hint = missing_hint(content, "stories/a.md", "photo.JPG", "stories/photo.JPG")
    assert "photo.jpeg" in hint and hint.endswith("请写成 photo.jpeg")
    hint = missing_hint(content, "stories/a.md", "content/images/x.jpg", "stories/content/images/x.jpg")
    assert "仓库根目录" in hint and hint.endswith("请写成 ../images/x.jpg")
    hint = missing_hint(content, "stories/a.md", "images/x.jpg", "stories/images/x.jpg")
    assert "content/" in hint and "请写成 ../images/x.jpg" in hint
    assert "uuidgen" not in hint


def test_duplicate_ids_name_the_other_file_from_the_current_folder(make_site) -> None:  # type: ignore[no-untyped-def]
    site = make_site()
    uid = str(uuid.uuid4())
    site.story("original", uid=uid)
    site.story("copy", uid=uid)
    result = check(site, cwd=site.content / "stories")
    assert result.returncode == 1
    line = next(x for x in result.stdout.splitlines() if x.startswith("copy.md:"))
    assert "与 original.md 重复" in line and "uuidgen" not in line
    assert f"id: {derived_id('stories/copy.md')}" in line  # the value itself, no tool needed
    build = site.build(check=False)
    assert build.returncode != 0 and "与 content/stories/original.md 重复" in build.stderr


def reported(text: str) -> set[str]:
    """The `content/...:line: field: message` lines of a build log or a check, notices included."""
    out = set()
    for line in text.splitlines():
        line = re.sub(r"^(INFO|WARNING|ERROR)\s+-\s+", "", line.strip()).removeprefix("注意：")
        if line.startswith("content/"):
            out.add(line)
    return out


def test_no_file_under_content_is_silently_dropped_or_published_unchecked(make_site) -> None:  # type: ignore[no-untyped-def]
    site = make_site()
    site.story("upper")  # a valid story beside the strays
    (site.content / "stories" / "upper.md").rename(site.content / "stories" / "Upper.MD")
    site.write("stories/long.markdown", "---\ntitle: x\n---\n")
    site.write("story/misplaced.md", "---\ntitle: 放错文件夹\n---\n\n正文。\n")
    site.write("pages/event.md", "---\ntitle: 活动\ndate: 2026-03-05\ndraft: true\n---\n\n正文。\n")
    site.write("pages/about-us.md", "---\ntitle: 关于我们\n---\n\n普通页面放在子文件夹里也可以。\n")
    site.write("stories/.hidden.md", "---\ntitle: 隐藏\n---\n")
    site.write("stories/notes.docx", "采访笔记")
    site.write("stories/linked/table.xlsx", "表格")
    site.write("stories/linked/index.md", f"---\nid: {uuid.uuid4()}\ntitle: 有附件\ndate: 2026-03-05\n"
               "tags: [志愿服务]\n---\n\n[下载表格](table.xlsx)\n")
    save_phone_photo(site.content / "stories" / "linked" / "unused.jpg")
    save_phone_photo(site.content / "images" / "spare.jpg")  # unused outside the kind folders too
    save_phone_photo(site.content / "images" / "team.jpg")
    site.write("pages/team.md", "---\ntitle: 团队\n---\n\n![志愿者合影](../images/team.jpg)\n")
    build = site.build(check=False)
    assert build.returncode != 0
    listed = check(site)
    assert listed.returncode == 1
    lines = reported(listed.stdout)
    assert lines == reported(build.stderr)  # check and build: same verdict, same messages
    by_file = {line.split(":", 1)[0]: line for line in lines}
    assert "改名为 Upper.md" in by_file["content/stories/Upper.MD"]
    assert "改名为 long.md" in by_file["content/stories/long.markdown"]
    assert "content/stories/" in by_file["content/story/misplaced.md"]
    assert "不起作用" in by_file["content/pages/event.md"] and ":3: date:" in by_file["content/pages/event.md"]
    assert "不会发布" in by_file["content/stories/.hidden.md"]
    assert "原样复制" in by_file["content/stories/notes.docx"]
    assert "不会发布" in by_file["content/stories/linked/unused.jpg"]
    assert "content/stories/linked/table.xlsx" not in by_file  # linked from a story: published as it should be
    assert "content/pages/about-us.md" not in by_file  # a plain page in a folder of its own is fine
    assert "不会发布" in by_file["content/images/spare.jpg"]
    assert "content/images/team.jpg" not in by_file and "content/pages/team.md" not in by_file  # used by a plain page


@pytest.mark.parametrize("front", [
    "city：大同", "tags: [志愿服务，救灾救助]", "title: 太原: 救在身边", "cover: x.JPG\ncover_alt: 图",
    "cover: content/stories/x.jpg\ncover_alt: 图", "title: \"表情😀\"",
])
def test_check_and_build_say_the_same(make_site, front: str) -> None:  # type: ignore[no-untyped-def]
    site = make_site()
    save_phone_photo(site.content / "stories" / "x.jpg")
    body = "---\n" + "\n".join(line for line in [
        f"id: {uuid.uuid5(uuid.NAMESPACE_URL, front)}", "title: 标题" if "title" not in front else "",
        "date: 2026-03-05", "tags: [志愿服务]" if "tags" not in front else "", front] if line) + "\n---\n\n正文。\n"
    site.write("stories/case.md", body)
    build = site.build(check=False)
    listed = check(site)
    assert (build.returncode == 0) == (listed.returncode == 0), (build.stderr, listed.stdout)
    assert reported(build.stderr) == reported(listed.stdout) != set()
