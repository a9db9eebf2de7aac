/* 分享 and 复制链接 on story and lecture pages (partials/rc-share.html).
 * 分享 shows the page's poster full-screen in a modal <dialog>: an <img>, so a long-press in
 * WeChat saves or forwards it. 复制链接 copies the page's canonical address with the Clipboard
 * API, or, where that is missing or refused (WeChat's older browsers, plain http), with a
 * selected text area and execCommand("copy"); if both fail, the address is shown to copy by
 * hand. Nothing is loaded from another host. */
(function () {
  "use strict";

  function init() {
    var box = document.querySelector("[data-rc-share]");
    var dialog = document.getElementById("rc-share");
    if (!box || !dialog) return;
    var url = box.getAttribute("data-rc-url");
    var opener = null;
    var modal = typeof dialog.showModal === "function";

    function say(from, text) {
      var scope = from.closest("[data-rc-share], [data-rc-share-inner]") || box;
      var status = scope.querySelector("[data-rc-share-status]");
      status.textContent = "";
      window.setTimeout(function () { status.textContent = text; }, 50); /* announced again on a second click */
    }

    function copyBySelection() {
      var area = document.createElement("textarea");
      area.value = url;
      area.setAttribute("readonly", "");
      area.className = "rc-share__copy";
      /* Inside an open modal dialog the rest of the page is inert: the text area goes in the dialog. */
      (dialog.open ? dialog : document.body).appendChild(area);
      area.select();
      area.setSelectionRange(0, url.length);
      var ok = false;
      try { ok = document.execCommand("copy"); } catch (e) { ok = false; }
      area.remove();
      return ok;
    }

    function copy(event) {
      var button = event.currentTarget;
      function done(ok) { say(button, ok ? "链接已复制" : "无法自动复制，请手动复制本页网址：" + url); }
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(url).then(function () { done(true); }, function () { done(copyBySelection()); });
      } else {
        done(copyBySelection());
      }
    }

    function open() {
      opener = document.activeElement;
      if (modal) {
        dialog.showModal();
      } else { /* no <dialog> support: shown as an overlay by share.css, closed with Esc below */
        dialog.setAttribute("open", "");
      }
      dialog.querySelector("[data-rc-share-close]").focus();
    }

    function close() {
      if (modal) {
        dialog.close(); /* its close event gives the focus back */
      } else {
        dialog.removeAttribute("open");
        if (opener) opener.focus();
      }
    }

    dialog.addEventListener("close", function () { if (opener) opener.focus(); });
    dialog.addEventListener("click", function (event) {
      /* a tap on the dark area around the poster, not on it or a button */
      if (event.target === dialog || event.target.hasAttribute("data-rc-share-inner")) close();
    });
    dialog.addEventListener("keydown", function (event) {
      if (!modal && event.key === "Escape") close();
    });
    box.querySelector("[data-rc-share-open]").addEventListener("click", open);
    dialog.querySelector("[data-rc-share-close]").addEventListener("click", close);
    document.querySelectorAll("[data-rc-copy-link]").forEach(function (button) {
      button.addEventListener("click", copy);
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
