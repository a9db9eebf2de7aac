"""`scripts/edit`: decap-server and the live preview on 127.0.0.1, for a copy of the content; Ctrl-C stops both."""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from tests.conftest import REPO, checkout_pythonpath
from tests.test_admin_e2e import free_port

pytestmark = pytest.mark.build


def listening(port: int) -> bool:
    with socket.socket() as s:
        return s.connect_ex(("127.0.0.1", port)) == 0


def test_edit_serves_the_editor_and_its_backend_and_ctrl_c_stops_both(tmp_path: Path, sample_site: Path) -> None:
    shutil.copytree(REPO / "content", tmp_path / "content")
    shutil.copytree(REPO / "assets", tmp_path / "assets")
    # The processed media of the session's sample build (sample_site), so the preview does not
    # draw every social image again: this test is about the servers, not the media.
    shutil.copytree(REPO / ".cache", tmp_path / ".cache", dirs_exist_ok=True)
    cms_port, port = free_port(), free_port()
    config = (REPO / "mkdocs.yml").read_text(encoding="utf-8")
    config = config.replace("custom_dir: assets/overrides", f"custom_dir: {REPO / 'assets' / 'overrides'}")
    config = config.replace("      editorial_workflow: true\n", f"      editorial_workflow: true\n      local_port: {cms_port}\n", 1)
    (tmp_path / "mkdocs.yml").write_text(config, encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": checkout_pythonpath(REPO), "NO_MKDOCS_2_WARNING": "1"}
    edit = subprocess.Popen([sys.executable, str(REPO / "scripts" / "edit"), "--port", str(port),
                             "-f", str(tmp_path / "mkdocs.yml")], env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True)
    try:
        page = b""
        for _ in range(600):  # the first build of the preview; bounded (120 s)
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/admin/", timeout=5) as response:
                    page = response.read()
                break
            except OSError:
                time.sleep(0.2)
        assert b"noindex" in page
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/admin/config.yml", timeout=5) as response:
            assert f"http://127.0.0.1:{cms_port}/api/v1".encode() in response.read()
        request = urllib.request.Request(f"http://127.0.0.1:{cms_port}/api/v1", data=b'{"action": "info"}',
                                         headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(request, timeout=5) as response:
            info = json.loads(response.read())
        assert info["type"] == "local_fs" and info["repo"] == tmp_path.name  # writes the copy, not the repo
    finally:
        edit.send_signal(signal.SIGINT)
        output = edit.communicate(timeout=60)[0]
    assert edit.returncode == 0, output
    assert "已停止" in output
    assert not listening(port) and not listening(cms_port)
