// Accessibility of Decap CMS's own screens (tests/test_admin_axe.py; docs/ADMIN.md). Decap is used as
// it ships (pinned in package.json); what it leaves out is added here, by two means:
// 1. Decap's own API: the phrases its Chinese locale lacks are registered with CMS.registerLocale
//    (Decap merges a locale over English, so every missing phrase reached editors in English, among
//    them aria-labels such as "Set date to now" on the button showing 现在).
// 2. Names, states and roles Decap does not render: a MutationObserver patches its elements after
//    React commits them. Every fix sets only what is missing or wrong, so the observer's own changes
//    settle at once, and React, which diffs against its props and not the DOM, leaves them in place.
//    Colours are fixed in rc-admin.css.

// ---- 1. Chinese phrases Decap 3.16.3's zh_Hans lacks (found by comparing it with `en`) ------------
const PHRASES = {
  auth: { loginWithForgejo: "使用 Forgejo 登录" },
  collection: {
    collectionTop: { viewAsList: "列表视图", viewAsGrid: "网格视图" },
    entries: { unpublishedHeader: "未发布的内容" },
  },
  editor: {
    editorControl: { field: { widgetLabel: "%{widgetLabel} 字段" } },
    editorControlPane: {
      widget: {
        rangeMin: "%{fieldLabel}至少要有 %{minCount} 项。",
        rangeMax: "%{fieldLabel}最多只能有 %{maxCount} 项。",
      },
    },
    editorInterface: { toggleNotes: "显示或隐藏批注" },
    editorNotesPane: {
      title: "批注", emptyState: "还没有批注。在下面写第一条，和同事一起修改。", addNote: "添加批注",
      addPlaceholder: "写一条批注…", editPlaceholder: "修改批注…", save: "保存", cancel: "取消", edit: "修改",
      delete: "删除", resolve: "标为已解决", unresolve: "标为未解决", confirmDelete: "确定要删除这条批注吗？",
      shortcut: "提示：按 Ctrl+Enter 即可添加批注",
    },
    editorToolbar: {
      statusInfoTooltipDraft: "内容的状态是草稿。写完后把状态设为“审核中”，交给审核。",
      statusInfoTooltipInReview: "内容正在审核，不需要再做什么；审核期间仍可继续修改。",
    },
    editorWidgets: {
      markdown: {
        strikethrough: "删除线",
        toggleMode: { rich: "切换到富文本模式", markdown: "切换到 Markdown 模式" },
      },
      image: { chooseMultiple: "选择多张图片", addMore: "添加更多图片", removeAll: "移除全部图片" },
      file: { chooseMultiple: "选择多个文件", addMore: "添加更多文件", removeAll: "移除全部文件" },
      // Decap fills %{fieldLabel} with the field's key (date), not its label: leave it out. The
      // button shows 现在, and its name must contain what it shows (WCAG 2.5.3).
      datetime: { setToNow: "设为现在" },
      list: { addType: "添加%{item}" },
      object: { expand: "展开", collapse: "收起" },
    },
  },
  mediaLibrary: { mediaLibraryModal: { close: "关闭" } },
  ui: {
    settingsDropdown: { account: "账户选项" },
    toast: {
      noteAdded: "批注已添加", onFailToAddNote: "批注添加失败：%{details}", noteUpdated: "批注已更新",
      onFailToUpdateNote: "批注更新失败：%{details}", noteDeleted: "批注已删除",
      onFailToDeleteNote: "批注删除失败：%{details}", noteResolved: "批注已标为解决", noteReopened: "批注已重新打开",
      onFailToToggleNote: "批注状态修改失败：%{details}",
    },
  },
};

function merged(base, extra) {
  const out = { ...base };
  for (const [key, value] of Object.entries(extra)) {
    out[key] = value && typeof value === "object" ? merged(base?.[key] || {}, value) : value;
  }
  return out;
}

/** Register the missing phrases over Decap's own zh_Hans (before CMS.init()). */
export function registerChinese(CMS) {
  CMS.registerLocale("zh_Hans", merged(CMS.getLocale("zh_Hans") || {}, PHRASES));
}

// ---- 2. The patcher ---------------------------------------------------------------------------
function set(el, name, value) {
  if (el.getAttribute(name) !== value) el.setAttribute(name, value);
}

let serial = 0;
const redirected = new WeakSet();
const framed = new WeakSet();
function idOf(el) {
  if (!el.id) el.id = `rc-a11y-${++serial}`;
  return el.id;
}

// The field label of a control: Decap renders <label for=…> in the field's top bar, which names
// only native inputs; a rich-text body (a contenteditable div) is named with aria-labelledby.
function fieldLabel(el) {
  const field = el.closest('[class*="ControlContainer"]');
  return field && field.querySelector(':scope > [class*="ControlTopbar"] > label');
}

function patchFrame(frame) {
  const doc = frame.contentDocument;
  if (!doc?.documentElement) return;
  set(doc.documentElement, "lang", "zh-CN");
  if (doc.title !== "预览") doc.title = "预览";
}

