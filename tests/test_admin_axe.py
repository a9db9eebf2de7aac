"""The web editor's own screens pass axe-core: no serious or critical violation, every rule set.

Decap CMS draws the screens; what fails is fixed in our admin page's style sheet (colours,
site_plugins/cms/static/rc-admin.css) and by rc-a11y.js (Chinese phrases, names, states, roles).
Each screen is reached the way an editor reaches it (links, buttons) and waited for by a landmark of
its own before axe runs, so a screen that did not open fails instead of testing the previous one;
a screenshot of each lands in test-artifacts/admin-axe/. Local editing (decap-server in fs mode, as
scripts/edit runs it) has every screen but the editorial workflow's; those (the board, an entry's
status, the notices) run against decap-server in git mode, which is what an office with
`editorial_workflow` gets from its Git host.
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import time
from collections.abc import Callable, Iterator

import pytest

from tests.conftest import REPO
from tests.test_admin_e2e import Workspace, cms, field, free_port, workspace  # noqa: F401  (fixtures)
from tests.test_validators import axe_violations

pytestmark = pytest.mark.browser

SHOTS = REPO / "test-artifacts" / "admin-axe"


class Screens:
    """Runs axe on one screen after another; keeps what each one violates."""

    def __init__(self, page) -> None:  # type: ignore[no-untyped-def]
        self.page = page
        self.found: dict[str, list[str]] = {}

    def check(self, name: str, landmark) -> None:  # type: ignore[no-untyped-def]
        """Wait for the screen's landmark (a locator), then run axe on the page."""
        landmark.wait_for(state="visible")
        self.page.wait_for_timeout(400)  # Decap's transitions (.2 s) settle
        # ... and on a loaded machine, until every finite one has ended (axe measured a card's buttons
        # mid-fade once, their colours half blended into the card's).
        self.page.evaluate("""() => Promise.all(document.getAnimations()
            .filter(a => a.effect && a.effect.getComputedTiming().endTime !== Infinity)
            .map(a => a.finished.catch(() => null)))""")
        SHOTS.mkdir(parents=True, exist_ok=True)
        self.page.screenshot(path=str(SHOTS / f"{name}.png"))
        self.found[name] = axe_violations(self.page)

    def check_preview(self, name: str) -> None:
        """The preview pane's own document (our template, rc-cms.js, in an iframe), once drawn."""
        self.page.frame_locator("#preview-pane").locator("main.rc-preview").wait_for()
        frame = next(f for f in self.page.frames if f.name == "preview-pane")
        self.found[name] = axe_violations(frame)

    def assert_clean(self, expected: int) -> None:
        assert len(self.found) == expected, sorted(self.found)
        assert not any(self.found.values()), "\n".join(f"{k}: {v}" for k, vs in self.found.items() for v in vs)


def test_login_screen_passes_axe(browser, workspace: Workspace) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    context = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto(workspace.url + "admin/")
    screens = Screens(page)
    screens.check("login", page.get_by_role("button", name="登录"))
    context.close()
    screens.assert_clean(1)


def test_editor_screens_pass_axe(cms, workspace: Workspace) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    """Every screen of local editing: lists, menus, the editor and its preview, the media library."""
    page = cms
    page.on("dialog", lambda dialog: dialog.accept())  # "leave with unsaved changes?" when a new entry is left
    screens = Screens(page)
    button = page.get_by_role
    page.goto(workspace.url + "admin/#/collections/stories")
    screens.check("stories", page.get_by_text("太原公交站旁的四分钟"))
    button("button", name="排序").click()
    screens.check("stories, sort menu", page.get_by_role("menuitem").first)
    page.keyboard.press("Escape")
    page.get_by_role("link", name="大讲堂").click()
    screens.check("lectures", page.get_by_text("心肺复苏与AED使用入门"))
    page.get_by_role("link", name="专题与作者").click()
    screens.check("settings", page.get_by_text("专题词表"))
    page.get_by_text("专题词表").click()
    screens.check("vocabulary", page.get_by_text("志愿服务（volunteer）"))
    button("button", name="展开或收起此项").first.click()
    screens.check("vocabulary, a narrative open", page.get_by_label("key（网址用）").first)
    page.goto(workspace.url + "admin/#/collections/settings")
    page.get_by_text("作者", exact=True).click()
    screens.check("authors", page.get_by_text("王丽（wangli）"))

    page.goto(workspace.url + "admin/#/collections/stories/new")
    screens.check("new story", page.get_by_label("专题", exact=True))
    screens.check_preview("new story: preview")
    button("button", name="发布", exact=True).click()
    screens.check("new story, publish menu", page.get_by_role("menuitem", name="立即发布"))
    page.keyboard.press("Escape")
    page.locator("[data-slate-editor=true]").click()  # the toolbar as it is while one writes
    button("button", name="标题", exact=True).click()
    screens.check("new story, heading menu", page.get_by_role("menuitem", name="标题 1"))
    page.keyboard.press("Escape")
    markdown = page.get_by_role("switch", name="Markdown")
    markdown.click()
    screens.check("new story, Markdown mode", page.locator('[role=switch][aria-checked="true"]'))
    markdown.click()  # back to rich text (Decap remembers the mode)
    button("button", name="选择图片").click()
    screens.check("media library", page.get_by_role("dialog", name="图片"))
    page.keyboard.press("Escape")

    page.goto(workspace.url + "admin/#/collections/stories")
    page.get_by_text("太原公交站旁的四分钟").click()
    screens.check("story", page.locator("input[value='太原公交站旁的四分钟']"))
    screens.check_preview("story: preview")
    button("button", name="选择其他图片").first.click()
    screens.check("media library with photos", page.get_by_role("dialog").get_by_text("cover.jpg"))
    page.keyboard.press("Escape")
    page.get_by_role("link", name=re.compile("正在集合")).click()  # the editor's back arrow: to the list
    page.get_by_role("link", name="大讲堂").click()
    page.get_by_text("心肺复苏与AED使用入门").click()
    screens.check("lecture", field(page, "地点"))
    button("button", name="展开或收起此项").first.click()
    screens.check("lecture, a speaker open", page.get_by_label("姓名").first)
    screens.check_preview("lecture: preview")
    page.get_by_role("link", name=re.compile("正在集合")).click()
    button("button", name="媒体", exact=True).click()
    screens.check("media", page.get_by_role("dialog", name="媒体资源"))
    screens.assert_clean(20)


