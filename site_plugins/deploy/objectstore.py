"""`scripts/publish`: upload site/ to an S3-compatible bucket (Aliyun OSS, Tencent COS, S3).

Only objects whose bytes or headers changed are uploaded: a listing gives each
object's ETag (the MD5 of its bytes for a simple upload, on S3, OSS and COS
alike) and a manifest (`.hosting/published.json` under the prefix) the
fingerprint of its headers. Files the build precompressed go up gzip-encoded;
headers come from `deploy/hosting.py`, as nginx's do. Media and assets go up
first, pages and feeds after them, and objects the site no longer has are
deleted only when everything new is up, so readers never meet half a site.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
from collections.abc import Callable, Iterator, Mapping
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from site_plugins.deploy.hosting import BRIEF, cache_control, compressible, content_type, hidden
from site_plugins.deploy.redirects import JSON_FILE

MANIFEST = ".hosting/published.json"
ENV = {"endpoint": "RC_PUBLISH_ENDPOINT", "bucket": "RC_PUBLISH_BUCKET", "region": "RC_PUBLISH_REGION",
       "prefix": "RC_PUBLISH_PREFIX", "addressing": "RC_PUBLISH_ADDRESSING"}
CREDENTIALS = ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY")
SECRET_WORDS = ("key", "secret", "token", "password")


class PublishError(Exception):
    """A setting or the site folder is not usable; the message says what to do (Chinese)."""


@dataclass(frozen=True)
class Target:
    """Where the site goes. Credentials are not part of it: they come from the environment only."""

    bucket: str
    endpoint: str = ""  # https://oss-cn-beijing.aliyuncs.com; empty: AWS S3
    region: str = ""
    prefix: str = ""  # "" or "folder/"
    addressing: str = "virtual"  # OSS and COS serve virtual-hosted buckets only; path for local servers


def target(settings: Mapping[str, Any], env: Mapping[str, str]) -> Target:
    """mkdocs.yml `extra: publish:` overridden by RC_PUBLISH_* variables."""
    secret = sorted(k for k in settings if any(word in str(k).lower() for word in SECRET_WORDS))
    if secret:
        raise PublishError(f"mkdocs.yml 的 extra.publish 中不能写密钥（{'、'.join(secret)}）：仓库是公开的。"
                           f"请删去，改用环境变量 {CREDENTIALS[0]} 和 {CREDENTIALS[1]}（GitHub 中放在 Secrets 里）。")
    values = {name: str(env.get(var) or settings.get(name) or "").strip() for name, var in ENV.items()}
    if not values["bucket"]:
        raise PublishError(f"没有设置存储桶：请在 mkdocs.yml 的 extra.publish 中写 bucket，或设置环境变量 {ENV['bucket']}。")
    prefix = values["prefix"].strip("/")
    addressing = values["addressing"] or "virtual"
    if addressing not in ("virtual", "path", "auto"):
        raise PublishError(f"addressing 只能是 virtual、path 或 auto，现在是“{addressing}”。")
    return Target(values["bucket"], values["endpoint"], values["region"], prefix + "/" if prefix else "", addressing)


def credentials(env: Mapping[str, str]) -> dict[str, str]:
    """boto3 keyword arguments for the keys in the environment; an error naming what is missing."""
    missing = [name for name in CREDENTIALS if not env.get(name)]
    if missing:
        raise PublishError(f"缺少访问密钥：请设置环境变量 {'、'.join(missing)}（OSS 的 AccessKey ID/Secret，"
                           "COS 的 SecretId/SecretKey）。密钥只从环境变量读取。")
    out = {"aws_access_key_id": env[CREDENTIALS[0]], "aws_secret_access_key": env[CREDENTIALS[1]]}
    if env.get("AWS_SESSION_TOKEN"):
        out["aws_session_token"] = env["AWS_SESSION_TOKEN"]
    return out


@dataclass(frozen=True)
class LocalObject:
    """One object to be: its key, the file whose bytes it holds and its headers."""

    key: str
    path: str  # site path without leading slash
    body: Path
    md5: str
    content_type: str
    cache_control: str
    content_encoding: str = ""
    redirect: str = ""  # x-amz-website-redirect-location

    @property
    def fingerprint(self) -> str:
        headers = "\n".join([self.md5, self.content_type, self.cache_control, self.content_encoding, self.redirect])
        return hashlib.sha256(headers.encode()).hexdigest()[:32]


def _md5(file: Path) -> str:
    digest = hashlib.md5(usedforsecurity=False)
    with file.open("rb") as stream:
        for chunk in iter(lambda: stream.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def local_objects(site: Path, prefix: str) -> list[LocalObject]:
    """Every file of the built site as an object; `.hosting/` stays on the machine."""
    if not (site / "index.html").is_file():
        raise PublishError(f"{site} 中没有 index.html：请先运行 scripts/build。")
    redirect_file = site / JSON_FILE
    redirects: dict[str, str] = json.loads(redirect_file.read_text(encoding="utf-8")) if redirect_file.is_file() else {}
    out = []
    for folder, dirs, names in os.walk(site):
        dirs.sort()
        for name in sorted(names):
            file = Path(folder) / name
            rel = file.relative_to(site).as_posix()
            if hidden("/" + rel):
                continue
            packed = file.with_name(name + ".gz")
            gz = compressible("/" + rel) and packed.is_file()
            body = packed if gz else file
            target = redirects.get(rel, "")
            out.append(LocalObject(
                key=prefix + rel, path=rel, body=body, md5=_md5(body),
                content_type=content_type("/" + rel), cache_control=cache_control("/" + rel),
                content_encoding="gzip" if gz else "",
                redirect="/" + prefix + target.lstrip("/") if target else ""))
    return out


@dataclass
class Plan:
    """What one publish does: uploads (with why), how many stay, what is deleted afterwards."""

    uploads: list[tuple[LocalObject, str]] = field(default_factory=list)
    unchanged: int = 0
    deletions: list[str] = field(default_factory=list)

    def lines(self) -> Iterator[str]:
        for obj, why in self.uploads:
            yield f"上传  {obj.key}  （{why}）"
        for key in self.deletions:
            yield f"删除  {key}"
        counts = {why: sum(1 for _, w in self.uploads if w == why) for why in ("新增", "内容有变", "响应头有变")}
        detail = "，".join(f"{why} {n}" for why, n in counts.items() if n)
        yield (f"计划：上传 {len(self.uploads)} 个对象{f'（{detail}）' if detail else ''}，"
               f"不变 {self.unchanged} 个，删除 {len(self.deletions)} 个。")


def plan(local: list[LocalObject], etags: Mapping[str, str], manifest: Mapping[str, str], prefix: str) -> Plan:
    """Compare the site with the bucket; pages and feeds are uploaded after what they point at."""
    result = Plan()
    for obj in local:
        etag = etags.get(obj.key)
        if etag is None:
            result.uploads.append((obj, "新增"))
        elif etag.strip('"').lower() != obj.md5:
            result.uploads.append((obj, "内容有变"))
        elif manifest.get(obj.key) != obj.fingerprint:
            result.uploads.append((obj, "响应头有变"))
        else:
            result.unchanged += 1
    result.uploads.sort(key=lambda item: item[0].cache_control == BRIEF)  # stable: media and assets first
    keys = {obj.key for obj in local} | {prefix + MANIFEST}
    result.deletions = sorted(key for key in etags if key not in keys)
    return result


def make_client(where: Target, keys: Mapping[str, str]) -> Any:
    """A boto3 S3 client for the target (checksums only when required: OSS and COS refuse the new ones)."""
    import boto3  # type: ignore[import-untyped]
    from botocore.config import Config  # type: ignore[import-untyped]

    config = Config(s3={"addressing_style": where.addressing}, retries={"max_attempts": 5, "mode": "standard"},
                    request_checksum_calculation="when_required", response_checksum_validation="when_required")
    client = boto3.session.Session(**keys).client("s3", endpoint_url=where.endpoint or None,
                                                  region_name=where.region or None, config=config)
    client.meta.events.register("before-sign.s3.DeleteObjects", _content_md5)
    return client


def _content_md5(request: Any, **_: Any) -> None:
    """DeleteObjects: OSS, COS and other S3-compatible stores require Content-MD5, which boto3 ≥ 1.36 omits."""
    body = request.body if isinstance(request.body, bytes) else str(request.body or "").encode()
    request.headers["Content-MD5"] = base64.b64encode(hashlib.md5(body, usedforsecurity=False).digest()).decode()


def remote_state(client: Any, where: Target) -> tuple[dict[str, str], dict[str, str]]:
    """(key -> ETag of every object under the prefix, key -> header fingerprint of the last publish)."""
    etags: dict[str, str] = {}
    for page in client.get_paginator("list_objects_v2").paginate(Bucket=where.bucket, Prefix=where.prefix):
        etags.update({item["Key"]: item["ETag"] for item in page.get("Contents", [])})
    manifest: dict[str, str] = {}
    if where.prefix + MANIFEST in etags:
        body = client.get_object(Bucket=where.bucket, Key=where.prefix + MANIFEST)["Body"].read()
        manifest = json.loads(body)
    return etags, manifest


def upload(client: Any, where: Target, obj: LocalObject) -> None:
    data = obj.body.read_bytes()
    extra: dict[str, str] = {"ContentEncoding": obj.content_encoding} if obj.content_encoding else {}
    if obj.redirect:
        extra["WebsiteRedirectLocation"] = obj.redirect
    client.put_object(Bucket=where.bucket, Key=obj.key, Body=data, ContentType=obj.content_type,
                      CacheControl=obj.cache_control, ContentMD5=base64.b64encode(bytes.fromhex(obj.md5)).decode(),
                      **extra)


def publish(client: Any, where: Target, local: list[LocalObject], todo: Plan,
            say: Callable[[str], None] = print, workers: int = 8) -> None:
    """Upload (media and assets, then pages and feeds), record the manifest, then delete stale objects.

    Each group goes up over `workers` connections (round trips to a mainland
    endpoint dominate); a failed upload stops everything before any deletion.
    """
    done = 0
    groups = [[item for item in todo.uploads if (item[0].cache_control == BRIEF) == pages] for pages in (False, True)]
    with ThreadPoolExecutor(max_workers=workers) as pool:
        for group in groups:
            futures = {pool.submit(upload, client, where, obj): (obj, why) for obj, why in group}
            for future in as_completed(futures):
                future.result()  # re-raises the first failure; the `with` waits for the rest
                done += 1
                obj, why = futures[future]
                say(f"[{done}/{len(todo.uploads)}] 已上传 {obj.key}（{why}）")
    if not todo.uploads and not todo.deletions:
        return  # the bucket already holds this site: not even the manifest changes
    manifest = json.dumps({obj.key: obj.fingerprint for obj in local}, indent=0, sort_keys=True).encode()
    client.put_object(Bucket=where.bucket, Key=where.prefix + MANIFEST, Body=manifest,
                      ContentType="application/json", CacheControl="no-store")
    for start in range(0, len(todo.deletions), 1000):  # DeleteObjects takes at most 1,000 keys
        batch = todo.deletions[start : start + 1000]
        client.delete_objects(Bucket=where.bucket, Delete={"Objects": [{"Key": k} for k in batch], "Quiet": True})
        say(f"已删除 {len(batch)} 个不再属于网站的对象")
