"""Lay out /admin/ in a built site: the page, config.yml, the vendored Decap CMS bundle and our extensions.

The bundle comes from node_modules/ (installed by `npm ci` from package-lock.json, pinned), never
from a CDN. Files are copied byte for byte, so the same lockfile gives the same site.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from html import escape
from pathlib import Path

from site_plugins import urls

HERE = Path(__file__).resolve().parent / "static"
DECAP_DIST = Path("node_modules/decap-cms/dist")
YAML_DIST = Path("node_modules/yaml/browser/dist")
ADMIN_DIR = urls.ADMIN.rstrip("/")
MISSING = ("网页编辑器（/admin/）的文件没有安装：请在仓库根目录运行 npm ci（需要 Node.js 18 以上），再重新构建。"
           " / The web editor's bundle is not installed: run `npm ci` at the repository root, then build again.")


class BundleMissing(Exception):
    """node_modules/ lacks the CMS bundle (npm ci was not run)."""


@dataclass(frozen=True)
class Bundle:
    """The installed CMS files: the main script, its lazily loaded chunks and wasm, the YAML reader."""

    decap: Path
    yaml: Path

    @property
    def version(self) -> str:
        return str(json.loads((self.decap.parent / "package.json").read_text(encoding="utf-8"))["version"])

    def files(self) -> list[Path]:
        names = ["decap-cms.js", "decap-cms.js.LICENSE.txt"]
        chunks = [p.name for p in self.decap.iterdir() if p.name.endswith((".decap-cms.js", ".wasm"))]
        return [self.decap / n for n in sorted({*names, *chunks}) if (self.decap / n).is_file()]


def find_bundle(roots: Iterable[Path]) -> Bundle:
    """The bundle in the first root that has node_modules/ with it; BundleMissing otherwise."""
    for root in roots:
        decap, yaml = root / DECAP_DIST, root / YAML_DIST
        if (decap / "decap-cms.js").is_file() and (yaml / "index.js").is_file():
            return Bundle(decap, yaml)
    raise BundleMissing(MISSING)


def page(site_name: str, bundle_name: str, settings: dict[str, object]) -> str:
    """/admin/index.html: noindex, Chinese, loads only files beside it."""
    data = json.dumps(settings, ensure_ascii=False, sort_keys=True).replace("<", "\\u003c")
    template = (HERE / "index.html").read_text(encoding="utf-8")
    return template.format(site_name=escape(site_name), bundle=escape(bundle_name), settings=data)


def write_admin(site_dir: Path, bundle: Bundle, config_yml: str, *, site_name: str,
                settings: dict[str, object]) -> list[Path]:
    """Write site_dir/admin/; return the files written (relative to site_dir)."""
    out = site_dir / ADMIN_DIR
    if out.exists():
        shutil.rmtree(out)
    (out / "vendor" / "yaml").mkdir(parents=True)
    written: list[Path] = []

    def put(rel: str, data: bytes) -> None:
        (out / rel).write_bytes(data)
        written.append(Path(ADMIN_DIR) / rel)

    def copy(rel: str, source: Path) -> None:  # 9 MB of bundle: the kernel copies it (sendfile), not Python
        shutil.copyfile(source, out / rel)
        written.append(Path(ADMIN_DIR) / rel)

    for file in bundle.files():
        copy(file.name, file)
    for file in [*sorted(bundle.yaml.glob("*.js")), bundle.yaml / "package.json"]:
        copy(f"vendor/yaml/{file.name}", file)
    copy("rc-cms.js", HERE / "rc-cms.js")
    copy("rc-a11y.js", HERE / "rc-a11y.js")
    copy("rc-content.js", HERE / "rc-content.js")
    copy("rc-admin.css", HERE / "rc-admin.css")
    put("config.yml", config_yml.encode("utf-8"))
    put("index.html", page(site_name, f"decap-cms.js?v={bundle.version}", settings).encode("utf-8"))
    return written


def served_bytes(files: Sequence[Path], site_dir: Path) -> int:
    """Bytes an editor's browser downloads at most (every file of /admin/)."""
    return sum((site_dir / f).stat().st_size for f in files)