const FIXES = [
  // The preview pane is an iframe without a title (WCAG 4.1.2), holding a document without a
  // language or title of its own: Chinese text would be read with the reader's default voice.
  ["iframe#preview-pane", (el) => {
    set(el, "title", "预览");
    patchFrame(el);
    if (!framed.has(el)) {
      framed.add(el);
      el.addEventListener("load", () => patchFrame(el)); // srcdoc replaces the first, blank document
    }
  }],

  // The rich-text body (Slate) has role=textbox and no name.
  ['[data-slate-editor][role="textbox"]', (el) => {
    const label = fieldLabel(el);
    if (label && !el.hasAttribute("aria-label")) set(el, "aria-labelledby", idOf(label));
  }],

  // Decap's Toggle (the rich-text toolbar's 富文本/Markdown switch, boolean fields) renders no
  // aria-checked until it is first clicked: it starts from its value, undefined for "off".
  ['button[role="switch"]:not([aria-checked])', (el) => el.setAttribute("aria-checked", "false")],
  // The toolbar's switch has no name either (Toggle drops the aria-label Decap gives it): it is
  // named by the visible word after it, Markdown, and is checked when Markdown mode is on.
  ['[class*="ToolbarToggle"] > button[role="switch"]', (el) => {
    const word = el.nextElementSibling;
    if (word && word.textContent.trim() && !el.hasAttribute("aria-label")) set(el, "aria-labelledby", idOf(word));
  }],

  // The toolbar's dropdowns (标题, 添加组件) nest a <button> inside react-aria-menubutton's
  // span[role=button]: two tab stops, and a control inside a control. The inner <button>, which
  // shows the icon and its title, becomes the menu button: it takes over aria-haspopup and
  // aria-expanded (React sets the latter on the span at every toggle; moved again each time). The
  // span keeps its handlers (events bubble to it) but is no longer a control, and focus the
  // library gives it on closing the menu goes on to the button.
  ['span[aria-haspopup], span[data-rc-menu]', (el) => {
    const inner = el.querySelector(":scope > button");
    if (!inner) return;
    set(el, "data-rc-menu", "");
    if (el.hasAttribute("role")) el.removeAttribute("role");
    set(el, "tabindex", "-1");
    set(inner, "aria-haspopup", "menu");
    const expanded = el.getAttribute("aria-expanded");
    if (expanded !== null || !inner.hasAttribute("aria-expanded")) set(inner, "aria-expanded", expanded === "true" ? "true" : "false");
    el.removeAttribute("aria-expanded");
    el.removeAttribute("aria-haspopup");
    if (!redirected.has(el)) {
      redirected.add(el);
      el.addEventListener("focus", () => el.querySelector(":scope > button")?.focus());
    }
  }],

  // Dropdown menus: react-aria-menubutton's role=menu wraps Decap's <ul>, whose children are
  // role=menuitem divs; the list is layout only.
  ['[role="menu"] > ul', (el) => set(el, "role", "none")],

  // A list item's top bar (e.g. a lecture's speakers): a chevron button, a drag handle and a ×
  // button, all icons without names.
  ['[class*="ListItemTopBar"]', (bar) => {
    const [first, handle, last] = bar.children;
    if (first?.tagName === "BUTTON") {
      // The chevron points down when the item is open (Decap rotates it to point right when closed).
      const icon = first.firstElementChild;
      const transform = icon ? getComputedStyle(icon).transform : "none";
      set(first, "aria-label", "展开或收起此项");
      set(first, "aria-expanded", transform === "none" || transform.startsWith("matrix(1,") ? "true" : "false");
    }
    if (handle?.getAttribute("role") === "button") set(handle, "aria-label", "拖动此项调整顺序");
    if (last?.tagName === "BUTTON") set(last, "aria-label", "删除此项");
  }],

  // The media library dialog is named by its heading (图片 from a field, 媒体资源 from the header).
  ['[role="dialog"]', (el) => {
    const heading = el.querySelector("h1");
    if (heading && !el.hasAttribute("aria-label")) set(el, "aria-labelledby", idOf(heading));
  }],
  // Its cards show each file's name under the thumbnail: the thumbnail itself is decorative.
  ['[class*="CardImage"]:is(img):not([alt])', (el) => set(el, "alt", "")],
];

// react-aria-menubutton closes its menu a tick (setTimeout 0) after any focusout from its button or
// menu, unless focus is by then on its button, which it takes to be the span. Focus now rests on the
// inner <button> instead, so the focus the library hands back to its button (Escape, a choice: menu
// item → span → inner button, two focusouts) closed the menu whenever it had been opened again
// before that tick: ArrowDown at once after Escape, on a busy machine. Focus moving to a menu button
// from within it or from its own menu (the library's Wrapper holds both) is no blur of that menu
// button, and does not reach React.
function keepFocusInMenuButton(event) {
  const to = event.relatedTarget;
  const button = to instanceof Element ? to.closest("span[data-rc-menu]") : null;
  if (!button || !(event.target instanceof Element)) return;
  const menu = event.target.closest('[role="menu"]');
  if (button.contains(event.target) || menu?.parentElement?.contains(button)) event.stopPropagation();
}

function patch(root) {
  for (const [selector, fix] of FIXES) {
    for (const el of root.querySelectorAll(selector)) fix(el);
  }
}

/** Patch Decap's screens now and after React's changes: one run per burst of mutations (0.08 ms on a lecture). */
export function patchAccessibility(root = document.body) {
  let queued = false;
  const run = () => {
    queued = false;
    patch(root);
  };
  new MutationObserver(() => {
    if (!queued) {
      queued = true;
      queueMicrotask(run);
    }
  }).observe(root, {
    subtree: true, childList: true, attributes: true,
    attributeFilter: ["class", "role", "aria-expanded", "aria-checked", "tabindex", "src"],
  });
  root.addEventListener("focusout", keepFocusInMenuButton, true); // before React's listeners, on its root below
  run();
}
