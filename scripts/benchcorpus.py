"""A deterministic synthetic Chinese corpus for `scripts/bench`: N stories, N/5 lectures.

The same arguments always write the same bytes (a seeded `random.Random`, no
clock), so benchmark runs on different days or machines measure the same site.
The text is made of sentence templates filled with places, people and deeds of
the Red Cross programme, so word segmentation and search indexing do as much
work as on real stories; every narrative of the vocabulary gets stories.
"""

from __future__ import annotations

import random
import shutil
import uuid
from datetime import date, timedelta
from pathlib import Path

CITIES = ("太原", "大同", "阳泉", "长治", "晋城", "朔州", "晋中", "运城", "忻州", "临汾", "吕梁")
NAMES = ("王丽", "李红梅", "张建国", "赵晓燕", "刘志强", "陈静", "杨帆", "郭秀兰", "闫思远", "马俊", "孙桂英", "周海涛")
ROLES = ("志愿者", "退休教师", "社区医生", "养老院护理员", "大学生", "公交司机", "献血者", "造血干细胞捐献者", "救护员")
TAGS = ("志愿服务", "捐赠", "养老服务", "应急救护", "救灾救助")
DEEDS = (
    "在社区教居民做心肺复苏", "每周去养老院陪老人聊天", "连续二十年无偿献血", "捐献造血干细胞救了一位白血病患者",
    "在洪水过后为受灾群众发放救灾物资", "在火车站设立应急救护点", "为独居老人检查家中的用电安全",
    "组织小额捐款帮助乡村卫生室添置设备", "在老年食堂做义工", "向中学生讲解器官捐献的意义",
    "带着AED走进工厂车间", "陪伴失能老人做康复训练",
)
FEELINGS = (
    "这件事听起来不大，可真要年年做下去，并不容易", "每一次都觉得自己被需要", "老人们的笑容是最好的回报",
    "救护知识多一个人会，就多一分希望", "捐赠不是一次感动，而是一件一直在做的事情", "红十字的精神就在这些小事里",
)
SCENES = (
    "清晨六点，{city}的街道还很安静，{name}已经背着救护包出了门。",
    "{name}是{city}的一名{role}，{years}年来，{deed}。",
    "“{feeling}。”{name}说。",
    "在{city}市红十字会的组织下，{count}名{role}参加了这次活动。",
    "活动结束后，大家围坐在一起，讨论下一次该怎样做得更好。",
    "据统计，今年{city}已有{count}人接受了应急救护培训，{count2}人报名成为志愿者。",
    "养老服务基地里，老人们早早坐好，等着志愿者们来上课。",
    "献血车停在广场上，排队的人里有学生，也有头发花白的老人。",
    "{name}把这些年的经历写进了笔记本，扉页上写着：“{feeling}。”",
)
HEADINGS = ("从一件小事说起", "坚持下来的理由", "身边的人", "数字背后", "下一步", "传下去", "一次难忘的经历")
VENUES = ("红十字会培训教室", "社区服务中心多功能厅", "市图书馆报告厅", "养老服务基地活动室", "大学礼堂")
LECTURE_TOPICS = ("心肺复苏与AED入门", "老年人居家急救常识", "无偿献血知多少", "造血干细胞捐献问答",
                  "防灾减灾家庭应急包", "创伤包扎四项技术", "遗体和器官捐献：生命的延续", "养老照护中的安全")
NAMESPACE = uuid.UUID("6f0e4c1a-2b0e-4e53-9a51-6a3c1d0b7e21")
BUILD_TIME = "2026-11-29T12:00:00+08:00"


def _paragraph(rng: random.Random, city: str) -> str:
    sentences = []
    for _ in range(rng.randint(3, 5)):
        template = rng.choice(SCENES)
        sentences.append(template.format(
            city=city, name=rng.choice(NAMES), role=rng.choice(ROLES), deed=rng.choice(DEEDS),
            feeling=rng.choice(FEELINGS), years=rng.randint(2, 30), count=rng.randint(20, 900),
            count2=rng.randint(10, 300),
        ))
    return "".join(sentences)


