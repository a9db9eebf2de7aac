"""What /admin/ holds in a built site: the page, config.yml, the vendored Decap CMS bundle and our extensions.

The bundle comes from node_modules/ (installed by `npm ci` from package-lock.json, pinned), never
from a CDN. Files are copied byte for byte (by the build's writer), so the same lockfile gives the same site.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
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


def files(bundle: Bundle, config_yml: str, *, site_name: str, settings: dict[str, object]) -> dict[str, bytes | Path]:
    """Site path -> bytes, or the installed file copied byte for byte, of everything /admin/ holds."""
    out: dict[str, bytes | Path] = {}
    for file in bundle.files():
        out[f"{ADMIN_DIR}/{file.name}"] = file
    for file in [*sorted(bundle.yaml.glob("*.js")), bundle.yaml / "package.json"]:
        out[f"{ADMIN_DIR}/vendor/yaml/{file.name}"] = file
    for name in ("rc-cms.js", "rc-a11y.js", "rc-content.js", "rc-admin.css"):
        out[f"{ADMIN_DIR}/{name}"] = HERE / name
    out[f"{ADMIN_DIR}/config.yml"] = config_yml.encode("utf-8")
    out[f"{ADMIN_DIR}/index.html"] = page(site_name, f"decap-cms.js?v={bundle.version}", settings).encode("utf-8")
    return out


def served_bytes(files: dict[str, bytes | Path]) -> int:
    """Bytes an editor's browser downloads at most (every file of /admin/)."""
    return sum(len(f) if isinstance(f, bytes) else f.stat().st_size for f in files.values())
