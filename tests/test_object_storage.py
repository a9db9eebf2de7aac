"""scripts/publish against moto's S3 server on 127.0.0.1, read back as a bucket website would serve it."""

from __future__ import annotations

import gzip
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from site_plugins.deploy import objectstore as publish
from site_plugins.deploy.precompress import gzip_bytes

from .conftest import REPO

pytestmark = pytest.mark.build

BUCKET = "lecture-site"
PREFIX = "hall/"
KEYS = {"AWS_ACCESS_KEY_ID": "test-key-id", "AWS_SECRET_ACCESS_KEY": "test-secret"}


@pytest.fixture(scope="module")
def endpoint() -> Iterator[str]:
    from moto.server import ThreadedMotoServer

    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


@pytest.fixture
def bucket(endpoint: str) -> Iterator[Any]:
    """An empty bucket, and a client to read it with."""
    client = publish.make_client(publish.Target(BUCKET, endpoint, "us-east-1", addressing="path"),
                                 {"aws_access_key_id": "x", "aws_secret_access_key": "y"})
    client.create_bucket(Bucket=BUCKET)
    yield client
    for page in client.get_paginator("list_objects_v2").paginate(Bucket=BUCKET):  # up to 1,000 keys a page
        if page.get("Contents"):
            client.delete_objects(Bucket=BUCKET, Delete={"Objects": [{"Key": i["Key"]} for i in page["Contents"]]})
    client.delete_bucket(Bucket=BUCKET)


def run_publish(site: Path, endpoint: str, *args: str, keys: dict[str, str] | None = None,
                ) -> subprocess.CompletedProcess[str]:
    env = {**{k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "RC_PUBLISH_"))},
           "RC_PUBLISH_ENDPOINT": endpoint, "RC_PUBLISH_BUCKET": BUCKET, "RC_PUBLISH_REGION": "us-east-1",
           "RC_PUBLISH_PREFIX": PREFIX, "RC_PUBLISH_ADDRESSING": "path", **(KEYS if keys is None else keys)}
    return subprocess.run([sys.executable, str(REPO / "scripts" / "publish"), "-d", str(site), *args],
                          cwd=REPO, env=env, capture_output=True, text=True)


def keys_in(client: Any) -> set[str]:
    return {item["Key"] for page in client.get_paginator("list_objects_v2").paginate(Bucket=BUCKET)
            for item in page.get("Contents", [])}


@pytest.fixture
def site(sample_site: Path, tmp_path: Path) -> Path:
    copy = tmp_path / "site"
    shutil.copytree(sample_site, copy)
    return copy


@pytest.fixture
def small(tmp_path: Path) -> Path:
    """A few files of each kind, as the build lays them out (faster to publish than the sample site)."""
    root = tmp_path / "small"
    files = {"index.html": "<p>首页</p>" * 50, "about/index.html": "<p>关于我们</p>" * 50, "feed.xml": "<rss/>" * 50,
             "assets/stylesheets/site.css": "body{}" * 50, ".hosting/redirects.json": "{}\n"}
    for rel, text in files.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text, encoding="utf-8")
        if not rel.startswith("."):
            (root / (rel + ".gz")).write_bytes(gzip_bytes(text.encode()))
    for n in range(3):
        (root / "media" / f"{n:016x}").mkdir(parents=True)
        (root / "media" / f"{n:016x}" / "a.webp").write_bytes(bytes([n]) * 100)
    return root


