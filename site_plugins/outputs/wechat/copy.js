// 复制到公众号, on story and lecture pages of the preview only (scripts/serve; adapters/wechat.py).
// Copies the article kept in <template data-rc-wechat-article> (the HTML scripts/wechat writes) as
// text/html, image addresses made absolute; without the async clipboard API, a selection and
// execCommand("copy") do it.
(function () {
  "use strict";

  function article(box) {
    var holder = document.createElement("div");
    holder.appendChild(box.querySelector("template[data-rc-wechat-article]").content.cloneNode(true));
    holder.querySelectorAll("img[src]").forEach(function (img) {
      img.setAttribute("src", new URL(img.getAttribute("src"), document.baseURI).href);
    });
    return holder;
  }

  function copyBySelection(holder) {
    holder.style.position = "fixed";
    holder.style.left = "-10000px";
    holder.style.top = "0";
    document.body.appendChild(holder);
    var selection = window.getSelection();
    var range = document.createRange();
    range.selectNodeContents(holder);
    selection.removeAllRanges();
    selection.addRange(range);
    var done = false;
    try {
      done = document.execCommand("copy");
    } catch (error) {
      done = false;
    }
    selection.removeAllRanges();
    holder.remove();
    return done;
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-rc-wechat-copy]");
    if (!button) return;
    var box = button.closest("[data-rc-wechat]");
    var status = box.querySelector("[role=status]");
    var holder = article(box);
    function report(done) {
      status.textContent = done
        ? "已复制。请到公众号编辑器的正文里粘贴（Ctrl+V 或 ⌘V）。"
        : "没能复制。请改用 scripts/wechat 生成的 article.html（见编辑指南“发到公众号”）。";
    }
    if (navigator.clipboard && window.ClipboardItem) {
      var item = new ClipboardItem({
        "text/html": new Blob([holder.innerHTML], { type: "text/html" }),
        "text/plain": new Blob([holder.textContent], { type: "text/plain" }),
      });
      navigator.clipboard.write([item]).then(
        function () { report(true); },
        function () { report(copyBySelection(holder)); }
      );
    } else {
      report(copyBySelection(holder));
    }
  });
})();
