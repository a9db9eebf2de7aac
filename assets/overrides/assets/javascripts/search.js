/* Search (rc-search): the header's box and the results page /search/?q=…, over Pagefind.
 *
 * Nothing of the index is fetched until the reader opens search: pagefind.js (and through it
 * the index chunks it needs) loads on the first focus of a search box. Before Pagefind sees a
 * query, Traditional characters become Simplified: OpenCC's table, in shards by code point
 * (search/t2s/NN.json, NN = code point % 128), fetched only for the query's own characters.
 * Narrative aliases are indexed with each page (义工 finds 志愿服务 stories) and each title's
 * pinyin in a meta field of its page (zhiyuanzhe, zyz), both by the build. Only the results
 * page loads Pagefind's filter files (for the counts); the header box never does. */
(function () {
  "use strict";
  var box = document.querySelector("[data-rc-search]");
  if (!box) return;
  /* The build's addresses and the shards' layout (outputs/search/records.py browser_config()),
     written into the box by partials/search.html: this script keeps no copy of them. */
  var config = JSON.parse(box.getAttribute("data-rc-search"));
  var form = box.querySelector("form");
  var resultsPage = form.action; // the form goes to <site root><config.search>
  var root = new URL(resultsPage.slice(0, resultsPage.length - config.search.length));
  var engine = null, counted = null;
  var GROUPS = [["narrative", "专题"], ["kind", "类型"], ["city", "城市"], ["year", "年份"]];
  var PAGE = 10, SUGGEST = 5;
  var shards = {};

  function load() {
    if (!engine) {
      engine = import(root.href + config.pagefind).then(function (pf) {
        return pf.options({ excerptLength: 36 }).then(function () { return { pf: pf }; });
      });
    }
    return engine;
  }

  /* Filter counts need Pagefind's filter files (about 30 KB at 3,000 stories): the results
     page loads them, once; the header box searches without filters and never does. */
  function counts() {
    if (!counted) counted = load().then(function (e) { return e.pf.filters(); });
    return counted;
  }

  function shard(n) {
    if (!shards[n]) {
      shards[n] = fetch(root.href + config.t2s + n.toString(16).padStart(2, "0") + ".json") // urls.t2s_shard
        .then(function (r) { if (!r.ok) throw new Error(r.status); return r.json(); })
        .then(function (pairs) {
          var map = {};
          var chars = Array.from(pairs);
          for (var i = 0; i + 1 < chars.length; i += 2) map[chars[i]] = chars[i + 1];
          return map;
        })
        .catch(function () { delete shards[n]; return {}; }); // offline: search the query as typed
    }
    return shards[n];
  }

  async function normalize(query) {
    var chars = Array.from(query.trim());
    var wanted = new Set();
    chars.forEach(function (c) { var cp = c.codePointAt(0); if (cp >= config.first) wanted.add(cp % config.shards); });
    var maps = await Promise.all(Array.from(wanted).map(shard));
    var t2s = Object.assign.apply(null, [{}].concat(maps));
    return chars.map(function (c) { return t2s[c] || c; }).join("");
  }

  /* The index holds Chinese character by character (search.py's split_han): ask for the
     characters of each Han run as an exact phrase, so that no segmenter has a say. */
  var HAN = /[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]/u;
  function spaced(term) {
    return Array.from(term).map(function (c, i, all) {
      return HAN.test(c) && i + 1 < all.length && HAN.test(all[i + 1]) ? c + " " : c;
    }).join("");
  }

  /* Newest first: search/sort-date.json (config.sort) lists Pagefind's page ids oldest first. The
     build takes it out of Pagefind's metadata, which every query loads; only a reader who sorts
     fetches it. */
  var orders = {};
  function order(key) {
    if (!orders[key]) {
      orders[key] = fetch(root.href + config.sort.replace("{}", key))
        .then(function (r) { return r.ok ? r.json() : []; }) // a site with no dated page has none
        .catch(function () { delete orders[key]; return []; })
        .then(function (ids) { return new Map(ids.map(function (id, i) { return [id, i]; })); });
    }
    return orders[key];
  }

  async function run(query, filters, sort) {
    var ready = await Promise.all([load(), normalize(query), sort ? order(sort) : null]);
    var e = ready[0], term = ready[1], rank = ready[2];
    var options = { filters: filters || {} };
    if (!term) return { term: term, res: { results: [], filters: {}, totalFilters: {} } };
    var loose = spaced(term);
    if (/\s/.test(term) || !HAN.test(term)) return { term: term, res: sorted(await e.pf.search(loose, options), rank) };
    // The exact phrase decides what is found; Pagefind scores every phrase hit alike, so rank
    // them by the score of the same characters searched loosely (their frequency, in the
    // title above the text). Both need the same index chunks: nothing more is fetched.
    var both = await Promise.all([e.pf.search("\"" + loose + "\"", options), sort ? null : e.pf.search(loose, options)]);
    var res = both[0];
    if (both[1]) {
      var score = new Map(both[1].results.map(function (r) { return [r.id, r.score]; }));
      res.results.sort(function (a, b) { return (score.get(b.id) || 0) - (score.get(a.id) || 0); });
    }
    return { term: term, res: sorted(res, rank) };
  }

  /* Newest first (a page without a date last), relevance keeping ties in order. */
  function sorted(res, rank) {
    if (!rank) return res;
    var at = function (r) { return rank.has(r.id) ? rank.get(r.id) : -1; };
    res.results = res.results.map(function (r, i) { return [r, i]; })
      .sort(function (a, b) { return (at(b[0]) - at(a[0])) || (a[1] - b[1]); })
      .map(function (pair) { return pair[0]; });
    return res;
  }

  // The query path of both search boxes, for the console and the browser tests.
  window.rcSearch = run;

  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    (children || []).forEach(function (c) { node.append(c); });
    return node;
  }

  /* The title with each query word marked; text only, never parsed as HTML. */
  function marked(text, term) {
    var words = term.split(/\s+/).filter(Boolean).sort(function (a, b) { return b.length - a.length; });
    var parts = [];
    var rest = text;
    while (rest && words.length) {
      var best = -1, word = "";
      words.forEach(function (w) {
        var at = rest.toLowerCase().indexOf(w.toLowerCase());
        if (at >= 0 && (best < 0 || at < best)) { best = at; word = w; }
      });
      if (best < 0) break;
      parts.push(rest.slice(0, best), el("mark", {}, [rest.slice(best, best + word.length)]));
      rest = rest.slice(best + word.length);
    }
    parts.push(rest);
    return parts;
  }

  /* Pagefind's excerpt is text with <mark> around matches: keep the marks, decode the rest as text. */
  function excerpt(html) {
    var parser = new DOMParser();
    return html.split(/(<mark>|<\/mark>)/).reduce(function (acc, piece) {
      if (piece === "<mark>") acc.open = true;
      else if (piece === "</mark>") acc.open = false;
      else if (piece) {
        var text = parser.parseFromString(piece, "text/html").body.textContent || "";
        var last = acc.nodes[acc.nodes.length - 1];
        if (acc.open && last instanceof Element) last.append(text); // one mark per match, not per character
        else acc.nodes.push(acc.open ? el("mark", {}, [text]) : text);
      }
      return acc;
    }, { nodes: [], open: false }).nodes;
  }

  function href(url) { return new URL(url.replace(/^\//, ""), root).href; }

  function chips(meta) {
    if (!meta.narratives) return null;
    var list = el("ul", { "class": "rc-search-result__chips", "aria-label": "专题" });
    meta.narratives.split("|").forEach(function (pair) {
      var at = pair.indexOf(":");
      list.append(el("li", {}, [el("a", { href: href(config.narrative.replace("{}", pair.slice(0, at))) }, [pair.slice(at + 1)])]));
    });
    return list;
  }

  function facts(meta) {
    var line = el("p", { "class": "rc-search-result__meta" }, [el("span", { "class": "rc-search-result__kind" }, [meta.kind || ""])]);
    if (meta.date) line.append(" ", el("span", {}, [meta.date]));
    if (meta.city) line.append(" · ", meta.city);
    return line;
  }

  function resultItem(data, term) {
    var meta = data.meta || {};
    var title = meta.title || meta.name || data.url;
    var item = el("li", { "class": "rc-search-result" });
    if (meta.image) {
      item.append(el("img", { "class": "rc-search-result__img", src: href(meta.image), alt: meta.image_alt || "",
                              width: "120", height: "80", loading: "lazy", decoding: "async" }));
    }
    var text = el("div", { "class": "rc-search-result__text" }, [
      el("h2", { "class": "rc-search-result__title" }, [el("a", { href: href(data.url) }, marked(title, term))]),
      facts(meta)
    ]);
    var c = chips(meta);
    if (c) text.append(c);
    text.append(el("p", { "class": "rc-search-result__excerpt" },
                   data.rcPinyin ? ["拼音与标题相符"] : excerpt(data.excerpt || "")));
    item.append(text);
    return item;
  }

  /* The fragments of these results (one per page). A result found by no word of its text
     matched its title's pinyin (the meta field): its excerpt would only repeat the title. */
  async function pageData(results) {
    var data = await Promise.all(results.map(function (r) { return r.data(); }));
    data.forEach(function (d, i) {
      var r = results[i];
      d.rcPinyin = !r.words.length && (r.matchedMetaFields || []).indexOf(config.pinyin) >= 0;
    });
    return data;
  }

  /* --- the header box: a short list as the reader types, Enter opens the results page --- */
  var input = box.querySelector("[data-rc-search-input]");
  var status = box.querySelector("[data-rc-search-status]");
  var list = box.querySelector("[data-rc-search-list]");
  var toggle = document.getElementById("__search");
  var timer = 0, latest = 0;

  async function suggest() {
    var query = input.value;
    var ticket = ++latest;
    if (!query.trim()) { list.replaceChildren(); status.textContent = "键入关键词，按回车查看全部结果"; return; }
    status.textContent = "正在搜索…";
    var out = await run(query);
    var shown = await pageData(out.res.results.slice(0, SUGGEST));
    if (ticket !== latest) return;
    list.replaceChildren.apply(list, shown.map(function (d) {
      var meta = d.meta || {};
      return el("li", { "class": "md-search-result__item" }, [
        el("a", { "class": "md-search-result__link", href: href(d.url) }, [
          el("article", { "class": "md-search-result__article md-typeset" }, [
            el("h1", {}, marked(meta.title || meta.name || d.url, out.term)),
            el("p", {}, [(meta.kind || "") + (meta.date ? " · " + meta.date : "") + (meta.city ? " · " + meta.city : "")])
          ])
        ])
      ]);
    }));
    var all = el("li", { "class": "md-search-result__item rc-search-all" }, [
      el("a", { "class": "md-search-result__link", href: resultsPage + "?q=" + encodeURIComponent(query) },
         [el("article", { "class": "md-search-result__article md-typeset" }, [el("p", {}, ["查看全部结果和筛选 →"])])])
    ]);
    if (out.res.results.length) list.append(all);
    status.textContent = out.res.results.length ? "找到约 " + out.res.results.length + " 个结果" : "没有找到相关内容";
  }

  input.addEventListener("focus", load, { once: true });
  input.addEventListener("input", function () { clearTimeout(timer); timer = setTimeout(suggest, 150); });
  if (toggle) {
    toggle.addEventListener("change", function () { if (toggle.checked) input.focus(); });
  }
  box.addEventListener("keydown", function (ev) {
    if (ev.key === "Escape" && toggle) { toggle.checked = false; input.blur(); }
  });
  form.addEventListener("reset", function () { list.replaceChildren(); });

  /* --- the results page --- */
  var page = document.querySelector("[data-rc-search-page]");
  if (!page) return;
  var pageInput = page.querySelector("input[name=q]");
  var ui = page.querySelector("[data-rc-search-ui]");
  var count = page.querySelector("[data-rc-search-count]");
  var results = page.querySelector("[data-rc-search-results]");
  var more = page.querySelector("[data-rc-search-more]");
  var filterBox = page.querySelector("[data-rc-search-filters]");
  var sortBox = page.querySelector("[data-rc-search-sort]");
  var browse = page.querySelector("[data-rc-search-browse]");
  var fold = page.querySelector("[data-rc-search-filter-toggle]");
  var chosen = {};

  /* 筛选: on narrow screens the filters fold (search.css); the button opens them and says
     how many are chosen while they are folded. */
  function foldLabel() {
    var n = Object.keys(chosen).reduce(function (sum, g) { return sum + chosen[g].length; }, 0);
    fold.querySelector("[data-rc-search-filter-count]").textContent = n ? "（已选 " + n + " 项）" : "";
  }
  fold.addEventListener("click", function () {
    var open = fold.getAttribute("aria-expanded") !== "true";
    fold.setAttribute("aria-expanded", String(open));
    filterBox.classList.toggle("rc-search-filters--open", open);
  });
  var state = { all: [], shown: 0, term: "" };

  function filterOptions() {
    var filters = {};
    Object.keys(chosen).forEach(function (g) { if (chosen[g].length) filters[g] = { any: chosen[g] }; });
    return filters;
  }

  function drawFilters(res) {
    foldLabel();
    filterBox.replaceChildren();
    GROUPS.forEach(function (group) {
      var total = (res.totalFilters || {})[group[0]] || {};
      var now = (res.filters || {})[group[0]] || {};
      var values = Object.keys(total).filter(function (v) { return total[v] > 0 || (chosen[group[0]] || []).includes(v); });
      if (!values.length) return;
      values.sort(group[0] === "year" ? function (a, b) { return b.localeCompare(a); }
                                      : function (a, b) { return (total[b] - total[a]) || a.localeCompare(b); });
      var set = el("fieldset", { "class": "rc-search-filters__group" }, [el("legend", {}, [group[1]])]);
      values.forEach(function (value) {
        var id = "rc-f-" + group[0] + "-" + Array.from(value).map(function (c) { return c.codePointAt(0).toString(36); }).join("");
        var box = el("input", { type: "checkbox", id: id, value: value });
        box.checked = (chosen[group[0]] || []).includes(value);
        box.addEventListener("change", function () {
          var picked = chosen[group[0]] || [];
          chosen[group[0]] = box.checked ? picked.concat([value]) : picked.filter(function (v) { return v !== value; });
          search(id);
        });
        var n = now[value] || 0;
        set.append(el("div", { "class": "rc-search-filters__option" }, [box, el("label", { "for": id }, [
          value + " ", el("span", { "class": "rc-search-filters__count", "aria-label": "（" + n + " 个结果）" }, ["(" + n + ")"])
        ])]));
      });
      filterBox.append(set);
    });
  }

  async function showMore(focusFirst) {
    var batch = state.all.slice(state.shown, state.shown + PAGE);
    state.shown += batch.length;
    var next = await pageData(batch);
    var items = next.map(function (d) { return resultItem(d, state.term); });
    items.forEach(function (i) { results.append(i); });
    more.hidden = state.shown >= state.all.length;
    if (focusFirst && items.length) items[0].querySelector("a").focus();
  }

  async function search(focusId) {
    var query = pageInput.value;
    var params = new URLSearchParams(location.search);
    if (query) params.set("q", query); else params.delete("q");
    history.replaceState(null, "", "?" + params.toString());
    if (!query.trim()) { ui.hidden = true; browse.hidden = false; return; }
    ui.hidden = false;
    count.textContent = "正在搜索…";
    var sort = sortBox.value ? "date" : null;
    await counts();
    var out = await run(query, filterOptions(), sort);
    state = { all: out.res.results, shown: 0, term: out.term };
    results.replaceChildren();
    drawFilters(out.res);
    await showMore(false);
    var n = state.all.length;
    count.textContent = n
      ? "“" + query + "”：找到 " + n + " 个结果"
      : "没有找到与“" + query + "”相关的内容。可以换个说法，或按专题和年份浏览：";
    browse.hidden = state.all.length > 0;
    if (focusId) { var again = document.getElementById(focusId); if (again) again.focus(); }
  }

  page.querySelector("form").addEventListener("submit", function (ev) { ev.preventDefault(); chosen = {}; search(); });
  sortBox.addEventListener("change", function () { search("rc-search-sort"); });
  more.addEventListener("click", function () { showMore(true); });
  var initial = new URLSearchParams(location.search).get("q") || "";
  pageInput.value = initial;
  if (initial) search(); else counts();
})();