def story_text(index: int, images: int) -> str:
    """The Markdown file (front matter and body) of synthetic story number `index`."""
    rng = random.Random(index)
    city = CITIES[index % len(CITIES)]
    deed = DEEDS[index % len(DEEDS)]
    tags = sorted({TAGS[index % len(TAGS)], TAGS[(index * 7 + 3) % len(TAGS)]}, key=TAGS.index)
    # Spread over eight years before the bench's build time (2026-11-29).
    when = date(2026, 11, 20) - timedelta(days=index * 37 % 2900)
    front = [
        f"id: {uuid.uuid5(NAMESPACE, f'story/{index}')}",
        f"title: {city}：{rng.choice(NAMES)}{deed}（第{index + 1}篇）",
        f"date: {when.isoformat()}",
        f"tags: [{', '.join(tags)}]",
        f"city: {city}",
    ]
    body: list[str] = []
    inline = images and index % 5 == 0
    if images:
        front += [f"cover: ../images/bench-{index % images}.jpg", f"cover_alt: {city}的{rng.choice(ROLES)}在活动现场",
                  "consent: 肖像使用同意书 SXRC-BENCH-001"]
    for section in range(rng.randint(3, 5)):
        body.append(f"## {HEADINGS[(index + section) % len(HEADINGS)]}")
        body += [_paragraph(rng, city) for _ in range(rng.randint(2, 3))]
        if inline and section == 1:
            body.append(f"![{city}的志愿者在活动中](../images/bench-{(index + 1) % images}.jpg)")
    return "---\n" + "\n".join(front) + "\n---\n\n" + _paragraph(rng, city) + "\n\n" + "\n\n".join(body) + "\n"


def lecture_text(index: int) -> str:
    """The Markdown file of synthetic lecture number `index` (the newest few are upcoming)."""
    rng = random.Random(100_000 + index)
    city = CITIES[index % len(CITIES)]
    topic = LECTURE_TOPICS[index % len(LECTURE_TOPICS)]
    upcoming = index < 3
    year = 2027 if upcoming else 2026 - index % 8
    front = [
        f"id: {uuid.uuid5(NAMESPACE, f'lecture/{index}')}",
        f"title: {topic}（{city}站·第{index + 1}期）",
        f"date: {year}-{index % 12 + 1:02d}-{index % 27 + 1:02d} {9 + index % 8}:30",
        "duration: 90",
        f"tags: [{TAGS[index % len(TAGS)]}]",
        "speakers:",
        f"  - name: {rng.choice(NAMES)}",
        "    affiliation: 省红十字会应急救护培训中心讲师",
        f"venue: {city}市{VENUES[index % len(VENUES)]}",
        f"city: {city}",
    ]
    if not upcoming:
        front.append(f"audience: {rng.randint(30, 400)}")
    body = ["## 讲座内容", _paragraph(rng, city), "## 现场问答", _paragraph(rng, city)]
    return "---\n" + "\n".join(front) + "\n---\n\n" + "\n\n".join(body) + "\n"


def make_images(folder: Path, count: int) -> None:
    """`count` distinct 1600x1000 JPEG photos-to-be (gradients and shapes), made with Pillow."""
    from PIL import Image, ImageDraw

    folder.mkdir(parents=True, exist_ok=True)
    for k in range(count):
        image = Image.new("RGB", (1600, 1000), (180 + k * 13 % 70, 40 + k * 29 % 120, 40 + k * 47 % 160))
        draw = ImageDraw.Draw(image)
        for j in range(12):
            x, y = (k * 97 + j * 131) % 1500, (k * 53 + j * 71) % 900
            draw.ellipse((x, y, x + 100 + j * 9, y + 80 + j * 7), fill=((j * 40) % 256, 200 - j * 10, 90 + j * 12))
        image.save(folder / f"bench-{k}.jpg", quality=85)


# Material's own Chinese search, as a plain Material site configures it: jieba (installed
# with the test extra) splits Chinese into words joined by zero-width spaces, so the
# separator splits on \u200b too.
MATERIAL_SEARCH = (
    "  - search:\n"
    "      lang: zh\n"
    "      separator: '[\\s\\u200b\\-_,:!=\\[\\]()\"`/]+|\\.(?!\\d)|&[lg]t;|(?!\\b)(?=[A-Z][a-z])'\n"
)


