"""Install the web editor's Node packages (`npm ci`, pinned by package-lock.json) when they are missing.

Used by scripts/build, scripts/serve, scripts/edit and the tests, so README's first command and CI
need no extra step. `npm ci` reinstalls from the lockfile only; it never changes it. Building and
serving the site needs the runtime packages only (`--omit=dev`: Decap CMS, decap-server, yaml);
the quality gates' tools (axe-core, vnu-jar, Lighthouse: devDependencies) come with `dev=True`,
which `scripts/install test` and the tests ask for.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

from site_plugins.content.dates import zh_limit

# Seconds `npm ci` may take: it downloads about 200 MB on a cold cache (a few minutes on a slow line); a
# stalled registry or proxy must not hang a build or the test suite for ever.
TIMEOUT = 1200
NO_NPM = ("需要 Node.js 和 npm 才能安装网页编辑器（/admin/）：请先安装 Node.js 18 以上版本（Debian/Ubuntu："
          "apt-get install nodejs npm），再运行 npm ci。 / Node.js and npm are needed to install the web editor.")


def is_current(repo: Path, dev: bool = False) -> bool:
    """node_modules/ was installed from the present lockfile (npm writes .package-lock.json there),
    with the development tools too when `dev`."""
    lock, installed = repo / "package-lock.json", repo / "node_modules" / ".package-lock.json"
    if not (installed.is_file() and installed.stat().st_mtime >= lock.stat().st_mtime):
        return False
    if not dev:
        return True
    manifest = json.loads((repo / "package.json").read_text(encoding="utf-8"))
    return all((repo / "node_modules" / name / "package.json").is_file() for name in manifest.get("devDependencies", {}))


def ensure_installed(repo: Path, quiet: bool = False, dev: bool = False, timeout: float = TIMEOUT) -> str | None:
    """Run `npm ci` in `repo` if needed (`--omit=dev` unless `dev`), for at most `timeout` seconds; None when
    done, else a Chinese/English message."""
    if not (repo / "package-lock.json").is_file() or is_current(repo, dev):
        return None
    npm = shutil.which("npm")
    if npm is None:
        return NO_NPM
    if not quiet:
        print("安装网页编辑器的 Node 包（npm ci，版本锁定在 package-lock.json）…", flush=True)
    # --ignore-scripts as in scripts/install: vnu-jar's postinstall would download a Java runtime.
    command = [npm, "ci", "--no-audit", "--no-fund", "--ignore-scripts", "--loglevel=error"]
    try:
        result = subprocess.run(command if dev else [*command, "--omit=dev"], cwd=repo, capture_output=quiet,
                                text=True, stdin=subprocess.DEVNULL, timeout=timeout)
    except subprocess.TimeoutExpired:  # run() has killed npm (npm ci writes its marker file last: not current)
        return (f"npm ci 在 {zh_limit(timeout)}内没有装完网页编辑器的 Node 包（{repo / 'node_modules'}），已停止。"
                "请检查网络或 npm 的镜像设置后重新运行 npm ci。")
    if result.returncode != 0:
        detail = (result.stderr or "").strip().splitlines()[-1:] if quiet else []
        return f"npm ci 失败（退出码 {result.returncode}）{'：' + detail[0] if detail else ''}。请检查网络后重新运行 npm ci。"
    return None
