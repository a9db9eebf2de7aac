"""scripts/new and scripts/check with an editor's arguments, read back by what they print and write."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import uuid
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml

from .conftest import BUILD_TIME, REPO, SiteMaker, checkout_pythonpath
from .inprocess import IN_PROCESS_SCRIPTS, run_script

pytestmark = pytest.mark.build

LINE_RE = re.compile(r"^(?P<path>[^:\s]+):(?P<line>\d+): (?P<field>[\w ]+): (?P<message>.+)$")


def run(script: str, *args: str | Path, cwd: Path, env: dict[str, str] | None = None,
        umask: int | None = None) -> subprocess.CompletedProcess[str]:
    """Run scripts/<script> with the test build time, from `cwd` (and with `umask`, if given).

    check, new and build run in this process (tests/inprocess.py); the others in their own.
    """
    # PYTHONPATH: a script run as a process (serve, edit, publish) uses this checkout's plugins
    # (scripts/checkout_env.py).
    extra = {"SITE_BUILD_TIME": BUILD_TIME, "NO_MKDOCS_2_WARNING": "1",
             "PYTHONPATH": checkout_pythonpath(REPO), **(env or {})}
    if script not in IN_PROCESS_SCRIPTS:
        return subprocess.run([sys.executable, str(REPO / "scripts" / script), *map(str, args)],
                              cwd=cwd, capture_output=True, text=True, env={**os.environ, **extra},
                              preexec_fn=None if umask is None else lambda: os.umask(umask))
    before = os.umask(umask) if umask is not None else None
    try:
        return run_script(REPO / "scripts" / script, list(map(str, args)), cwd, extra)
    finally:
        if before is not None:
            os.umask(before)


def problems(output: str) -> list[tuple[str, int, str, str]]:
    """The `path:line: field: message` lines of an output."""
    return [(m["path"], int(m["line"]), m["field"], m["message"])
            for m in map(LINE_RE.match, output.splitlines()) if m]


def front(path: Path) -> dict:
    text = path.read_text(encoding="utf-8")
    return yaml.load(text.split("---\n")[1], Loader=yaml.BaseLoader)


@pytest.fixture
def site(make_site: Callable[[], SiteMaker]) -> SiteMaker:
    return make_site()


# --- scripts/new ---------------------------------------------------------------------------------


def test_new_story_passes_check_and_is_built(site: SiteMaker) -> None:
    result = run("new", "--content", site.content, "story", "太原公交站旁的四分钟",
                 "--tags", "急救,志愿者", "--tags", "捐赠", "--city", "太原", "--date", "2026-11-20", cwd=site.root)
    assert result.returncode == 0, result.stderr
    slug = "taiyuan-gongjiaozhan-pang-de-si-fenzhong"  # word-joined pinyin from jieba
    assert f"已创建 content/stories/{slug}.md" in result.stdout
    assert f"http://127.0.0.1:8000/stories/{slug}/" in result.stdout
    meta = front(site.content / "stories" / f"{slug}.md")
    assert uuid.UUID(meta["id"]).version == 4
    assert meta["tags"] == ["应急救护", "志愿服务", "捐赠"]  # aliases normalised to labels
    assert (meta["title"], meta["date"], meta["city"]) == ("太原公交站旁的四分钟", "2026-11-20", "太原")

    check = run("check", "--content", site.content, cwd=site.root)
    assert check.returncode == 0, check.stdout
    assert "检查通过" in check.stdout
    site.build()
    page = (site.site / "stories" / slug / "index.html").read_text(encoding="utf-8")
    assert "太原公交站旁的四分钟" in page
    assert "在这里写导语" in page  # the body skeleton is there to be replaced


def test_new_lecture_bundle_passes_check_and_is_built(site: SiteMaker) -> None:
    result = run("new", "--content", site.content, "lecture", "心肺复苏与AED入门", "--date", "2026-12-20 14:30",
                 "--venue", "太原市迎泽区红十字会培训教室", "--city", "太原", "--tags", "应急救护",
                 "--speaker", "李红梅:省红十字会应急救护培训中心讲师", "--speaker", "王刚：志愿者", cwd=site.root)
    assert result.returncode == 0, result.stderr
    slug = "xinfei-fusu-yu-aed-rumen"
    file = site.content / "lectures" / slug / "index.md"
    meta = front(file)
    assert meta["speakers"] == [{"name": "李红梅", "affiliation": "省红十字会应急救护培训中心讲师"},
                                {"name": "王刚", "affiliation": "志愿者"}]
    assert (meta["date"], meta["duration"], meta["venue"]) == ("2026-12-20 14:30", "90", "太原市迎泽区红十字会培训教室")
    assert run("check", "--content", site.content, file, cwd=site.root).returncode == 0
    site.build()
    page = (site.site / "lectures" / slug / "index.html").read_text(encoding="utf-8")
    assert "心肺复苏与AED入门" in page and "李红梅" in page


def test_new_story_bundle_and_quoted_title(site: SiteMaker) -> None:
    result = run("new", "--content", site.content, "story", "讲座回顾: 急救 #1", "--tags", "应急救护",
                 "--bundle", "--slug", "jiangzuo-huigu", "--date", "2026-11-01", cwd=site.root)
    assert result.returncode == 0, result.stderr
    file = site.content / "stories" / "jiangzuo-huigu" / "index.md"
    assert front(file)["title"] == "讲座回顾: 急救 #1"
    assert run("check", "--content", site.content, cwd=site.root).returncode == 0


def test_new_story_defaults_to_today_in_shanghai(site: SiteMaker) -> None:
    # 23:30 UTC on the 29th is already the 30th in Shanghai.
    env = {"SITE_BUILD_TIME": "2026-11-29T23:30:00+00:00"}
    result = run("new", "--content", site.content, "story", "今天的故事", "--tags", "志愿服务", cwd=site.root, env=env)
    assert result.returncode == 0, result.stderr
    assert front(site.content / "stories" / "jintian-de-gushi.md")["date"] == "2026-11-30"


def test_new_future_story_says_when_it_goes_live(site: SiteMaker) -> None:
    result = run("new", "--content", site.content, "story", "春运", "--tags", "志愿服务",
                 "--date", "2027-01-15 08:00", cwd=site.root)
    assert result.returncode == 0
    assert "定时发布：2027年1月15日 08:00 起" in result.stdout


def test_new_never_overwrites(site: SiteMaker) -> None:
    args = ("--content", site.content, "story", "同一个标题", "--tags", "志愿服务", "--date", "2026-11-01")
    assert run("new", *args, cwd=site.root).returncode == 0
    file = site.content / "stories" / "tongyige-biaoti.md"
    file.write_text(file.read_text(encoding="utf-8") + "\n编辑写好的正文。\n", encoding="utf-8")
    before = file.read_bytes()

    again = run("new", *args, cwd=site.root)
    assert again.returncode == 1
    assert "已被 content/stories/tongyige-biaoti.md 使用" in again.stderr or "已经存在" in again.stderr
    assert "--slug tongyige-biaoti-2" in again.stderr
    assert "没有创建任何文件" in again.stderr
    # The same slug as a bundle is taken too: both would publish at /stories/tongyige-biaoti/.
    bundle = run("new", *args, "--bundle", cwd=site.root)
    assert bundle.returncode == 1 and "已被 content/stories/tongyige-biaoti.md 使用" in bundle.stderr
    assert file.read_bytes() == before
    assert not (site.content / "stories" / "tongyige-biaoti").exists()


def test_new_refuses_a_slug_taken_by_front_matter(site: SiteMaker) -> None:
    site.story("other-file", extra="slug: wo-de-gushi\n")
    result = run("new", "--content", site.content, "story", "我的故事", "--tags", "志愿服务", cwd=site.root)
    assert result.returncode == 1
    assert "网址名 wo-de-gushi 已被 content/stories/other-file.md 使用" in result.stderr
    assert sorted(p.name for p in (site.content / "stories").iterdir()) == ["other-file.md"]


@pytest.mark.parametrize(("args", "expected"), [
    (("story", "标题", "--tags", "志原服务"), "--tags：未知专题“志原服务”。是不是“志愿服务”？"),
    (("story", "标题"), "请用 --tags 写所属专题"),
    (("story", "标题", "--tags", "志愿服务", "--date", "2026-02-30"), "--date：“2026-02-30”这一天不存在"),
    (("story", "标题", "--tags", "志愿服务", "--date", "3/5/2026"), "有两种读法：2026-03-05（2026年3月5日） 或 2026-05-03"),
    (("story", "标题", "--tags", "志愿服务", "--date", "三月五日"), "不是日期"),
    (("story", "标题", "--tags", "志愿服务", "--slug", "Bad Slug"), "--slug“Bad Slug”只能包含小写英文字母"),
    (("story", "  ", "--tags", "志愿服务"), "标题不能为空"),
    (("lecture", "讲座", "--tags", "应急救护", "--date", "2026-12-20"), "讲座的 --date 要写到分钟"),
    (("lecture", "讲座", "--tags", "应急救护"), "讲座要写开始时间"),
    (("lecture", "讲座", "--tags", "应急救护", "--date", "2026-12-20 14:30"), "讲座要写主讲人"),
    (("lecture", "讲座", "--tags", "应急救护", "--date", "2026-12-20 14:30", "--speaker", ":单位"), "讲座要写主讲人"),
])
def test_new_rejects_bad_input_and_writes_nothing(site: SiteMaker, args: tuple[str, ...], expected: str) -> None:
    result = run("new", "--content", site.content, *args, cwd=site.root)
    assert result.returncode == 1
    assert expected in result.stderr
    assert "没有创建任何文件" in result.stderr
    assert not list(site.content.glob("stories/**/*.md")) and not list(site.content.glob("lectures/**/*.md"))


def test_new_lists_every_missing_lecture_field_at_once(site: SiteMaker) -> None:
    result = run("new", "--content", site.content, "lecture", "讲座", cwd=site.root)
    assert result.returncode == 1
    for hint in ("--tags", "开始时间", "地点", "城市", "主讲人"):
        assert hint in result.stderr


# --- scripts/check: bad files ----------------------------------------------------------------------

VALID = ("---\nid: 8c2d8a51-6d1a-4b1b-9a5a-0d6f1f0e0a01\ntitle: 测试\ndate: 2026-03-05\n"
         "tags: [志愿服务]\n---\n\n正文。\n")
BAD_TAG = VALID.replace("[志愿服务]", "[志原服务]")  # the tag sits on line 5


@pytest.mark.parametrize(("data", "line", "field", "message"), [
    ("---\nid: 8c2d8a51-6d1a-4b1b-9a5a-0d6f1f0e0a01\ntitle: 标题: 副标题\ndate: 2026-03-05\n---\n".encode(),
     3, "front matter", "YAML 格式错误"),
    ("---\ntitle: 中文\n---\n".encode("gbk"), 2, "encoding", "文件不是 UTF-8 编码"),
    (b"", 1, "file", "文件是空的"),
    (b"\n\n  \n", 1, "file", "文件是空的"),
    ("没有 front matter 的正文。\n".encode(), 1, "front matter", "缺少开头的 front matter"),
    ("---\ntitle: 没有结束\n\n正文\n".encode(), 1, "front matter", "没有结束的 --- 行"),
    (BAD_TAG.replace("\n", "\r\n").encode(), 5, "tags", "未知专题“志原服务”。是不是“志愿服务”？"),
    (b"\xef\xbb\xbf" + BAD_TAG.encode(), 5, "tags", "未知专题“志原服务”"),
    (BAD_TAG.replace("\n", "\r").encode(), 5, "tags", "未知专题“志原服务”"),
], ids=["yaml", "gbk", "empty", "blank", "no-front-matter", "unclosed", "crlf", "bom", "cr"])
def test_check_points_at_path_line_field(site: SiteMaker, data: bytes, line: int, field: str, message: str) -> None:
    site.story("good")
    (site.content / "stories" / "bad.md").write_bytes(data)
    result = run("check", "--content", site.content, cwd=site.root)
    assert result.returncode == 1
    found = problems(result.stdout)
    assert [(p, n, f) for p, n, f, _ in found] == [("content/stories/bad.md", line, field)], result.stdout
    assert message in found[0][3]
    assert "发现 1 个问题（1 个文件）" in result.stdout


@pytest.mark.parametrize("encode", [
    lambda t: t.replace("\n", "\r\n").encode(),
    lambda t: b"\xef\xbb\xbf" + t.encode(),
    lambda t: b"\xef\xbb\xbf" + t.replace("\n", "\r\n").encode(),
], ids=["crlf", "bom", "bom-crlf"])
def test_check_accepts_windows_files(site: SiteMaker, encode: Callable[[str], bytes]) -> None:
    (site.content / "stories").mkdir()
    (site.content / "stories" / "windows.md").write_bytes(encode(VALID))
    result = run("check", "--content", site.content, cwd=site.root)
    assert result.returncode == 0, result.stdout
    assert "检查通过：1 篇故事、0 场讲座、" in result.stdout


def test_check_reports_every_problem_of_every_file(site: SiteMaker) -> None:
    site.story("one", tags="[志原服务]", extra="cover: missing.jpg\ncover_alt: 图\n")
    site.story("two", body="![](photo.png)")
    site.lecture("three", extra="audience: 很多\n")
    result = run("check", "--content", site.content, cwd=site.root)
    assert result.returncode == 1
    found = {(p, f) for p, _, f, _ in problems(result.stdout)}
    assert found == {("content/stories/one.md", "tags"), ("content/stories/one.md", "cover"),
                     ("content/stories/two.md", "image"), ("content/lectures/three/index.md", "audience")}
    assert "（3 个文件）" in result.stdout


def test_check_paths_are_relative_to_the_current_folder(site: SiteMaker) -> None:
    site.story("bad", tags="[志原服务]")
    from_stories = run("check", "--content", site.content, "bad.md", cwd=site.content / "stories")
    assert problems(from_stories.stdout)[0][:3] == ("bad.md", 5, "tags")
    from_root = run("check", "--content", site.content, cwd=site.root)
    assert problems(from_root.stdout)[0][:3] == ("content/stories/bad.md", 5, "tags")


def test_check_given_files_only_but_cross_file_duplicates(site: SiteMaker) -> None:
    uid = "3f2b6a3e-9f57-4c2e-8d7e-1a2b3c4d5e6f"
    site.story("a", uid=uid)
    site.story("b", uid=uid)
    site.story("c", tags="[志原服务]")
    result = run("check", "--content", site.content, "content/stories/a.md", cwd=site.root)
    assert result.returncode == 1
    assert [(p, f) for p, _, f, _ in problems(result.stdout)] == [("content/stories/a.md", "id")]
    assert "与 content/stories/b.md 重复" in result.stdout  # the other file as seen from the current folder


def test_check_widens_to_everything_when_the_vocabulary_changes(site: SiteMaker) -> None:
    site.story("a", tags="[救灾救助]")
    site.story("b")
    vocabulary = site.content / "narratives.yml"
    text = vocabulary.read_text(encoding="utf-8")
    vocabulary.write_text(text[: text.index("- key: relief")], encoding="utf-8")  # the editor deletes a narrative
    result = run("check", "--content", site.content, "content/narratives.yml", cwd=site.root)
    assert result.returncode == 1
    assert [(p, f) for p, _, f, _ in problems(result.stdout)] == [("content/stories/a.md", "tags")]


def test_check_missing_and_outside_paths(site: SiteMaker, tmp_path: Path) -> None:
    site.story("a")
    missing = run("check", "--content", site.content, "content/stories/nope.md", cwd=site.root)
    assert missing.returncode == 1 and "content/stories/nope.md:1: file: 找不到这个文件" in missing.stdout
    outside = tmp_path / "notes.md"
    outside.write_text("x", encoding="utf-8")
    skipped = run("check", "--content", site.content, outside, cwd=site.root)
    assert skipped.returncode == 0 and "已跳过" in skipped.stderr


def test_check_github_annotations(site: SiteMaker) -> None:
    site.story("bad", tags="[志原服务]")
    result = run("check", "--content", site.content, "--format", "github", cwd=site.root)
    assert result.returncode == 1
    assert result.stdout.startswith("::error file=content/stories/bad.md,line=5,title=tags::未知专题“志原服务”")


def test_check_vocabulary_errors(site: SiteMaker) -> None:
    site.story("a")
    (site.content / "narratives.yml").write_text("- key: Bad Key\n  label: 坏\n", encoding="utf-8")
    result = run("check", "--content", site.content, cwd=site.root)
    assert result.returncode == 1
    assert problems(result.stdout)[0][:3] == ("content/narratives.yml", 1, "key")


# --- scripts/check --schedule ------------------------------------------------------------------------


def test_schedule_lists_future_stories_and_drafts(site: SiteMaker) -> None:
    site.story("later", title="春运", date="2027-01-15 08:00")
    site.story("sooner", title="元旦", date="2026-12-31")
    site.story("draft", title="草稿一篇", extra="draft: true\n")
    site.story("past", title="已发布")
    site.lecture("upcoming", date="2026-12-20 14:30")  # lectures are published ahead, not scheduled
    result = run("check", "--content", site.content, "--schedule", cwd=site.root)
    assert result.returncode == 0, result.stdout
    lines = result.stdout.splitlines()
    assert "现在是 2026年11月29日 12:00（北京时间）。" in lines
    scheduled = [line for line in lines if line.startswith("  ") and "起" in line]
    assert scheduled == ["  2026年12月31日 00:00 起  content/stories/sooner.md  元旦",
                         "  2027年1月15日 08:00 起  content/stories/later.md  春运"]
    assert "  content/stories/draft.md  草稿一篇" in lines
    assert "已发布" not in result.stdout and "upcoming" not in result.stdout


# --- scripts/check: internal links -------------------------------------------------------------------


def test_check_internal_links(site: SiteMaker) -> None:
    site.story("target", body="第一段。\n\n## 课堂上的那个周末\n\n正文。")
    site.story("hidden", extra="draft: true\n")
    site.story("soon", date="2027-01-15")
    body = "\n".join([
        "[好](target.md) [好锚点](target.md#课堂上的那个周末) [本页](#小标题) [外部](https://www.redcross.org.cn/)",
        "[丢失](targte.md)",
        "[网址](../target/)",
        "[坏锚点](target.md#没有这节)",
        "[草稿](hidden.md)",
        "[定时](soon.md)",
        "`[代码里的](nowhere.md)`",
        "```",
        "[围栏里的](nowhere.md)",
        "```",
        "## 小标题",
    ])
    source = site.story("source", body=body)
    result = run("check", "--content", site.content, source, cwd=site.root)
    assert result.returncode == 1
    found = problems(result.stdout)
    assert [(n, f) for _, n, f, _ in found] == [(9, "link"), (10, "link"), (11, "link"), (12, "link"), (13, "link")]
    messages = [m for *_, m in found]
    assert "是不是 target.md？" in messages[0]
    assert "请链接到文件，改为 target.md" in messages[1]
    assert "#没有这节" in messages[2] and "#课堂上的那个周末" in messages[2]
    assert "草稿" in messages[3]
    assert "2027年1月15日" in messages[4]


def test_new_refuses_to_work_with_a_broken_vocabulary(site: SiteMaker) -> None:
    (site.content / "narratives.yml").write_text("- key: volunteer\n  label: [志愿\n", encoding="utf-8")
    result = run("new", "--content", site.content, "story", "标题", "--tags", "志愿服务", cwd=site.root)
    assert result.returncode == 1
    assert "content/narratives.yml:" in result.stderr and "专题词表有问题" in result.stderr
    assert not list(site.content.glob("stories/**/*.md"))


def test_new_works_beside_broken_files(site: SiteMaker) -> None:
    (site.content / "stories").mkdir()
    (site.content / "stories" / "gbk.md").write_bytes("---\ntitle: 中文\nslug: zhong-wen\n---\n".encode("gbk"))
    (site.content / "stories" / "empty.md").write_bytes(b"")
    result = run("new", "--content", site.content, "story", "新故事", "--tags", "志愿服务", cwd=site.root)
    assert result.returncode == 0, result.stderr
    assert (site.content / "stories" / "xin-gushi.md").is_file()


@pytest.mark.parametrize("value", ["true", "123", "null", "- 列表", "[甲]", "标题: 副标题", "#1 标题", " 前后空格 ",
                                   "引号\"和'单引号", "2026-03-05", "普通标题"])
def test_scalar_reads_back_unchanged(value: str) -> None:
    from site_plugins.editors.new import scalar

    assert yaml.safe_load(f"k: {scalar(value)}") == {"k": value}


def test_split_tags_and_speakers() -> None:
    from site_plugins.content.schema import Speaker
    from site_plugins.editors.new import parse_speaker, split_tags

    assert split_tags(["志愿服务,应急救护", "捐赠，养老服务、救灾救助", " 急救 "]) == [
        "志愿服务", "应急救护", "捐赠", "养老服务", "救灾救助", "急救"]
    assert parse_speaker("李红梅：讲师:培训中心") == Speaker("李红梅", "讲师:培训中心")
    assert parse_speaker("王刚") == Speaker("王刚", "")
    assert parse_speaker(" :单位") is None


def test_bench_check_runs(tmp_path: Path) -> None:
    result = subprocess.run([sys.executable, str(REPO / "scripts" / "bench_check.py"), "--files", "30", "--repeat", "1"],
                            capture_output=True, text=True, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    rows = [line.split() for line in result.stdout.splitlines()[2:]]
    assert [r[0] for r in rows] == ["scripts/check", "scripts/check", "python", "in-process:", "in-process:"]
    assert all(float(r[-1]) > 0 for r in rows)
