#!/usr/bin/env python3
"""Measure precompression and scripts/publish on a built site, side by side in one run.

    scripts/bench_publish.py SITE_DIR [--latency-ms 0]

1. `.gz` copies: one thread against all cores, and what gzip saves on the
   site's text files (HTML, CSS, JS, JSON, XML, calendar).
2. Publishing to moto's S3 server on 127.0.0.1: a first upload, a re-run with
   nothing changed, and a run after one page changed, with 1 and with 8
   connections. `--latency-ms` adds a delay to every request (a mainland
   endpoint seen from a CI runner is 100-300 ms away), which is where the
   connections pay. Prints a Markdown table; asserts nothing.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from site_plugins.deploy import objectstore as publish  # noqa: E402
from site_plugins.deploy.hosting import compressible  # noqa: E402
from site_plugins.deploy.precompress import gzip_bytes  # noqa: E402
from site_plugins.pipeline.finish import compress_site  # noqa: E402


def _strip_gz(site: Path) -> None:
    for gz in site.rglob("*.gz"):
        if gz.name != "sitemap.xml.gz":
            gz.unlink()


def bench_gzip(site: Path) -> list[str]:
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        copy = Path(tmp) / "site"
        shutil.copytree(site, copy)
        for workers in (1, os.cpu_count() or 1):
            _strip_gz(copy)
            start = time.perf_counter()
            written, seen = compress_site(copy, workers=workers)
            rows.append(f"| gzip, {workers} thread(s) | {time.perf_counter() - start:.2f} s | {written} of {seen} files |")
        text = [p for p in copy.rglob("*") if p.is_file() and compressible("/" + p.name) and p.suffix != ".gz"]
        plain = sum(p.stat().st_size for p in text)
        packed = sum(min(p.stat().st_size, len(gzip_bytes(p.read_bytes()))) for p in text)
        rows.append(f"| text files, plain / gzip | {plain / 1e6:.2f} MB / {packed / 1e6:.2f} MB | {packed / plain:.0%} |")
    return rows


def bench_publish(site: Path, latency: float) -> list[str]:
    import logging

    from moto.server import ThreadedMotoServer

    logging.getLogger("werkzeug").setLevel(logging.ERROR)  # one line per request otherwise

    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    rows = []
    try:
        for workers in (1, 8):
            bucket = f"bench-{workers}"
            where = publish.Target(bucket, f"http://{host}:{port}", "us-east-1", "", "path")
            client = publish.make_client(where, {"aws_access_key_id": "x", "aws_secret_access_key": "y"})
            client.create_bucket(Bucket=bucket)
            if latency:
                client.meta.events.register("before-send.s3.*", lambda **_: time.sleep(latency))
            with tempfile.TemporaryDirectory() as tmp:
                copy = Path(tmp) / "site"
                shutil.copytree(site, copy)
                for label, change in (("first upload", None), ("nothing changed", None), ("one page changed", "about")):
                    if change:
                        page = copy / change / "index.html"
                        page.write_bytes(page.read_bytes() + b"\n")
                        (copy / change / "index.html.gz").write_bytes(gzip_bytes(page.read_bytes()))
                    start = time.perf_counter()
                    local = publish.local_objects(copy, "")
                    todo = publish.plan(local, *publish.remote_state(client, where), "")
                    publish.publish(client, where, local, todo, say=lambda _line: None, workers=workers)
                    took = time.perf_counter() - start
                    rows.append(f"| publish, {workers} connection(s): {label} | {took:.2f} s | "
                                f"{len(todo.uploads)} uploaded, {todo.unchanged} unchanged |")
    finally:
        server.stop()
    return rows


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("site", type=Path, help="a built site (scripts/build or mkdocs build)")
    parser.add_argument("--latency-ms", type=float, default=0.0, help="delay added to every storage request")
    args = parser.parse_args()
    files = [p for p in args.site.rglob("*") if p.is_file()]
    print(f"site: {len(files)} files, {sum(p.stat().st_size for p in files) / 1e6:.1f} MB; "
          f"{os.cpu_count()} cores; storage latency {args.latency_ms:.0f} ms\n")
    print("| step | time | result |\n|---|---:|---|")
    for row in [*bench_gzip(args.site), *bench_publish(args.site, args.latency_ms / 1000)]:
        print(row)
    return 0


if __name__ == "__main__":
    sys.exit(main())
