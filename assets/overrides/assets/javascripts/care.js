/* 关怀版, 高对比 and the recording's play button (docs/CARE.md).
 *
 * 关怀版 is the class rc-care on <html>, remembered in localStorage ("rc-care" = "1"); the inline
 * script in main.html applies it before first paint, this file wires the header's switch.
 * 高对比 is Material's third palette scheme (rc-contrast, mkdocs.yml): its button clicks
 * Material's own palette input, so Material applies and remembers it like light and dark,
 * and a second press returns to the scheme the system prefers. */
(function () {
  "use strict";
  var KEY = "rc-care";
  var root = document.documentElement;

  function careSwitch() {
    var button = document.querySelector("[data-rc-care]");
    if (!button) return;
    var sync = function () { button.setAttribute("aria-pressed", String(root.classList.contains("rc-care"))); };
    sync();
    button.addEventListener("click", function () {
      var on = !root.classList.contains("rc-care");
      root.classList.toggle("rc-care", on);
      try {
        if (on) localStorage.setItem(KEY, "1");
        else localStorage.removeItem(KEY);
      } catch (e) { /* storage blocked: applied to this page only */ }
      sync();
    });
  }

  function contrastSwitch() {
    var button = document.querySelector("[data-rc-contrast]");
    var inputs = Array.prototype.slice.call(document.querySelectorAll("input[name='__palette']"));
    var contrast = inputs.filter(function (i) { return i.getAttribute("data-md-color-scheme") === "rc-contrast"; })[0];
    if (!button) return;
    if (!contrast) { button.hidden = true; return; } // a configuration without the scheme
    var scheme = function () { return document.body.getAttribute("data-md-color-scheme"); };
    var sync = function () { button.setAttribute("aria-pressed", String(scheme() === "rc-contrast")); };
    new MutationObserver(sync).observe(document.body, { attributes: true, attributeFilter: ["data-md-color-scheme"] });
    sync();
    button.addEventListener("click", function () {
      if (scheme() !== "rc-contrast") { contrast.click(); return; }
      var others = inputs.filter(function (i) { return i !== contrast; });
      var preferred = others.filter(function (i) {
        var media = i.getAttribute("data-md-color-media");
        return media && matchMedia(media).matches;
      })[0] || others[0];
      if (preferred) preferred.click();
    });
  }

  /* A large play button beside the recording's player (the player's own is small). */
  function playButtons() {
    document.querySelectorAll("[data-rc-play]").forEach(function (button) {
      var audio = button.closest(".rc-recording").querySelector("audio");
      if (!audio) return;
      var icon = button.querySelector("[aria-hidden]"), text = button.querySelector("[data-rc-play-text]");
      var label = function () {
        icon.textContent = audio.paused ? "▶" : "❚❚";
        text.textContent = audio.paused ? "播放录音" : "暂停录音";
      };
      audio.addEventListener("play", label);
      audio.addEventListener("pause", label);
      audio.addEventListener("ended", label);
      button.addEventListener("click", function () {
        if (audio.paused) audio.play().catch(label);
        else audio.pause();
      });
      label();
      button.hidden = false;
    });
  }

  function init() {
    careSwitch();
    contrastSwitch();
    playButtons();
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
