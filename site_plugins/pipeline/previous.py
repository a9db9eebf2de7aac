"""What `finish` keeps of the last build's site in scripts/build's incremental build (`Previous`).

The staging folder starts as hard links to the last site's engine files (adapters/rebuild.py), and
`finish` makes all its outputs again. An output whose bytes are the last build's file of the same
producer becomes a hard link to that file instead of a new one; a file that is the last build's
(an engine file still the same inode, or such an output) keeps that build's `.gz` as a hard link,
neither compressed nor written again. The last site was checked file for file against the state
(size, time, inode) before the build began, so its `.gz` are the bytes compressing would give.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from site_plugins.pipeline.manifest import Manifest


@dataclass(frozen=True)
class Previous:
    """The last build's site, whose engine files the staging folder started as (hard links)."""

    site_dir: Path
    producers: Mapping[str, str]  # every file there -> its producer (pipeline/manifest.py)
    inodes: Mapping[str, int]  # every file there -> its inode


def _relinked(manifest: Manifest, previous: Previous, gzip: str) -> set[str]:
    """Our outputs (but `.gz`) whose bytes are the last build's file of the same producer, made hard links to it."""
    same = set()
    for output in list(manifest):
        path = output.path
        if output.written_by_engine or output.producer == gzip or previous.producers.get(path) != output.producer:
            continue
        old = previous.site_dir / path
        try:
            data = output.read()
            if os.stat(old).st_size != len(data) or old.read_bytes() != data:
                continue
        except OSError:
            continue
        manifest.relink(path, old)
        same.add(path)
    return same


def kept_gz(manifest: Manifest, site_dir: Path, previous: Previous, gzip: str) -> dict[str, Path]:
    """Files that are the last build's (an engine file: the same inode; ours: the same bytes, made hard
    links to it), whose `.gz` that build made (producer `gzip`): path -> that `.gz`."""
    same = _relinked(manifest, previous, gzip)
    kept = {}
    for output in manifest:
        path = output.path
        inode = previous.inodes.get(path)
        if inode is None or previous.producers.get(path + ".gz") != gzip or path + ".gz" in manifest:
            continue
        if path in same:
            kept[path] = previous.site_dir / (path + ".gz")
        elif output.written_by_engine:
            with contextlib.suppress(OSError):
                if os.lstat(site_dir / path).st_ino == inode:
                    kept[path] = previous.site_dir / (path + ".gz")
    return kept
