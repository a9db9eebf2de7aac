// Content rules the web editor shares with the build. Python owns them; what can be data comes
// from the build through /admin/index.html (#rc-settings, written by cms/config.preview_settings),
// and tests/test_cms_rules.py runs each function here through node on a table of tricky inputs
// beside its Python owner, so the two cannot drift apart unnoticed.

// A file's text as content/frontmatter.py decode() leaves it: one leading BOM dropped, CRLF and
// lone CR line ends as LF.
export function normalise(text) {
  return text.replace(/^\ufeff/, "").replace(/\r\n?/g, "\n");
}

// content/frontmatter.py split(): [YAML text, body, file line of the body] of normalised text,
// null without an opening fence; an unclosed front matter gives body line 0. `rule` is
// split_rule(): the fence, the lines that close it, and the characters Python's strip() removes.
export function splitFrontMatter(text, rule) {
  const strip = (line) => {
    let start = 0, end = line.length;
    while (start < end && rule.space.includes(line[start])) start++;
    while (end > start && rule.space.includes(line[end - 1])) end--;
    return line.slice(start, end);
  };
  const lines = text.split("\n");
  if (strip(lines[0]) !== rule.open) return null;
  const end = lines.findIndex((line, i) => i > 0 && rule.close.includes(strip(line)));
  if (end < 0) return [lines.slice(1).join("\n"), "", 0];
  return [lines.slice(1, end).join("\n"), lines.slice(end + 1).join("\n"), end + 2];
}

// content/text.py source_stem(): an entry's default slug, its file's name, or its folder's for a
// bundle's index.md.
export function sourceStem(path) {
  const parts = path.split("/");
  const stem = parts[parts.length - 1].replace(/\.md$/, "");
  return stem === "index" && parts.length > 1 ? parts[parts.length - 2] : stem;
}
