// The site's extensions to Decap CMS, loaded by /admin/index.html after the vendored bundle.
// - rc-frontmatter / rc-narratives / rc-authors: read and write our files the way `scripts/new` does
//   (schema field order, flow lists for tags, strings quoted whenever PyYAML, which the build uses,
//   would read them as something else: 00:45:10, yes, 012 ...). Decap's own YAML writer emits
//   `duration: 00:45:10`, which PyYAML reads as the number 2710.
// - rc-text: a text field that is required only when another field is set (cover_alt) or when the
//   entry is new (slug), with a Chinese message.
// - preSave: a new entry gets a permanent uuid4 `id`; an existing id is never changed.
// - preview templates styled with the site's CSS: title, meta line with the reading time, a card.
// - accessibility of Decap's own screens (rc-a11y.js): missing Chinese phrases, names and roles.
// - the build's own rules (rc-content.js): where front matter ends, the default slug, the address.
import { YAML } from "./vendor/yaml/index.js";
import { patchAccessibility, registerChinese } from "./rc-a11y.js";
import { normalise, sourceStem, splitFrontMatter } from "./rc-content.js";

const CMS = window.CMS;
const h = window.h;
const createClass = window.createClass;
const SETTINGS = JSON.parse(document.getElementById("rc-settings").textContent);

// ---- YAML text the way a careful editor writes it -------------------------------------------
const YAML11_SPECIAL = /^(?:~|null|Null|NULL|y|Y|yes|Yes|YES|n|N|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN)|<<|=)$/;
const NUMBERISH = /^[-+]?(?:[0-9][0-9_]*)?(?:[.:][0-9_]*)*(?:[eE][-+]?[0-9]+)?$|^[-+]?0[xob][0-9a-fA-F_]+$/;
const TIMESTAMP = /^\d{4}-\d{1,2}-\d{1,2}(?:(?:[Tt]|[ \t]+)\d{1,2}:\d{2}:\d{2}(?:\.\d*)?(?:[ \t]*(?:Z|[-+]\d{1,2}(?::?\d{2})?))?)?$/;
const DATE_FIELDS = new Set(["date", "end", "updated", "announced"]);
const PLAIN_DATE = /^\d{4}-\d{2}-\d{2}(?: \d{2}:\d{2})?$/;

