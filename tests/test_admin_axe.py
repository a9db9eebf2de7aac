"""The web editor's own screens pass axe-core: no serious or critical violation, every rule set.

Decap CMS draws the screens; what fails is fixed in our admin page's style sheet
(site_plugins/editors/admin/rc-admin.css). Runs against decap-server on 127.0.0.1 with the same
workspace as tests/test_admin_e2e.py.
"""

from __future__ import annotations

import pytest

from tests.test_admin_e2e import Workspace, cms, workspace  # noqa: F401  (fixtures)
from tests.test_validators import axe_violations

pytestmark = pytest.mark.browser


def _screen_violations(page) -> list[str]:  # type: ignore[no-untyped-def]
    page.wait_for_timeout(300)  # Decap's transitions settle
    return axe_violations(page)


def test_login_screen_passes_axe(browser, workspace: Workspace) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    context = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto(workspace.url + "admin/")
    page.get_by_role("button", name="登录").wait_for()
    found = _screen_violations(page)
    context.close()
    assert not found, found


def test_editor_screens_pass_axe(cms, workspace: Workspace) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    screens = {"collection": "admin/#/collections/stories", "lectures": "admin/#/collections/lectures",
               "new story": "admin/#/collections/stories/new", "workflow": "admin/#/workflow",
               "media": "admin/#/media"}
    found: dict[str, list[str]] = {}
    for name, path in screens.items():
        cms.goto(workspace.url + path)
        cms.wait_for_load_state("networkidle")
        if name == "new story":
            cms.get_by_label("专题", exact=True).wait_for()
        found[name] = _screen_violations(cms)
    assert not any(found.values()), "\n".join(f"{k}: {v}" for k, v in found.items())
