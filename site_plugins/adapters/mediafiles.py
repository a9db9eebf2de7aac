"""The engine's files for the build's media (rc-meta's `on_files`), and the preview's swap of them.

Every media file (pictures, drawn cards and posters, recordings, notices) is a file of a cache,
published at its site path; a content path served as a processed file keeps its own name (links
to it pass) and is published at the processed file's address. An edit that redraws an entry's
pictures changes a few of these and none of the pages: the preview swaps those files in the
engine's list instead of listing content/, the theme and the nav again (adapters/live.py).
"""

from __future__ import annotations

import os
from collections.abc import Mapping

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, Files, set_exclusions

from site_plugins.content.reuse import keeping
from site_plugins.outputs.published import Published

Listed = Mapping[str, tuple[str, str]]  # the engine's source name -> (site path, the cached file)


def listed(media: Published) -> dict[str, tuple[str, str]]:
    """The media files as the engine lists them."""
    out = {src: (site_path, str(media.files[site_path])) for src, site_path in sorted(media.served.items())}
    served = set(media.served.values())
    out.update((site_path, (site_path, str(cached))) for site_path, cached in sorted(media.files.items())
               if site_path not in served)
    return out


_MADE: dict[tuple[str, str, str], File] = {}  # the preview's: listing its files again makes the same 12,000
_MADE_FOR: list[int] = [0]  # the config they were made for


def made(config: MkDocsConfig, src: str, site_path: str, cached: str) -> File:
    if not keeping():
        return _made(config, src, site_path, cached)
    if _MADE_FOR[0] != id(config):
        _MADE.clear()
        _MADE_FOR[0] = id(config)
    key = (src, site_path, cached)
    file = _MADE.get(key)
    if file is None:
        file = _MADE[key] = _made(config, src, site_path, cached)
    return file


def _made(config: MkDocsConfig, src: str, site_path: str, cached: str) -> File:
    return publish_at(File.generated(config, src, abs_src_path=cached), site_path) if src != site_path \
        else File.generated(config, site_path, abs_src_path=cached)


def add(config: MkDocsConfig, files: Files, media: Published) -> None:
    for src, (site_path, cached) in listed(media).items():
        files.append(made(config, src, site_path, cached))


def swap(config: MkDocsConfig, files: Files, old: Published, new: Published) -> tuple[list[str], list[File]]:
    """`files` (the engine's list of `old`'s build) made `new`'s: the site paths no longer published,
    and the files to copy (new or changed)."""
    before, after = listed(old), listed(new)
    gone: list[str] = []
    for src, was in before.items():
        if after.get(src) != was and (file := files.get_file_from_path(src)) is not None:
            files.remove(file)
            if was[0] not in {site_path for site_path, _ in after.values()}:
                gone.append(was[0])
    added = [made(config, src, *now) for src, now in after.items() if before.get(src) != now]
    set_exclusions(Files(added), config)
    for file in added:
        files.append(file)
    return gone, added


def copy(files: list[File], later: set[str]) -> list[File]:
    """Copy `files` into the site but those of pictures drawn later (cache files `later`): returned."""
    for file in files:
        if file.abs_src_path not in later:
            file.copy_file()
    return [file for file in files if file.abs_src_path in later]


def publish_at(file: File, dest_uri: str) -> File:
    """Publish a file at another address (an entry at its slug, a content path at its processed file)."""
    file.dest_uri = dest_uri
    file.url = dest_uri[: -len("index.html")] if dest_uri.endswith("/index.html") else dest_uri
    file.abs_dest_path = os.path.normpath(os.path.join(file.dest_dir, dest_uri))
    return file
