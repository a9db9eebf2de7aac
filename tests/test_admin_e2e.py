"""The web editor end to end: Debian's Chromium drives Decap CMS at /admin/ against decap-server on 127.0.0.1.

Everything happens in a temporary copy of the repository's content, so the real content/ is never
touched: the built site is served on 127.0.0.1, decap-server writes the copy's files, then the copy is
checked (scripts/check) and built again as the next build would publish it.
"""

from __future__ import annotations

import difflib
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml

from site_plugins import urls
from tests.conftest import REPO, run_build, serve

pytestmark = pytest.mark.browser

SCREENSHOTS = REPO / "test-artifacts" / "admin"
GUIDE_IMAGES = REPO / "docs" / "images"
COVER = REPO / "content" / "stories" / "taiyuan-gongjiaozhan-jijiu" / "cover.jpg"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Workspace:
    root: Path  # the temporary "checkout": content/ and mkdocs.yml
    url: str  # the built site, served
    site: Path

    @property
    def content(self) -> Path:
        return self.root / "content"

    def rebuild(self) -> Path:
        site = self.root / "site2"
        run_build(self.root / "mkdocs.yml", site)
        return site


@pytest.fixture(scope="module")
def workspace(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Workspace]:
    root = tmp_path_factory.mktemp("admin-e2e")
    shutil.copytree(REPO / "content", root / "content")
    port = free_port()
    config = (REPO / "mkdocs.yml").read_text(encoding="utf-8")
    config = config.replace("custom_dir: assets/overrides", f"custom_dir: {REPO / 'assets' / 'overrides'}")
    config = config.replace("      editorial_workflow: true\n", f"      editorial_workflow: true\n      local_port: {port}\n", 1)
    assert f"local_port: {port}" in config
    (root / "mkdocs.yml").write_text(config, encoding="utf-8")
    shutil.copytree(REPO / "assets", root / "assets")  # extra_css and the logo
    site = root / "site"
    run_build(root / "mkdocs.yml", site)
    env = {**os.environ, "BIND_HOST": "127.0.0.1", "PORT": str(port), "MODE": "fs",
           "GIT_REPO_DIRECTORY": str(root), "LOG_LEVEL": "warn"}
    server = subprocess.Popen(["node", str(REPO / "node_modules" / "decap-server" / "dist" / "index.js")],
                              env=env, cwd=root)
    for _ in range(100):  # wait until it listens (bounded)
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                break
        time.sleep(0.1)
    url, stop = serve(site)
    try:
        yield Workspace(root, url, site)
    finally:
        stop()
        server.terminate()
        server.wait(timeout=10)


