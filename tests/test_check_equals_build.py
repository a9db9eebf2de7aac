"""Check equals build: every bad or tricky input gets the same verdict and the same message from
`scripts/check` and from `mkdocs build --strict`, under the default settings and under a second
mkdocs.yml (`nondefault`) that changes every setting the check depends on.

One row per input. Rows of a group share one synthetic site (a build reports every content
problem at once), so the table stays cheap to grow: add a row with the files it writes, the
`path:line: field` it must be reported at (None for input both must accept) and a fragment of
the Chinese message. Rows that break a file every page depends on (the vocabulary, the authors)
get a group of their own. A row whose verdict depends on a setting names the configs it is for.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Callable
from dataclasses import dataclass, field

import pytest

from site_plugins import settings
from site_plugins.media.social import DEFAULT_FONT

from .audio_helpers import make_recording
from .conftest import REPO, SiteMaker
from .image_helpers import save_phone_photo
from .test_scripts import run

pytestmark = pytest.mark.build

Write = Callable[[SiteMaker], object]


@dataclass(frozen=True)
class Row:
    name: str
    write: Write
    where: str | None  # "stories/x.md:8: image" the problem is reported at; None: both accept the input
    says: str = ""  # a fragment of the message
    group: str = "shared"
    images: tuple[str, ...] = field(default=())  # content paths of real photos the row needs
    configs: tuple[str, ...] = ("default", "nondefault")  # the mkdocs.yml the row holds under
    notice: bool = False  # a `注意：` notice both give while both publish (rows of the "notices" group)


# What scripts/check reads of the settings (check/checker.py), each changed by `nondefault`.
CHECK_READS = (("site", "docs_dir"), ("images", "max_megapixels"), ("images", "widths"), ("images", "thumbnail"),
               ("images", "font"), ("images", "fallback_fonts"), ("audio", "max_hours"), ("audio", "timeout"),
               ("listings", "page_size"), ("listings", "related"), ("listings", "home"))


def nondefault(site: SiteMaker) -> SiteMaker:
    """The site with another mkdocs.yml: other limits, other listing sizes, its own card font and its
    content in source/ instead of content/."""
    (site.root / "fonts").mkdir()
    shutil.copy(DEFAULT_FONT, site.root / "fonts" / "card.otf")
    source = site.root / "source"
    site.content.rename(source)
    site.content = source
    config = site.config.read_text(encoding="utf-8").replace("docs_dir: content\n", "docs_dir: source\n")
    for plugin, options in (
            ("rc-images", "max_megapixels: 10\nwidths: [400, 800]\nthumbnail: [300, 200]\n"
                          "font: fonts/card.otf\nfallback_fonts: [fonts/card.otf]\n"),
            ("rc-audio", "max_hours: 0.0025\ntimeout: 120\n"),
            ("rc-listings", "related: 2\nhome: 1\n")):
        block = "".join(f"      {line}\n" for line in options.splitlines())
        config = config.replace(f"  - {plugin}:\n", f"  - {plugin}:\n{block}", 1) if f"  - {plugin}:\n" in config \
            else config.replace(f"  - {plugin}\n", f"  - {plugin}:\n{block}", 1)
    site.config.write_text(config.replace("      page_size: 12\n", "      page_size: 1\n"), encoding="utf-8")
    return site


def photo(rel: str, width: int, height: int) -> Write:
    return lambda s: save_phone_photo(s.content / rel, width, height)


def recording(rel: str, seconds: float) -> Write:
    return lambda s: make_recording(s.content / rel, seconds)


def story(slug: str, body: str = "正文第一段。", **kw: str) -> Write:
    return lambda s: s.story(slug, body=body, **kw)


def lecture(slug: str, extra: str = "", **kw: str) -> Write:
    return lambda s: s.lecture(slug, extra=extra, **kw)


def write(rel: str, text: str) -> Write:
    return lambda s: s.write(rel, text)


def both(*writers: Write) -> Write:
    return lambda s: [w(s) for w in writers]


def animation(rel: str, size: tuple[int, int], count: int) -> Write:
    """An animated GIF of `count` frames (alternating colours, so no frame repeats the one before)."""
    def make(s: SiteMaker) -> None:
        from PIL import Image

        frames = [Image.new("P", size, i % 2) for i in range(count)]
        for frame in frames:
            frame.putpalette([220, 20, 30, 30, 60, 200] + [0] * 762)
        (s.content / rel).parent.mkdir(parents=True, exist_ok=True)
        frames[0].save(s.content / rel, save_all=True, append_images=frames[1:], duration=100, loop=0)
    return make


ELDER = "[养老服务]"
ROWS = [
    # --- the two cases the issue reproduced ---
    Row("page image without alt", write("about.md", "---\ntitle: 关于\n---\n\n![](images/x.jpg)\n"),
        "about.md:5: image", "没有替代文本", images=("images/x.jpg",)),
    Row("image alt with brackets, no consent", story("elder", "![老人[右]和志愿者](b.jpg)", tags=ELDER),
        "stories/elder.md:8: consent", "肖像使用同意书", images=("stories/b.jpg",)),
    Row("image alt with brackets, missing file", story("elder2", "![老人[右]和志愿者](nope.jpg)", tags=ELDER),
        "stories/elder2.md:8: image", "找不到文件“nope.jpg”"),
    # --- stories ---
    Row("misspelt narrative", story("typo", tags="[志愿服物]"), "stories/typo.md:5: tags", "志愿服务"),
    Row("impossible date", story("baddate", date="2026-02-30"), "stories/baddate.md:4: date", "2026-02-30"),
    Row("unknown field", story("titel", extra="titel: 标题\n"), "stories/titel.md:6: titel", "title"),
    Row("cover without alt", story("coveralt", extra="cover: c.jpg\n"), "stories/coveralt.md:6: cover_alt", "cover_alt",
        images=("stories/c.jpg",)),
    Row("missing cover", story("nocover", extra="cover: missing.jpg\ncover_alt: 图\n"),
        "stories/nocover.md:6: cover", "/stories/missing.jpg）"),  # content/ or source/: the docs_dir
    Row("raw img tag", story("rawimg", '<img src="c.jpg" alt="x">'), "stories/rawimg.md:8: image", "<img>"),
    Row("image outside content", story("outside", "![图](../../secret.jpg)"), "stories/outside.md:8: image", "content/ 之外"),
    Row("external image", story("external", "![图](https://example.org/a.jpg)"), "stories/external.md:8: image", "外部网址"),
    Row("consent true", story("consent", "![老人](c2.jpg)", tags=ELDER, extra="consent: true\n"),
        "stories/consent.md:6: consent", "不能写 true", images=("stories/c2.jpg",)),
    Row("unknown author", story("author", extra="authors: [wangly]\n"), "stories/author.md:6: authors", "wangli"),
    Row("reserved slug", story("archive"), "stories/archive.md:1: slug", "保留"),
    Row("bad YAML", write("stories/yaml.md", "---\ntitle: [未闭合\n---\n\n正文。\n"), "stories/yaml.md:2: front matter", "方括号"),
    Row("not an image", write("stories/fake.md", "---\nid: 6f1c8a46-0d40-4b2e-9a8e-5d1b7f3c2a10\ntitle: 假图\n"
                              "date: 2026-03-01\ntags: [志愿服务]\n---\n\n![图](fake.jpg)\n"),
        "stories/fake.md:8: image", "无法识别图片“fake.jpg”"),
    # --- links ---
    Row("link to a missing file", story("l1", "[丢失](targte.md)"), "stories/l1.md:8: link", "是不是 target.md"),
    Row("link to a page address", story("l2", "[网址](../target/)"), "stories/l2.md:8: link", "改为 target.md"),
    Row("bad anchor", story("l3", "[坏锚点](target.md#没有这节)"), "stories/l3.md:8: link", "#没有这节"),
    Row("link to a draft", both(story("hidden", extra="draft: true\n"), story("l4", "[草稿](hidden.md)")),
        "stories/l4.md:8: link", "草稿"),
    Row("link to a scheduled story", both(story("soon", date="2027-01-15"), story("l5", "[定时](soon.md)")),
        "stories/l5.md:8: link", "2027年1月15日"),
    Row("page links a missing file", write("pages/help.md", "# 帮助\n\n[故事](../stories/nope.md)\n"),
        "pages/help.md:3: link", "找不到链接的文件"),
    # --- lectures ---
    Row("lecture without a time", lecture("notime", date="2026-03-05"), "lectures/notime/index.md:4: date", "开始时间"),
    Row("lecture ends before it starts", write("lectures/backwards/index.md", "---\nid: 0b4a3f7e-2c55-4c1d-8e6a-3a9f1d2b7c44\n"
                                               "title: 倒着的讲座\ndate: 2026-03-05 14:30\nend: 2026-03-05 13:00\n"
                                               "tags: [应急救护]\nspeakers: [李红梅]\nvenue: 教室\ncity: 太原\n---\n\n内容。\n"),
        "lectures/backwards/index.md:5: end", "结束时间早于开始时间"),
    Row("lecture recording type", lecture("rec", "recording: {url: 'https://x.org/a.mp3', length: 9, type: mp3, duration: '00:01:00'}\n"),
        "lectures/rec/index.md:12: recording", "播客应用才能播放"),
    Row("lecture slides missing", lecture("slides", "slides: slides.pdf\n"), "lectures/slides/index.md:12: slides", "slides.pdf"),
    Row("lecture audience", lecture("aud", "audience: -5\n"), "lectures/aud/index.md:12: audience", "人数"),
    # --- the audit of content/ (content/audit.py, content/pages.py) ---
    Row("story fields on a plain page", write("pages/event.md", "---\ntitle: 活动\ndate: 2026-03-05\ndraft: true\n---\n\n正文。\n"),
        "pages/event.md:3: date", "不在 content/stories/"),
    Row("YAML error on a plain page", write("pages/broken.md", "---\ntitle: 关于: 我们\n---\n\n正文。\n"),
        "pages/broken.md:2:", "冒号"),
    Row("misspelt story folder", write("story/x.md", "---\ntitle: 放错\n---\n\n正文。\n"), "story/x.md:1: file", "content/stories/"),
    Row("markdown extension in upper case", write("stories/Upper.MD", "---\ntitle: 大写\n---\n"), "stories/Upper.MD:1: file", "Upper.md"),
    Row("stray file beside stories", write("stories/strays/notes.docx", "采访笔记"), "stories/strays/notes.docx:1: file", "原样复制"),
    # --- body HTML that would run (content/rawhtml.py) ---
    Row("script in a story body", story("script", "<script>alert(1)</script>"), "stories/script.md:8: body", "<script>"),
    Row("event handler on a plain page", write("pages/handler.md", "---\ntitle: 页面\n---\n\n<p onclick=\"x\">点</p>\n"),
        "pages/handler.md:5: body", "onclick="),
    Row("javascript link", story("jslink", "[点我](javascript:alert(1))"), "stories/jslink.md:8: link", "javascript:"),
    Row("attribute list with a handler", story("attrs", "## 标题 {: onclick=\"x\" }"), "stories/attrs.md:8: body", "onclick"),
    # --- editors' real input, round two (issue 24): dates, image names, pasted HTML, animations ---
    Row("ambiguous date order", story("mdy", date="1/2/2026"), "stories/mdy.md:4: date", "两种读法"),
    Row("Chinese date that cannot exist", story("feb30", date="2026年2月30日"), "stories/feb30.md:4: date", "2026-02-28"),
    Row("image name cut at a parenthesis", story("paren", "![合影](合影(2.jpg)"), "stories/paren.md:8: image",
        "请写成 ![合影](<合影(2.jpg>)", images=("stories/合影(2.jpg",)),
    Row("image syntax typed with a Chinese keyboard", story("fullwidth", "！【合影】（ok2.jpg）"),
        "stories/fullwidth.md:8: image", "中文标点", images=("stories/ok2.jpg",)),
    Row("pasted HTML holding a video", story("video", '<section data-id="1"><video src="v.mp4"></video></section>'),
        "stories/video.md:8: body", "<video>"),
    Row("animation past the limit", both(animation("stories/long.gif", (2000, 2000), 9), story("longgif", "![动图](long.gif)")),
        "stories/longgif.md:8: image", "动图“long.gif”太大"),
    # --- read as meant, with a notice: both publish and say the same ---
    Row("zero-width space in a tag", story("zwsp", tags="[志愿\u200b服务]"), "stories/zwsp.md:5: text", "U+200B（零宽空格）",
        group="notices", notice=True),
    Row("date typed the Chinese way", story("zhdate", date="2026年3月5日 下午2:30"), "stories/zhdate.md:4: date",
        "已按 2026-03-05 14:30 读取", group="notices", notice=True),
    Row("HTML pasted from Word", story("word", "<p class=MsoNormal>正文<o:p></o:p></p>"), "stories/word.md:8: body",
        "已清理为普通 HTML", group="notices", notice=True),
    Row("animated cover", both(animation("stories/wave.gif", (120, 80), 3),
                               story("gifcover", extra="cover: wave.gif\ncover_alt: 志愿者挥手\n")),
        "stories/gifcover.md:6: cover", "是动图", group="notices", notice=True),
    # --- vocabulary and authors: files every page depends on ---
    Row("duplicate narrative key", lambda s: s.content.joinpath("narratives.yml").write_text(
        s.content.joinpath("narratives.yml").read_text(encoding="utf-8") + "- key: volunteer\n  label: 重复\n", encoding="utf-8"),
        "narratives.yml:", "重复", group="vocabulary"),
    Row("author without a name", write("authors.yml", "wangli:\n  name: 王丽\nzhao:\n  role: 记者\n"),
        "authors.yml:3: authors", "缺少 name", group="authors"),
    # --- tricky but valid: both must accept ---
    Row("image syntax inside code", story("code", "```\n![](nowhere.jpg)\n<img src=x>\n```\n\n`![](no.jpg)` 不是图片。"),
        None, group="valid"),
    Row("Chinese anchors and reference links", both(story("target2", "## 课堂上的那个周末\n\n正文。"),
        story("refs", "[那个周末][t] [本页](#小标题)\n\n## 小标题\n\n[t]: target2.md#课堂上的那个周末\n[unused]: nowhere.md")),
        None, group="valid"),
    Row("brackets in alt with consent", story("elderok", "![老人[右]和志愿者](ok.jpg)", tags=ELDER,
        extra="consent: 肖像使用同意书 SXRC-2026-014\n"), None, group="valid", images=("stories/ok.jpg",)),
    Row("page image with alt", write("pages/photo.md", "# 照片\n\n![志愿者合影](../images/y.jpg)\n"), None, group="valid",
        images=("images/y.jpg",)),
    # --- what the settings decide: the same input, judged by each config's limits ---
    Row("12-megapixel photo", both(photo("stories/big.jpg", 4000, 3000), story("big", "![大照片](big.jpg)")),
        None, group="valid", configs=("default",)),
    Row("12-megapixel photo over max_megapixels 10", both(photo("stories/big.jpg", 4000, 3000),
                                                          story("big", "![大照片](big.jpg)")),
        "stories/big.md:8: image", "本站上限 10 百万像素", configs=("nondefault",)),
    Row("9-second recording", both(recording("lectures/talk/talk.wav", 9.5), lecture("talk", "recording:\n  file: talk.wav\n")),
        None, group="valid", configs=("default",)),
    Row("9-second recording over max_hours 0.0025", both(recording("lectures/talk/talk.wav", 9.5),
                                                         lecture("talk", "recording:\n  file: talk.wav\n")),
        "lectures/talk/index.md:12: recording", "超过了 0.0025 小时的上限", configs=("nondefault",)),
    Row("link to a fifth listing page", story("paged", "[第五页](page/5/index.md)"), "stories/paged.md:8: link",
        "page/5/index.md", configs=("default",)),
    Row("link to a fifth listing page of one card each", story("paged", "[第五页](page/5/index.md)"), None,
        group="valid", configs=("nondefault",)),
    Row("image name with spaces and parentheses", story("spaces", "![合影](微信图片 20260105 (2).jpg)"), None,
        group="valid", images=("stories/微信图片 20260105 (2).jpg",)),
]
CONFIGS = ("default", "nondefault")
CASES = [(config, row) for config in CONFIGS for row in ROWS if config in row.configs]


def _site(make_site: Callable[[], SiteMaker], rows: list[Row], config: str) -> SiteMaker:
    site = make_site() if config == "default" else nondefault(make_site())
    site.story("target", body="第一段。\n\n## 课堂上的那个周末\n\n正文。")
    for row in rows:
        for image in row.images:
            (site.content / image).parent.mkdir(parents=True, exist_ok=True)
            save_phone_photo(site.content / image, 64, 48)
        if row.name == "not an image":
            (site.content / "stories" / "fake.jpg").write_text("这不是图片", encoding="utf-8")
        row.write(site)
    return site


_RESULTS: dict[tuple[str, str], tuple[int, str, int, str]] = {}


def _run(config: str, group: str, make_site: Callable[[], SiteMaker]) -> tuple[int, str, int, str]:
    """(check exit code, its output, build exit code, its log) for the group under `config`, computed once."""
    if (config, group) not in _RESULTS:
        site = _site(make_site, [r for r in ROWS if r.group == group and config in r.configs], config)
        # The default: content/ given, its mkdocs.yml found beside it; the other: the config file given.
        where = ["--content", site.content] if config == "default" else ["-f", site.config]
        check = run("check", *where, cwd=site.root)
        build = site.build(check=False)
        _RESULTS[config, group] = (check.returncode, check.stdout + check.stderr, build.returncode,
                                   build.stdout + build.stderr)
    return _RESULTS[config, group]


def test_the_table_covers_every_kind_of_input() -> None:
    assert len(ROWS) >= 25
    kinds = {"stories/", "lectures/", "about.md", "pages/", "narratives.yml", "authors.yml"}
    assert all(any(r.where and r.where.startswith(k) for r in ROWS) for k in kinds)


def test_the_second_config_changes_every_setting_the_check_reads(tmp_path_factory: pytest.TempPathFactory) -> None:
    site = nondefault(SiteMaker(tmp_path_factory.mktemp("config")))
    changed, default = settings.load(site.config), settings.load(REPO / "mkdocs.yml")
    same = [f"{section}.{name}" for section, name in CHECK_READS
            if getattr(getattr(changed, section), name) == getattr(getattr(default, section), name)]
    assert same == []
    assert changed.content_dir == site.content


@pytest.mark.parametrize(("config", "row"), CASES, ids=[f"{c}: {r.name}" for c, r in CASES])
def test_check_and_build_agree(config: str, row: Row, tmp_path_factory: pytest.TempPathFactory) -> None:
    check_code, check_out, build_code, build_log = _run(config, row.group,
                                                        lambda: SiteMaker(tmp_path_factory.mktemp(row.group)))
    if row.where is None:
        assert check_code == 0, check_out
        assert build_code == 0, build_log
        return
    folder = "content/" if config == "default" else "source/"
    if row.notice:
        assert check_code == 0 and build_code == 0, (check_out, build_log)
        notices = [line.removeprefix("注意：" + folder) for line in check_out.splitlines() if line.startswith("注意：")]
        mine = [line for line in notices if line.startswith(row.where)]
        assert mine, f"scripts/check gave no notice at {row.where}:\n{check_out}"
        for line in mine:
            assert row.says in line and re.search(r"[\u4e00-\u9fff]", line.split(": ", 2)[-1])
            assert f"注意：{folder}{line}" in build_log, f"the build did not say, in the same words:\n{line}\n---\n{build_log}"
        return
    assert check_code == 1 and build_code != 0
    mine = [line.removeprefix(folder) for line in check_out.splitlines()
            if line.removeprefix(folder).startswith(row.where)]
    assert mine, f"scripts/check did not report {row.where}:\n{check_out}"
    for line in mine:
        assert row.says in line
        assert re.search(r"[\u4e00-\u9fff]", line.split(": ", 2)[-1])  # a Chinese message for editors
        assert folder + line in build_log, f"the build did not report, in the same words:\n{line}\n---\n{build_log}"