function plainOk(text, key) {
  if (text === "" || text !== text.trim() || /[\n\r\t]/.test(text)) return false;
  if (DATE_FIELDS.has(key) && PLAIN_DATE.test(text)) return true; // read back as a date: intended
  if (YAML11_SPECIAL.test(text) || NUMBERISH.test(text) || TIMESTAMP.test(text)) return false;
  if (/^[-?:,\[\]{}#&*!|>'"%@`]/.test(text) || /: |:$| #/.test(text)) return false;
  return true;
}

function scalar(value, key) {
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  const text = String(value);
  return plainOk(text, key) ? text : JSON.stringify(text);
}

function isEmpty(value) {
  return value === undefined || value === null || value === "" ||
    (Array.isArray(value) && value.length === 0) ||
    (typeof value === "object" && !Array.isArray(value) && Object.values(value).every(isEmpty));
}

function emit(key, value, indent) {
  const pad = " ".repeat(indent);
  if (Array.isArray(value)) {
    const flat = value.every((v) => typeof v !== "object" && plainOk(String(v), "") && !/[,\[\]{}]/.test(String(v)));
    if (flat) return [`${pad}${key}: [${value.map((v) => scalar(v, "")).join(", ")}]`];
    const lines = [`${pad}${key}:`];
    for (const item of value) {
      if (item && typeof item === "object") {
        const inner = Object.entries(item).filter(([, v]) => !isEmpty(v)).flatMap(([k, v]) => emit(k, v, indent + 4));
        if (inner.length) lines.push(pad + "  - " + inner[0].trimStart(), ...inner.slice(1));
      } else {
        lines.push(`${pad}  - ${scalar(item, "")}`);
      }
    }
    return lines;
  }
  if (value && typeof value === "object") {
    const inner = Object.entries(value).filter(([, v]) => !isEmpty(v)).flatMap(([k, v]) => emit(k, v, indent + 2));
    return [`${pad}${key}:`, ...inner];
  }
  return [`${pad}${key}: ${scalar(value, key)}`];
}

// Fields whose false is the default: leaving them out says the same, as scripts/new does.
const FALSE_BY_DEFAULT = new Set(["draft", "cancelled", "featured"]);

// Comment lines of the front matter travel with the key they stand above (COMMENTS holds them).
const COMMENTS = "_rc_comments";

function frontMatter(data, order) {
  const notes = data[COMMENTS] || {};
  const keys = [...order.filter((k) => k in data), ...Object.keys(data).filter((k) => !order.includes(k))];
  const lines = keys
    .filter((k) => k !== "body" && k !== COMMENTS && !isEmpty(data[k]) && !(FALSE_BY_DEFAULT.has(k) && data[k] === false))
    .flatMap((k) => [...(notes[k] || []), ...emit(k, data[k], 0)]);
  return [...lines, ...(notes[""] || [])].join("\n");
}

function commentsByKey(yamlText) {
  const notes = {};
  let pending = [];
  for (const line of yamlText.split("\n")) {
    if (/^\s*#/.test(line) || (pending.length && !line.trim())) pending.push(line);
    else if (/^[^\s#][^:]*:/.test(line)) {
      if (pending.length) notes[line.split(":")[0].trim()] = pending;
      pending = [];
    }
  }
  if (pending.length) notes[""] = pending;
  return notes;
}

function parseYaml(text) {
  // The core schema keeps 2026-03-05 and 14:30 as the text they are; the build parses dates itself.
  return YAML.parse(text, { schema: "core", prettyErrors: true }) ?? null;
}

CMS.registerCustomFormat("rc-frontmatter", "md", {
  fromFile(content) {
    // Where front matter ends is the build's rule (content/frontmatter.py, through rc-content.js).
    const text = normalise(content);
    const parts = splitFrontMatter(text, SETTINGS.frontmatter);
    if (!parts || !parts[2]) return { body: text }; // none, or never closed: the text stays as it is
    const meta = parseYaml(parts[0]) || {};
    const notes = commentsByKey(parts[0]);
    return { ...meta, ...(Object.keys(notes).length ? { [COMMENTS]: notes } : {}), body: parts[1] };
  },
  toFile(data, order = []) {
    const body = data.body ?? "";
    const fence = SETTINGS.frontmatter.open;
    return `${fence}\n${frontMatter(data, order)}\n${fence}\n${body.startsWith("\n") ? "" : "\n"}${body}`;
  },
});

// content/narratives.yml is a list at the top level; Decap edits objects, so it sees {narratives: [...]}.
const NARRATIVE_ORDER = ["key", "label", "description", "aliases", "icon", "color", "consent"];
const leadingComments = (text) => (/^(?:#.*\n)+/.exec(text.replace(/\r\n/g, "\n")) || [""])[0];

CMS.registerCustomFormat("rc-narratives", "yml", {
  fromFile(content) {
    return { narratives: parseYaml(content) || [], _comments: leadingComments(content) };
  },
  toFile(data) {
    const items = (data.narratives || []).map((item) =>
      frontMatter(item, NARRATIVE_ORDER).split("\n").map((line, i) => (i ? "  " : "- ") + line).join("\n"));
    return (data._comments || "") + items.join("\n") + "\n";
  },
});

// content/authors.yml maps a key to {name, role}; Decap sees a list of {key, name, role}.
CMS.registerCustomFormat("rc-authors", "yml", {
  fromFile(content) {
    const map = parseYaml(content) || {};
    return { authors: Object.entries(map).map(([key, v]) => ({ key, ...(v || {}) })), _comments: leadingComments(content) };
  },
  toFile(data) {
    const blocks = (data.authors || []).map(({ key, ...rest }) =>
      `${scalar(key, "")}:\n` + frontMatter(rest, ["name", "role"]).split("\n").map((l) => "  " + l).join("\n"));
    return (data._comments || "") + blocks.join("\n") + "\n";
  },
});

// Decap takes a `files` collection's format from the collection alone (a file's own `format` is
// ignored: both files were read as plain YAML, and the vocabulary showed 0 专题), so the settings
// collection has one format that tells its files apart by shape: a list is the vocabulary, a
// mapping the authors.
const FORMATS = CMS.getCustomFormats();
CMS.registerCustomFormat("rc-settings", "yml", {
  fromFile(content) {
    const parsed = parseYaml(content);
    if (Array.isArray(parsed)) return FORMATS["rc-narratives"].formatter.fromFile(content);
    return parsed ? FORMATS["rc-authors"].formatter.fromFile(content) : {};
  },
  toFile(data) {
    return FORMATS["narratives" in data ? "rc-narratives" : "rc-authors"].formatter.toFile(data);
  },
});

// ---- rc-text: conditionally required text -----------------------------------------------------
const RcText = createClass({
  // Re-render with every change of the entry, so `entry` is current when the editor validates.
  shouldComponentUpdate() {
    return true;
  },
  isValid() {
    const { field, entry, value } = this.props;
    const empty = !String(value ?? "").trim();
    const other = field.get("required_with");
    const needed = (other && !isEmpty(entry.getIn(["data", other]))) || (field.get("required_new") && entry.get("newRecord"));
    return needed && empty ? { error: { message: field.get("required_message") } } : true;
  },
  render() {
    const { forID, value, onChange, classNameWrapper, setActiveStyle, setInactiveStyle } = this.props;
    return h("input", {
      type: "text", id: forID, className: classNameWrapper, value: value ?? "",
      onChange: (e) => onChange(e.target.value), onFocus: setActiveStyle, onBlur: setInactiveStyle,
    });
  },
});
CMS.registerWidget("rc-text", RcText, (props) => h("span", {}, props.value));

// ---- the permanent id --------------------------------------------------------------------------
CMS.registerEventListener({
  name: "preSave",
  handler: ({ entry }) => {
    const data = entry.get("data");
    if (entry.get("collection") === "settings" || data.get("id")) return data;
    return data.set("id", crypto.randomUUID());
  },
});

// ---- preview: the site's look ----------------------------------------------------------------
const HAN = /[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]/gu;
function readingMinutes(markdown) {
  const images = (markdown.match(/!\[[^\]]*\]\([^)]*\)/g) || []).length;
  const text = markdown.replace(/```[\s\S]*?```/g, "").replace(/!\[[^\]]*\]\([^)]*\)/g, "")
    .replace(/\[([^\]]*)\]\([^)]*\)/g, "$1").replace(/<[^>]+>/g, "");
  const han = (text.match(HAN) || []).length;
  const words = (text.replace(HAN, " ").match(/[A-Za-z0-9][A-Za-z0-9'’\-.]*/g) || []).length;
  const seconds = (han / SETTINGS.han_per_minute + words / SETTINGS.words_per_minute) * 60 + images * SETTINGS.seconds_per_image;
  return Math.max(1, Math.round(seconds / 60));
}
function chineseDate(value) {
  const m = /^(\d{4})-(\d{2})-(\d{2})(?: (\d{2}:\d{2}))?/.exec(String(value || ""));
  return m ? `${+m[1]}年${+m[2]}月${+m[3]}日${m[4] ? " " + m[4] : ""}` : "";
}

const Preview = createClass({
  render() {
    const { entry, widgetFor, getAsset } = this.props;
    const data = entry.get("data");
    const get = (k) => data.get(k);
    const tags = (get("tags") || []).toJS ? get("tags").toJS() : get("tags") || [];
    const minutes = readingMinutes(get("body") || "");
    const cover = get("cover") ? getAsset(get("cover")) : null;
    const meta = [chineseDate(get("date")), get("city"), `约 ${minutes} 分钟`].filter(Boolean).join(" · ");
    const slug = get("slug") || sourceStem(entry.get("path") || "");
    const address = SETTINGS.entry_urls[entry.get("collection")].replace("{}", slug); // urls.entry
    return h("main", { className: "md-typeset rc-preview" }, // the preview frame's one landmark
      h("p", { className: "rc-preview__note" }, "预览（样式与网站相同）· ",
        slug ? h("a", { href: SETTINGS.preview + address, target: "_blank", rel: "noopener" }, "在 scripts/serve 中打开真实页面") : "保存后可在 scripts/serve 中查看"),
      h("ul", { className: "rc-cards" }, h("li", { className: "rc-card" },
        cover ? h("img", { className: "rc-card__img", src: cover.toString(), alt: get("cover_alt") || "" }) : null,
        h("div", { className: "rc-card__text" },
          h("h3", { className: "rc-card__title" }, get("title") || "（未写标题）"),
          h("p", { className: "rc-card__meta" }, meta),
          h("p", { className: "rc-card__summary" }, get("summary") || "")))),
      h("h1", {}, get("title") || ""),
      h("p", { className: "rc-entry__meta" }, meta, tags.length ? " · " + tags.join("、") : ""),
      cover ? h("img", { src: cover.toString(), alt: get("cover_alt") || "" }) : null,
      widgetFor("body"));
  },
});
for (const href of SETTINGS.styles) CMS.registerPreviewStyle(href);
CMS.registerPreviewTemplate("stories", Preview);
CMS.registerPreviewTemplate("lectures", Preview);

registerChinese(CMS);
patchAccessibility();
CMS.init();