@pytest.fixture
def cms(browser, workspace: Workspace):  # type: ignore[no-untyped-def]
    """A logged-in editor page; fails on any request to another host or any page error."""
    context = browser.new_context(timezone_id="Asia/Shanghai", locale="zh-CN", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    foreign: list[str] = []
    errors: list[str] = []
    page.on("request", lambda r: None if r.url.startswith(("http://127.0.0.1", "data:", "blob:")) else foreign.append(r.url))
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.errors = errors  # type: ignore[attr-defined]
    page.goto(workspace.url + "admin/")
    page.get_by_role("button", name="登录").click()
    page.get_by_text("＋ 故事").wait_for()
    yield page
    context.close()
    assert not foreign, f"the editor loaded from other hosts: {foreign}"
    assert not errors, errors


def shot(page, name: str, guide: bool = False) -> None:  # type: ignore[no-untyped-def]
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"))
    if guide and os.environ.get("RC_GUIDE_SCREENSHOTS"):  # scripts/guide_screenshots refreshes docs/images/
        page.screenshot(path=str(GUIDE_IMAGES / f"admin-{name}.png"))


def field(page, label: str):  # type: ignore[no-untyped-def]
    """A form field by its Chinese label; optional fields' labels end in "(可选)"."""
    return page.get_by_label(re.compile(f"^{re.escape(label)}( \\(可选\\))?$"))


def fill_story(page, workspace: Workspace, slug: str, *, alt: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(workspace.url + "admin/#/collections/stories/new")
    field(page, "标题").fill("端到端测试：社区里的救护课")
    page.locator("input[type=datetime-local]").first.fill("2026-11-20T10:00")
    for label in ("志愿服务", "应急救护"):
        page.get_by_label("专题", exact=True).click()
        page.get_by_text(label, exact=True).last.click()
    field(page, "城市").fill("太原")
    field(page, "网址名").fill(slug)
    page.get_by_role("button", name="选择图片").click()
    page.locator("input[type=file]").set_input_files(str(COVER))
    page.get_by_text("cover.jpg", exact=True).wait_for()  # uploaded and already selected
    page.get_by_role("button", name="选用已选中项目").click()
    if alt:
        field(page, "封面图说明（替代文本）").fill(alt)
    body = page.locator("[data-slate-editor=true]").last
    body.click()
    body.type("周六上午，二十位居民在社区活动室学会了胸外按压。")


def publish(page) -> None:  # type: ignore[no-untyped-def]
    page.get_by_role("button", name="发布", exact=True).click()
    page.get_by_text("立即发布", exact=True).click()


def wait_for(path: Path, before: str | None = None) -> str:
    """The file's text once decap-server has written it completely (it differs from `before` and is stable)."""
    last = None
    for _ in range(300):  # bounded: 30 s
        text = path.read_text(encoding="utf-8") if path.is_file() else None
        if text is not None and text != before and text == last:
            return text
        last = text
        time.sleep(0.1)
    raise AssertionError(f"{path} was not written")


def test_new_story_with_cover_and_two_narratives_is_published(cms, workspace: Workspace) -> None:  # type: ignore[no-untyped-def]
    fill_story(cms, workspace, "e2e-shequ-jiuhu", alt="居民跪在垫子上为模拟人做胸外按压")
    field(cms, "标题").evaluate("e => e.scrollIntoView({block: 'start'})")
    shot(cms, "new-story", guide=True)
    publish(cms)
    file = workspace.content / "stories" / "e2e-shequ-jiuhu" / "index.md"
    text = wait_for(file)
    assert (file.parent / "cover.jpg").read_bytes() == COVER.read_bytes(), "the cover is stored beside the entry"
    front = yaml.safe_load(text.split("---")[1])
    assert uuid.UUID(front["id"]).version == 4
    assert front["tags"] == ["志愿服务", "应急救护"]
    assert front["cover"] == "cover.jpg" and front["cover_alt"]
    assert str(front["date"]) == "2026-11-20 10:00"
    # scripts/new's order: the schema's.
    keys = [line.split(":")[0] for line in text.split("---")[1].strip().splitlines()]
    assert keys == ["id", "title", "date", "tags", "cover", "cover_alt", "city", "slug"], text
    assert "tags: [志愿服务, 应急救护]" in text

    check = subprocess.run([sys.executable, str(REPO / "scripts" / "check"), str(workspace.content)],
                           capture_output=True, text=True, cwd=workspace.root)
    assert check.returncode == 0, check.stdout + check.stderr

    site = workspace.rebuild()
    assert (site / "stories" / "e2e-shequ-jiuhu" / "index.html").is_file()
    for key in ("volunteer", "first-aid"):
        assert "/stories/e2e-shequ-jiuhu/" in (site / "narratives" / key / "index.html").read_text(encoding="utf-8")
        assert f"urn:uuid:{front['id']}" in (site / "narratives" / key / "atom.xml").read_text(encoding="utf-8")
    assert f"urn:uuid:{front['id']}" in (site / "atom.xml").read_text(encoding="utf-8")
    assert "端到端测试：社区里的救护课" in (site / "feed.xml").read_text(encoding="utf-8")


def test_missing_cover_alt_is_refused_in_the_editor(cms, workspace: Workspace) -> None:  # type: ignore[no-untyped-def]
    fill_story(cms, workspace, "e2e-mei-you-shuoming", alt="")
    publish(cms)
    message = cms.get_by_text(re.compile("写了封面图，就必须写封面图说明"))
    message.wait_for()
    message.evaluate("e => e.scrollIntoView({block: 'center'})")
    shot(cms, "missing-alt", guide=True)
    time.sleep(0.5)
    assert not (workspace.content / "stories" / "e2e-mei-you-shuoming").exists()
    # Decap rejects the refused save's promise without a reason (an "undefined" page error); nothing else.
    assert set(cms.errors) <= {"undefined"}, cms.errors
    cms.errors.clear()


def test_misspelt_narrative_cannot_be_entered(cms, workspace: Workspace) -> None:  # type: ignore[no-untyped-def]
    cms.goto(workspace.url + "admin/#/collections/stories/new")
    cms.get_by_label("专题", exact=True).fill("志愿服物")
    cms.get_by_text(re.compile("无选项|没有选项|No options")).wait_for()
    cms.keyboard.press("Enter")
    assert cms.locator("text=志愿服物").count() <= 1  # only the typed text, no chosen value
    cms.keyboard.press("Escape")


def test_edit_existing_lecture_venue(cms, workspace: Workspace) -> None:  # type: ignore[no-untyped-def]
    file = workspace.content / "lectures" / "xinfei-fusu-aed-rumen" / "index.md"
    note = "# 地点以报名通知为准。"  # a comment an editor wrote by hand survives the editor
    file.write_text(file.read_text(encoding="utf-8").replace("\nvenue:", f"\n{note}\nvenue:", 1), encoding="utf-8")
    before = file.read_text(encoding="utf-8")
    assert note in before
    cms.goto(workspace.url + "admin/#/collections/lectures")
    cms.get_by_text(re.compile("^心肺复苏与AED使用入门")).click()
    venue = field(cms, "地点")
    # the preview links the lecture's page on scripts/serve: the default slug and the address are the build's
    real = cms.frame_locator("#preview-pane").get_by_text("在 scripts/serve 中打开真实页面")
    assert real.get_attribute("href") == urls.PREVIEW + urls.entry("lecture", "xinfei-fusu-aed-rumen")
    venue.fill("太原市小店区坞城街道社区服务中心二楼报告厅")
    venue.evaluate("e => e.scrollIntoView({block: 'center'})")
    shot(cms, "edit-lecture", guide=True)
    publish(cms)
    after = wait_for(file, before)
    front = yaml.safe_load(after.split("---")[1])
    old = yaml.safe_load(before.split("---")[1])
    assert front["venue"] == "太原市小店区坞城街道社区服务中心二楼报告厅"
    assert {k: v for k, v in front.items() if k != "venue"} == {k: v for k, v in old.items() if k != "venue"}
    assert after.split("---", 2)[2] == before.split("---", 2)[2], "the body is kept byte for byte"
    assert f"{note}\nvenue: 太原市小店区坞城街道社区服务中心二楼报告厅\n" in after
    (SCREENSHOTS / "lecture-venue.diff").write_text("".join(difflib.unified_diff(
        before.splitlines(True), after.splitlines(True), "before", "after")), encoding="utf-8")


def test_open_and_save_keeps_every_sample_file(cms, workspace: Workspace) -> None:  # type: ignore[no-untyped-def]
    """Each sample file through the formats the editor saves with: same meaning; the textual diffs are reported."""
    files = sorted([*REPO.glob("content/stories/**/*.md"), *REPO.glob("content/lectures/**/*.md")])
    sources = {f.relative_to(REPO).as_posix(): f.read_text(encoding="utf-8") for f in files}
    sources["content/narratives.yml"] = (REPO / "content" / "narratives.yml").read_text(encoding="utf-8")
    sources["content/authors.yml"] = (REPO / "content" / "authors.yml").read_text(encoding="utf-8")
    saved = cms.evaluate("""([sources, config]) => {
        const formats = window.CMS.getCustomFormats();
        const out = {};
        for (const [path, text] of Object.entries(sources)) {
            const name = path.endsWith('narratives.yml') ? 'rc-narratives'
                : path.endsWith('authors.yml') ? 'rc-authors' : 'rc-frontmatter';
            const fmt = formats[name].formatter;
            const order = path.includes('/lectures/') ? config.lectures : config.stories;
            out[path] = fmt.toFile(fmt.fromFile(text), order);
        }
        return out;
    }""", [sources, _field_orders(workspace)])
    report = []
    for path, text in sources.items():
        new = saved[path]
        if path.endswith(".md"):
            assert new.split("\n---", 1)[1].split("\n", 1)[1] == text.split("\n---", 1)[1].split("\n", 1)[1], path
            assert yaml.safe_load(new.split("---")[1]) == yaml.safe_load(text.split("---")[1]), path
        else:
            assert yaml.safe_load(new) == yaml.safe_load(text), path
        if new != text:
            report.append("".join(difflib.unified_diff(text.splitlines(True), new.splitlines(True), path, path)))
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    (SCREENSHOTS / "roundtrip.diff").write_text("\n".join(report), encoding="utf-8")
    # Reordering keys to the schema's order is the only change the editor makes to the samples.
    for diff in report:
        plus = sorted(line[1:] for line in diff.splitlines() if line.startswith("+") and not line.startswith("+++"))
        minus = sorted(line[1:] for line in diff.splitlines() if line.startswith("-") and not line.startswith("---"))
        assert plus == minus, f"more than key order changed:\n{diff}"


def _field_orders(workspace: Workspace) -> dict[str, list[str]]:
    config = yaml.safe_load((workspace.site / "admin" / "config.yml").read_text(encoding="utf-8"))
    return {c["name"]: [f["name"] for f in c["fields"]] for c in config["collections"] if "folder" in c}


PHONE_NAME = "微信图片 20260105 (2).jpg"  # as WeChat on a PC names a saved photo


def test_photo_uploaded_into_the_body_publishes(cms, workspace: Workspace, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """A photo named the way WeChat names it, uploaded into the body through the editor's image component:
    what Decap writes into the Markdown must pass scripts/check and publish as a picture."""
    photo = tmp_path / PHONE_NAME
    shutil.copy(COVER, photo)
    slug = "e2e-weixin-tupian"
    cms.goto(workspace.url + "admin/#/collections/stories/new")
    field(cms, "标题").fill("端到端测试：微信里存下的照片")
    cms.locator("input[type=datetime-local]").first.fill("2026-11-21T09:00")
    cms.get_by_label("专题", exact=True).click()
    cms.get_by_text("志愿服务", exact=True).last.click()
    field(cms, "网址名").fill(slug)
    body = cms.locator("[data-slate-editor=true]").last
    body.click()
    body.type("志愿者在社区活动室。")
    cms.get_by_role("button", name="添加组件").click()
    cms.get_by_role("menuitem", name="Image").click()
    cms.get_by_role("button", name="选择图片").last.click()
    cms.locator("input[type=file]").set_input_files(str(photo))
    cms.get_by_role("button", name="选用已选中项目").click()
    cms.get_by_label("Alt Text").fill("志愿者在社区活动室为老人量血压")
    publish(cms)
    file = workspace.content / "stories" / slug / "index.md"
    text = wait_for(file)
    line = next(x for x in text.splitlines() if x.startswith("!["))
    stored = sorted(p.name for p in file.parent.iterdir() if p.name != "index.md")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    (SCREENSHOTS / "upload-body-image.txt").write_text(f"{line}\n{stored}\n", encoding="utf-8")
    assert len(stored) == 1 and (file.parent / stored[0]).read_bytes() == COVER.read_bytes(), stored
    assert line == f"![志愿者在社区活动室为老人量血压]({stored[0]})", line  # Decap's own file name, as stored

    check = subprocess.run([sys.executable, str(REPO / "scripts" / "check"), str(workspace.content)],
                           capture_output=True, text=True, cwd=workspace.root)
    assert check.returncode == 0, check.stdout + check.stderr
    site = workspace.rebuild()
    page = (site / "stories" / slug / "index.html").read_text(encoding="utf-8")
    assert page.count("<picture>") == 1 and 'alt="志愿者在社区活动室为老人量血压"' in page