# Escape, then ArrowDown before react-aria-menubutton's zero-delay timers run (as a busy machine
# or a quick hand delivers them): the two keys in one task, each after React has drawn the last.
# It resolves once those timers (closing the menu on blur, focusing its first item) and React after
# them have run, with what had focus between the keys.
ESCAPE_THEN_ARROW_DOWN = """async () => {
    const drawn = async () => { for (let i = 0; i < 3; i++) await new Promise(queueMicrotask); };
    const press = (key) => document.activeElement.dispatchEvent(
        new KeyboardEvent("keydown", {key, bubbles: true, cancelable: true}));
    press("Escape");
    await drawn();
    const between = [document.activeElement.tagName, document.activeElement.title];
    if (document.querySelector('[role="menu"]')) return ["menu still open", ...between];
    press("ArrowDown");
    await new Promise((done) => setTimeout(done, 0));
    await new Promise((done) => requestAnimationFrame(() => setTimeout(done, 0)));
    return between;
}"""


def test_added_states_follow_the_editor(cms, workspace: Workspace) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    """What rc-a11y.js adds is kept true as the editor changes: a menu button's aria-expanded and
    its keyboard use, the Markdown switch's aria-checked, a list item's aria-expanded; and no
    phrase of Decap's falls back to English."""
    page = cms
    page.on("dialog", lambda dialog: dialog.accept())
    english = page.evaluate("""() => {
        const missing = [];
        const walk = (en, zh, path) => Object.entries(en).forEach(([key, value]) => typeof value === "object"
            ? walk(value, (zh || {})[key], path + key + ".") : (!zh || !(key in zh)) && missing.push(path + key));
        walk(CMS.getLocale("en"), CMS.getLocale("zh_Hans"), "");
        return missing;
    }""")
    assert not english, f"Decap phrases without Chinese (add them to rc-a11y.js): {english}"
    page.goto(workspace.url + "admin/#/collections/stories/new")
    page.locator("[data-slate-editor=true]").click()
    body = page.get_by_role("textbox", name=re.compile("^正文"))
    assert body.count() == 1, "the rich-text body is named by its field's label"
    headings = page.get_by_role("button", name="标题", exact=True)
    assert headings.get_attribute("aria-expanded") == "false"
    headings.focus()
    page.keyboard.press("Enter")
    page.get_by_role("menuitem", name="标题 1").wait_for()
    assert headings.get_attribute("aria-expanded") == "true"
    assert page.evaluate("document.activeElement.textContent") == "标题 1"
    page.keyboard.press("ArrowDown")
    assert page.evaluate("document.activeElement.textContent") == "标题 2"
    page.keyboard.press("Escape")
    page.get_by_role("menuitem").first.wait_for(state="detached")
    assert headings.get_attribute("aria-expanded") == "false"
    assert page.evaluate("document.activeElement.title") == "标题", "focus returns to the button"
    page.keyboard.press("ArrowDown")  # the library's own key: opens the menu again
    page.get_by_role("menuitem", name="标题 2").click()
    assert headings.get_attribute("aria-expanded") == "false"
    headings.focus()
    page.keyboard.press("Enter")
    page.get_by_role("menuitem", name="标题 1").wait_for()
    page.wait_for_function("document.activeElement.textContent === '标题 1'")
    assert page.evaluate(ESCAPE_THEN_ARROW_DOWN) == ["BUTTON", "标题"], "Escape closed the menu, focus on the button"
    assert headings.get_attribute("aria-expanded") == "true", "a menu opened again at once stays open"
    assert page.evaluate("document.activeElement.textContent") == "标题 1"
    page.keyboard.press("Escape")
    page.get_by_role("menuitem").first.wait_for(state="detached")

    markdown = page.get_by_role("switch", name="Markdown")
    assert markdown.get_attribute("aria-checked") == "false"
    markdown.click()
    page.locator('[role=switch][aria-checked="true"]').wait_for()  # React's own value from now on
    page.locator('button[title="标题"][disabled]').wait_for()  # Markdown mode: no formatting
    assert page.get_by_role("textbox", name=re.compile("^正文")).count() == 1, "the Markdown text is named too"
    markdown.click()
    page.locator('button[title="标题"]:not([disabled])').wait_for()
    assert markdown.get_attribute("aria-checked") == "false"

    page.goto(workspace.url + "admin/#/collections/lectures")
    page.get_by_text("心肺复苏与AED使用入门").click()
    item = page.get_by_role("button", name="展开或收起此项").first
    assert item.get_attribute("aria-expanded") == "false"
    name = page.get_by_label("姓名").first
    assert not name.is_visible()
    item.click()
    name.wait_for()
    assert item.get_attribute("aria-expanded") == "true"
    item.click()
    name.wait_for(state="hidden")
    assert item.get_attribute("aria-expanded") == "false"


