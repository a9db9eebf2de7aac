#!/usr/bin/env python3
"""The README's two commands, read from the README and run as a newcomer runs them.

    python3 scripts/readme_commands.py list   print the two commands
    python3 scripts/readme_commands.py run    run them: 1 until its preview answers, then 2

`.ci/run` calls `run` inside a fresh virtualenv, so CI does exactly what the README tells a
newcomer, and a change to the README's commands is a change to CI. Command 1 ends in
`scripts/serve`, which runs until stopped: it counts as passed once the preview answers on
127.0.0.1:8000, and is then stopped with SIGTERM (scripts/serve cleans up on it). Command 2's exit
status is this script's.
"""

from __future__ import annotations

import contextlib
import os
import re
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SECTION = "## The two commands"
PREVIEW = "http://127.0.0.1:8000/"
FIRST_COMMAND_SECONDS = 1800  # a fresh machine installs Debian packages, PyPI and npm packages first


def commands(readme: str) -> list[str]:
    """The command lines of the first ```sh block under SECTION: comments and blank lines left out."""
    start = readme.index(SECTION)
    block = re.search(r"```sh\n(.*?)```", readme[start:], re.S)
    if block is None:
        raise ValueError(f"README.md: no ```sh block under “{SECTION}”")
    lines = [line.strip() for line in block.group(1).splitlines()]
    return [line for line in lines if line and not line.startswith("#")]


def _answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return bool(response.status == 200)
    except (urllib.error.URLError, OSError):
        return False


def run_until_served(command: str, url: str = PREVIEW, limit: float = FIRST_COMMAND_SECONDS) -> int:
    """Run `command` until `url` answers (0), it exits first (its status, or 1), or `limit` runs out (1)."""
    if _answers(url):
        print(f"{url} already answers before the command started: something else holds the port", file=sys.stderr)
        return 1
    process = subprocess.Popen(["bash", "-c", command], cwd=REPO, start_new_session=True)
    deadline = time.monotonic() + limit
    try:
        while time.monotonic() < deadline:
            if process.poll() is not None:
                print(f"command 1 ended before the preview answered (exit {process.returncode})", file=sys.stderr)
                return process.returncode or 1
            if _answers(url):
                print(f"command 1: the preview answers on {url}", flush=True)
                return 0
            time.sleep(1)
        print(f"command 1: no answer on {url} after {limit:.0f} s", file=sys.stderr)
        return 1
    finally:
        _stop_group(process)


def _group_alive(pgid: int) -> bool:
    try:
        os.killpg(pgid, 0)
    except ProcessLookupError:
        return False
    return True


def _stop_group(process: subprocess.Popen[bytes], grace: float = 60) -> None:
    """SIGTERM the command's whole process group and wait until every member has gone, not just the
    shell: a server child still closing its socket would hold the port for command 2's tests."""
    if process.poll() is None or _group_alive(process.pid):
        try:
            os.killpg(process.pid, signal.SIGTERM)
        except ProcessLookupError:
            return
    deadline = time.monotonic() + grace
    while time.monotonic() < deadline:
        process.poll()  # reaps the leader, so the group can empty
        if not _group_alive(process.pid):
            return
        time.sleep(0.1)
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)
    process.wait()


def main(argv: list[str]) -> int:
    found = commands((REPO / "README.md").read_text(encoding="utf-8"))
    if len(found) != 2:
        print(f"README.md: expected two commands under “{SECTION}”, found {len(found)}: {found}", file=sys.stderr)
        return 1
    if argv[1:] == ["list"]:
        print("\n".join(found))
        return 0
    if argv[1:] != ["run"]:
        print(__doc__, file=sys.stderr)
        return 2
    first, second = found
    print(f"== README command 1: {first}", flush=True)
    serves = first.split()[-1] == "scripts/serve"
    status = run_until_served(first) if serves else subprocess.call(["bash", "-c", first], cwd=REPO)
    if status != 0:
        return status
    print(f"== README command 2: {second}", flush=True)
    return subprocess.call(["bash", "-c", second], cwd=REPO)


if __name__ == "__main__":
    sys.exit(main(sys.argv))