def drop_plugins(config: str, names: tuple[str, ...] = ()) -> str:
    """mkdocs.yml without the named plugins (all `rc-*` ones if none are named) and their options."""
    out: list[str] = []
    skipping = False
    for line in config.splitlines():
        item = line[len("  - "):].rstrip(":") if line.startswith("  - ") else ""
        if item.startswith("rc-") and (not names or item in names):
            skipping = True
            continue
        if skipping and line.startswith("      "):
            continue
        skipping = False
        out.append(line)
    return "\n".join(out) + "\n"


def without_gzip_cache(config: str) -> str:
    """mkdocs.yml with rc-hosting's `cache_dir: ''`: every build compresses every file anew."""
    if "\n  - rc-hosting\n" not in config:
        raise ValueError("rc-hosting (without options) is not in this mkdocs.yml")
    return config.replace("\n  - rc-hosting\n", "\n  - rc-hosting:\n      cache_dir: ''\n", 1)


def search_after_rendering(config: str) -> str:
    """mkdocs.yml with rc-search's `stream: false`: Pagefind gets every page after the build."""
    out: list[str] = []
    for line in config.splitlines():
        if line.rstrip() in ("  - rc-search", "  - rc-search:"):
            out += ["  - rc-search:", "      stream: false"]
        elif not (out[-2:] == ["  - rc-search:", "      stream: false"] and line.strip().startswith("stream:")):
            out.append(line)
    if "      stream: false" not in out:
        raise ValueError("rc-search is not in this mkdocs.yml")
    return "\n".join(out) + "\n"


def plugin_free_config(config: str) -> str:
    """The reference build: the same mkdocs.yml, content and theme overrides without our `rc-*`
    plugins (and their option lines), with Material's own search plugin (zh) instead of ours."""
    return drop_plugins(config).replace("\nplugins:\n", "\nplugins:\n" + MATERIAL_SEARCH, 1)


def site_config(repo: Path) -> str:
    """The checkout `repo`'s mkdocs.yml for a corpus elsewhere: its theme's custom_dir made absolute,
    strict mode off (the plugin-free build lacks the generated pages the nav names)."""
    config = (repo / "mkdocs.yml").read_text(encoding="utf-8")
    config = config.replace("custom_dir: assets/overrides", f"custom_dir: {repo / 'assets' / 'overrides'}")
    return config.replace("strict: true", "strict: false")


def write_corpus(root: Path, repo: Path, stories: int, images: int = 0) -> tuple[Path, Path]:
    """Write content/ and two configs (with and without our plugins) under `root`.

    Returns (config with plugins, config without). The config is the repo's
    mkdocs.yml with the theme's custom_dir made absolute and strict mode off
    (the plugin-free build lacks the generated pages the nav names).
    """
    content = root / "content"
    for sub in ("stories", "lectures"):
        if (content / sub).exists():
            shutil.rmtree(content / sub)
    content.mkdir(parents=True, exist_ok=True)
    for name in ("narratives.yml", "index.md", "authors.yml", "about.md"):
        source = repo / "content" / name
        if source.is_file():
            shutil.copy(source, content / name)
    if not (content / "about.md").exists():
        (content / "about.md").write_text("---\ntitle: 关于我们\n---\n\n关于本站。\n", encoding="utf-8")
    if images and not all((content / "images" / f"bench-{k}.jpg").is_file() for k in range(images)):
        make_images(content / "images", images)
    (content / "stories").mkdir()
    for i in range(stories):
        (content / "stories" / f"bench-story-{i:05d}.md").write_text(story_text(i, images), encoding="utf-8")
    for i in range(max(stories // 5, 1)):
        folder = content / "lectures" / f"bench-lecture-{i:05d}"
        folder.mkdir(parents=True)
        (folder / "index.md").write_text(lecture_text(i), encoding="utf-8")
    config = site_config(repo)
    with_plugins, without = root / "mkdocs.yml", root / "mkdocs-without.yml"
    with_plugins.write_text(config, encoding="utf-8")
    without.write_text(plugin_free_config(config), encoding="utf-8")
    return with_plugins, without