@pytest.fixture(scope="module")
def git_backend(workspace: Workspace, tmp_path_factory: pytest.TempPathFactory) -> Iterator[int]:  # noqa: F811
    """decap-server in git mode (editorial workflow) over a Git repository of the sample content; its port."""
    root = tmp_path_factory.mktemp("admin-git")
    shutil.copytree(workspace.content, root / "content")
    env = {**os.environ, "GIT_AUTHOR_NAME": "编辑", "GIT_AUTHOR_EMAIL": "editor@example.org",
           "GIT_COMMITTER_NAME": "编辑", "GIT_COMMITTER_EMAIL": "editor@example.org"}
    for command in (["init", "-q", "-b", "main"], ["add", "-A"], ["commit", "-q", "-m", "sample content"]):
        subprocess.run(["git", *command], cwd=root, env=env, check=True)
    port = free_port()
    server = subprocess.Popen(["node", str(REPO / "node_modules" / "decap-server" / "dist" / "index.js")],
                              env={**env, "BIND_HOST": "127.0.0.1", "PORT": str(port), "MODE": "git",
                                   "GIT_REPO_DIRECTORY": str(root), "LOG_LEVEL": "warn"}, cwd=root)
    for _ in range(100):  # wait until it listens (bounded)
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                break
        time.sleep(0.1)
    yield port
    server.terminate()
    server.wait(timeout=10)


def _to_port(port: int) -> Callable[..., None]:
    """Serve the built config.yml with its local_backend at `port`: what a build with that
    `local_port` would write, without a second build."""
    def handle(route) -> None:  # type: ignore[no-untyped-def]
        response = route.fetch()
        route.fulfill(response=response, body=re.sub(r"127\.0\.0\.1:\d+/api", f"127.0.0.1:{port}/api", response.text()))
    return handle


def test_workflow_screens_pass_axe(browser, workspace: Workspace, git_backend: int) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    """The editorial workflow: the board, a draft's editor and its status menu, the notices, a card."""
    context = browser.new_context(timezone_id="Asia/Shanghai", locale="zh-CN", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    foreign: list[str] = []
    errors: list[str] = []
    page.on("request", lambda r: None if r.url.startswith(("http://127.0.0.1", "data:", "blob:")) else foreign.append(r.url))
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.route("**/admin/config.yml", _to_port(git_backend))
    page.goto(workspace.url + "admin/")
    page.get_by_role("button", name="登录").click()
    screens = Screens(page)
    page.get_by_role("link", name="工作流", exact=True).click()
    screens.check("workflow", page.get_by_role("heading", name="编辑工作流"))

    page.goto(workspace.url + "admin/#/collections/stories/new")
    field(page, "标题").fill("无障碍检查：工作流中的草稿")
    page.locator("input[type=datetime-local]").first.fill("2026-11-20T10:00")
    page.get_by_label("专题", exact=True).click()
    page.get_by_text("志愿服务", exact=True).last.click()
    field(page, "网址名").fill("a11y-gongzuoliu")
    page.get_by_role("button", name="保存", exact=True).click()
    screens.check("draft saved, notice", page.locator(".Toastify__toast"))
    page.get_by_role("button", name=re.compile("^状态")).click()
    screens.check("draft, status menu", page.get_by_role("menuitem", name="就绪"))
    page.get_by_role("menuitem", name="就绪").click()
    page.get_by_role("button", name=re.compile("^状态: 就绪")).wait_for()
    page.get_by_role("link", name=re.compile("正在集合")).click()
    page.get_by_role("link", name="工作流", exact=True).click()
    card = page.get_by_text(re.compile("^无障碍检查：工作流中的草稿"))
    card.hover()  # a card shows its 删除新内容 and 发布新内容 while pointed at
    screens.check("workflow, a card ready", page.get_by_role("button", name="发布新内容"))
    context.close()
    assert not foreign, f"the editor loaded from other hosts: {foreign}"
    assert not errors, errors
    screens.assert_clean(4)
