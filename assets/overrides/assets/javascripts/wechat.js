/* 复制 buttons (button[data-rc-copy], every browser) and WeChat's browser.
 * main.html's first script marks <html> with .rc-wechat (MicroMessenger in the user agent) before first
 * paint, and site.css shows there what replaces each action WeChat blocks (site_plugins/outputs/pages/wxbrowser.py).
 * Here, in WeChat only: recordings play in the page, and any other link WeChat cannot open (webcal:,
 * .ics, feeds, OPML; say one an editor wrote) leads to /subscribe/, where the address is copied. */
(function () {
  "use strict";
  var root = document.documentElement;
  var BLOCKED = /^webcal:|\.(ics|xml|json|opml)(?:[?#]|$)/i;

  function fallbackCopy(text) {
    /* Older in-app browsers have no async clipboard: copy from a selected, off-screen textarea. */
    var area = document.createElement("textarea");
    area.value = text;
    area.setAttribute("readonly", "");
    area.style.position = "fixed";
    area.style.top = "-100px";
    document.body.appendChild(area);
    area.select();
    var ok = false;
    try { ok = document.execCommand("copy"); } catch (e) { ok = false; }
    document.body.removeChild(area);
    return ok ? Promise.resolve() : Promise.reject(new Error("copy"));
  }

  function copy(text) {
    if (navigator.clipboard && window.isSecureContext) {
      return navigator.clipboard.writeText(text).catch(function () { return fallbackCopy(text); });
    }
    return fallbackCopy(text);
  }

  function addStatus(button) {
    /* A live region per button, present before it speaks (one added when it speaks is often not read out). */
    var status = document.createElement("span");
    status.className = "rc-copy__status";
    status.setAttribute("role", "status");
    button.parentNode.insertBefore(status, button.nextSibling);
  }

  function say(button, message) {
    var status = button.nextElementSibling;
    status.textContent = message;
    clearTimeout(button.rcTimer);
    button.rcTimer = setTimeout(function () { status.textContent = ""; }, 4000);
  }

  function selectText(button) {
    /* Copying refused: select the text beside the button, so a long press copies it. */
    var text = button.parentNode.querySelector(".rc-copy__text");
    if (!text) return;
    var range = document.createRange();
    range.selectNodeContents(text);
    var selection = window.getSelection();
    selection.removeAllRanges();
    selection.addRange(range);
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest("button[data-rc-copy]");
    if (!button) return;
    copy(button.getAttribute("data-rc-copy")).then(
      function () { say(button, "已复制"); },
      function () { selectText(button); say(button, "请长按选中的文字复制"); }
    );
  });

  function inWeChat() {
    var subscribe = root.getAttribute("data-rc-subscribe");
    document.querySelectorAll("a[href]").forEach(function (link) {
      if (subscribe && BLOCKED.test(link.getAttribute("href")) && !link.closest(".rc-wx-hide")) {
        link.setAttribute("href", subscribe);
        link.removeAttribute("download");
        link.removeAttribute("type");
      }
    });
    /* In the page, not a full-screen player (playsinline; webkit- for older iOS, x5- for WeChat's older Android engine). */
    document.querySelectorAll("audio, video").forEach(function (media) {
      ["playsinline", "webkit-playsinline", "x5-playsinline"].forEach(function (name) { media.setAttribute(name, ""); });
    });
  }

  function init() {
    document.querySelectorAll("button[data-rc-copy]").forEach(addStatus);
    if (root.classList.contains("rc-wechat")) inWeChat();
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