def test_publish_uploads_the_site_with_its_headers(site: Path, endpoint: str, bucket: Any) -> None:
    files = sorted(p.relative_to(site).as_posix() for p in site.rglob("*") if p.is_file())
    public = [f for f in files if not f.startswith(".hosting/")]

    dry = run_publish(site, endpoint, "--dry-run")
    assert dry.returncode == 0, dry.stdout + dry.stderr
    assert f"计划：上传 {len(public)} 个对象（新增 {len(public)}），不变 0 个，删除 0 个。" in dry.stdout
    assert f"上传  {PREFIX}index.html  （新增）" in dry.stdout
    assert keys_in(bucket) == set()  # a dry run changes nothing

    done = run_publish(site, endpoint)
    assert done.returncode == 0, done.stdout + done.stderr
    assert keys_in(bucket) == {PREFIX + f for f in public} | {PREFIX + publish.MANIFEST}

    def head(rel: str) -> dict[str, Any]:
        got = bucket.get_object(Bucket=BUCKET, Key=PREFIX + rel)
        return {"type": got["ContentType"], "cache": got.get("CacheControl"), "encoding": got.get("ContentEncoding"),
                "redirect": got.get("WebsiteRedirectLocation"), "body": got["Body"].read()}

    page = head("index.html")
    assert (page["type"], page["cache"], page["encoding"]) == ("text/html; charset=utf-8", "public, max-age=300", "gzip")
    assert gzip.decompress(page["body"]) == (site / "index.html").read_bytes()
    for rel, kind in [("feed.xml", "application/rss+xml; charset=utf-8"), ("atom.xml", "application/atom+xml; charset=utf-8"),
                      ("feed.json", "application/feed+json; charset=utf-8"),
                      ("lectures/calendar.ics", "text/calendar; charset=utf-8")]:
        got = head(rel)
        assert (got["type"], got["cache"], got["encoding"]) == (kind, "public, max-age=300", "gzip"), rel
        assert gzip.decompress(got["body"]) == (site / rel).read_bytes()
    webp = next(f for f in public if f.startswith("media/") and f.endswith(".webp"))
    image = head(webp)
    assert (image["type"], image["cache"], image["encoding"]) == ("image/webp", "public, max-age=31536000, immutable", None)
    assert image["body"] == (site / webp).read_bytes()
    # Old addresses: the redirect page, with the bucket website's 301 metadata.
    alias = head("stories/gongjiaozhan-sifenzhong/index.html")
    assert alias["redirect"] == f"/{PREFIX}stories/taiyuan-gongjiaozhan-jijiu/"
    assert b"taiyuan-gongjiaozhan-jijiu" in gzip.decompress(alias["body"])
    assert head("news/2026/taiyuan-gongjiaozhan.html")["redirect"] == f"/{PREFIX}stories/taiyuan-gongjiaozhan-jijiu/"
    assert head("about/index.html")["redirect"] is None

    # Nothing changed: nothing is uploaded again.
    again = run_publish(site, endpoint)
    assert f"计划：上传 0 个对象，不变 {len(public)} 个，删除 0 个。" in again.stdout, again.stdout


def test_only_changes_go_up_and_stale_objects_go_last(small: Path, endpoint: str, bucket: Any) -> None:
    site = small
    assert run_publish(site, endpoint).returncode == 0
    before = {key: bucket.head_object(Bucket=BUCKET, Key=key)["ETag"] for key in keys_in(bucket)}
    # One page changes, one file goes away, one arrives, one object outside the site sits in the prefix.
    about = site / "about" / "index.html"
    about.write_bytes(about.read_bytes().replace("关于我们".encode(), "关于本站".encode(), 1))
    (site / "about" / "index.html.gz").write_bytes(gzip_bytes(about.read_bytes()))
    (site / "assets" / "stylesheets" / "site.css").unlink()
    (site / "assets" / "stylesheets" / "site.css.gz").unlink(missing_ok=True)
    (site / "robots.txt").write_text("User-agent: *\n", encoding="utf-8")
    bucket.put_object(Bucket=BUCKET, Key=PREFIX + "left-over.html", Body=b"old")
    bucket.put_object(Bucket=BUCKET, Key="other-site/index.html", Body=b"not ours")

    dry = run_publish(site, endpoint, "--dry-run")
    planned = sorted(line for line in dry.stdout.splitlines() if line.startswith(("上传", "删除")))
    assert planned == sorted([f"上传  {PREFIX}about/index.html  （内容有变）", f"上传  {PREFIX}robots.txt  （新增）",
                              f"上传  {PREFIX}about/index.html.gz  （内容有变）",
                              f"删除  {PREFIX}assets/stylesheets/site.css", f"删除  {PREFIX}assets/stylesheets/site.css.gz",
                              f"删除  {PREFIX}left-over.html"]), dry.stdout

    assert run_publish(site, endpoint).returncode == 0
    after = {key: bucket.head_object(Bucket=BUCKET, Key=key)["ETag"] for key in keys_in(bucket)}
    changed = {key for key in after if key.startswith(PREFIX) and before.get(key) != after[key]}
    assert changed == {PREFIX + "about/index.html", PREFIX + "about/index.html.gz", PREFIX + "robots.txt",
                       PREFIX + publish.MANIFEST}
    assert PREFIX + "left-over.html" not in after and "other-site/index.html" in after
    got = bucket.get_object(Bucket=BUCKET, Key=PREFIX + "about/index.html")
    assert "关于本站" in gzip.decompress(got["Body"].read()).decode("utf-8")


