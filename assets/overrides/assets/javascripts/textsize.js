/* Text-size control (字号 A− A A+): enlarges article text for older readers and
 * remembers the choice in localStorage. The scale is the CSS custom property
 * --rc-scale (site.css); an inline script in main.html applies a saved scale
 * before first paint, this file wires the buttons. */
(function () {
  "use strict";
  var KEY = "rc-text-scale";
  var STEPS = [1, 1.15, 1.3, 1.5, 1.75, 2];
  var root = document.documentElement;

  function saved() {
    try {
      var value = parseFloat(localStorage.getItem(KEY));
      return STEPS.indexOf(value) >= 0 ? value : 1;
    } catch (e) {
      return 1; /* storage blocked (private mode, file://): the control still works for this page */
    }
  }

  function apply(control, value) {
    root.style.setProperty("--rc-scale", String(value));
    var index = STEPS.indexOf(value);
    control.querySelector("[data-rc-step='-1']").disabled = index <= 0;
    control.querySelector("[data-rc-step='1']").disabled = index >= STEPS.length - 1;
    control.querySelector("[data-rc-step='0']").setAttribute("aria-pressed", String(index === 0));
    control.querySelector("output").textContent = Math.round(value * 100) + "%";
  }

  function init() {
    var control = document.querySelector("[data-rc-textsize]");
    if (!control) return;
    var value = saved();
    apply(control, value);
    control.hidden = false;
    control.addEventListener("click", function (event) {
      var button = event.target.closest("button[data-rc-step]");
      if (!button) return;
      var step = parseInt(button.getAttribute("data-rc-step"), 10);
      var index = step === 0 ? 0 : Math.min(Math.max(STEPS.indexOf(value) + step, 0), STEPS.length - 1);
      value = STEPS[index];
      try {
        if (value === 1) localStorage.removeItem(KEY);
        else localStorage.setItem(KEY, String(value));
      } catch (e) { /* not remembered, still applied */ }
      apply(control, value);
    });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
