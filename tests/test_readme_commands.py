"""CI runs the README's two commands as written (scripts/readme_commands.py): reading and running them."""

from __future__ import annotations

import socket
import sys
from pathlib import Path

import pytest

from .conftest import REPO

sys.path.insert(0, str(REPO / "scripts"))
import readme_commands

pytestmark = pytest.mark.build


def test_the_readme_has_two_commands_and_ci_runs_them() -> None:
    first, second = readme_commands.commands((REPO / "README.md").read_text(encoding="utf-8"))
    assert first.startswith("scripts/install") and first.endswith("scripts/serve")
    assert second == "scripts/test"
    ci = (REPO / ".ci" / "run").read_text(encoding="utf-8")
    # The virtualenv the README tells a newcomer to make, then the README's commands themselves.
    assert "python3 -m venv .venv" in ci and ". .venv/bin/activate" in ci
    assert "python3 -m venv .venv && . .venv/bin/activate" in (REPO / "README.md").read_text(encoding="utf-8")
    assert ci.rstrip().endswith("python3 scripts/readme_commands.py run")


def test_commands_are_read_from_the_section_only() -> None:
    readme = "# x\n```sh\nnot this\n```\n## The two commands\ntext\n```sh\n# 1. one\na && b\n\n# 2. two\nc\n```\n```sh\nd\n```\n"
    assert readme_commands.commands(readme) == ["a && b", "c"]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_a_serving_command_passes_once_it_answers_and_is_stopped(tmp_path: Path) -> None:
    port = _free_port()
    marker = tmp_path / "stopped"
    # A stand-in for `scripts/install && scripts/build && scripts/serve`: serves, and notes SIGTERM.
    # The server takes a second to close after SIGTERM, as MkDocs' does under load: the shell is
    # gone before the port is free, and the port must be free before command 2 starts.
    server = ("import http.server, signal, sys, time; "
              "signal.signal(signal.SIGTERM, lambda *_: (time.sleep(1), sys.exit(0))); "
              f"http.server.test(http.server.SimpleHTTPRequestHandler, port={port}, bind='127.0.0.1')")
    command = f"trap 'touch {marker}; exit 0' TERM; {sys.executable} -c \"{server}\" & wait"
    assert readme_commands.run_until_served(command, f"http://127.0.0.1:{port}/", limit=60) == 0
    assert marker.exists(), "the preview was left running"
    with socket.socket() as s:
        assert s.connect_ex(("127.0.0.1", port)) != 0, "the port is still served"


def test_a_command_that_fails_before_serving_fails(tmp_path: Path) -> None:
    port = _free_port()
    assert readme_commands.run_until_served("echo broken >&2; exit 3", f"http://127.0.0.1:{port}/", limit=30) == 3
    assert readme_commands.run_until_served("sleep 30", f"http://127.0.0.1:{port}/", limit=2) == 1