class Recorder:
    """A boto3 client that logs every call and can fail the n-th upload."""

    def __init__(self, client: Any, fail_at: int = 0) -> None:
        self.client, self.fail_at, self.calls = client, fail_at, []  # type: list[tuple[str, str]]

    def put_object(self, **kwargs: Any) -> Any:
        self.calls.append(("put", kwargs["Key"]))
        if self.fail_at and sum(1 for c in self.calls if c[0] == "put") == self.fail_at:
            raise ConnectionError("network down")
        return self.client.put_object(**kwargs)

    def delete_objects(self, **kwargs: Any) -> Any:
        self.calls.append(("delete", ",".join(o["Key"] for o in kwargs["Delete"]["Objects"])))
        return self.client.delete_objects(**kwargs)


def test_pages_go_up_after_media_and_nothing_is_deleted_before_all_is_up(small: Path, endpoint: str,
                                                                        bucket: Any) -> None:
    site = small
    where = publish.Target(BUCKET, endpoint, "us-east-1", PREFIX, "path")
    bucket.put_object(Bucket=BUCKET, Key=PREFIX + "stale.html", Body=b"old")
    local = publish.local_objects(site, PREFIX)
    todo = publish.plan(local, *publish.remote_state(bucket, where), PREFIX)
    flaky = Recorder(bucket, fail_at=4)
    with pytest.raises(ConnectionError):
        publish.publish(flaky, where, local, todo, say=lambda _line: None)
    assert not any(kind == "delete" for kind, _ in flaky.calls)
    assert PREFIX + "stale.html" in keys_in(bucket) and PREFIX + publish.MANIFEST not in keys_in(bucket)

    recorder = Recorder(bucket)
    todo = publish.plan(local, *publish.remote_state(bucket, where), PREFIX)
    publish.publish(recorder, where, local, todo, say=lambda _line: None)
    kinds = [kind for kind, _ in recorder.calls]
    assert kinds[-1] == "delete" and "delete" not in kinds[:-1] and recorder.calls[-1][1] == PREFIX + "stale.html"
    uploaded = [key for kind, key in recorder.calls if kind == "put"]
    last_media = max(i for i, key in enumerate(uploaded) if key.startswith(PREFIX + "media/"))
    first_page = min(i for i, key in enumerate(uploaded) if key.endswith(".html"))
    assert last_media < first_page  # a page never points at an image that is not up yet


def test_settings_and_credentials_errors_are_plain_chinese(small: Path, endpoint: str, tmp_path: Path) -> None:
    missing = run_publish(small, endpoint, keys={})
    assert missing.returncode == 2
    assert "缺少访问密钥：请设置环境变量 AWS_ACCESS_KEY_ID、AWS_SECRET_ACCESS_KEY" in missing.stderr
    assert "Traceback" not in missing.stderr
    with pytest.raises(publish.PublishError, match="不能写密钥"):
        publish.target({"bucket": "b", "secret_key": "oops"}, {})
    with pytest.raises(publish.PublishError, match="没有设置存储桶"):
        publish.target({}, {})
    settings = {"bucket": "from-yml", "endpoint": "https://oss-cn-taiyuan.aliyuncs.com", "prefix": "/site/"}
    assert publish.target(settings, {"RC_PUBLISH_BUCKET": "from-env"}) == publish.Target(
        "from-env", "https://oss-cn-taiyuan.aliyuncs.com", "", "site/", "virtual")
    empty = tmp_path / "empty"
    empty.mkdir()
    unbuilt = run_publish(empty, endpoint)
    assert unbuilt.returncode == 2 and "请先运行 scripts/build" in unbuilt.stderr
