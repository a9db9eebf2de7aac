/* 朗读: read a story or lecture aloud with the browser's own Chinese voice (docs/CARE.md).
 *
 * The button is in the page, hidden; it is shown only where speechSynthesis exists and has a
 * Chinese voice (voices arrive late in some browsers: voiceschanged). Android's WebView and
 * WeChat on Android have no speechSynthesis, so there the button never appears. Reading goes
 * paragraph by paragraph (the title, a lecture's facts, then the body), each highlighted
 * (.rc-reading) and scrolled into view; long paragraphs are spoken a sentence group at a time,
 * since some engines stop an utterance after about fifteen seconds. On a lecture with a
 * recording the bar first offers the recording itself (先听录音). */
(function () {
  "use strict";
  var bar = document.querySelector("[data-rc-readaloud]");
  if (!bar) return;
  var article = bar.closest("article") || document;
  var readButton = bar.querySelector("[data-rc-read]");
  var stopButton = bar.querySelector("[data-rc-read-stop]");
  var listen = bar.querySelector("[data-rc-listen]");
  var synth = window.speechSynthesis;
  var BLOCKS = "p, li, h2, h3, h4, h5, h6, blockquote, figcaption, dt, dd, td, th";
  var CHUNK = 120; // characters an utterance holds at most
  var state = "idle", queue = [], at = -1, session = 0, voice = null;

  /* 先听录音: the lecture's own recording, before any synthetic voice. */
  if (listen) {
    bar.hidden = false;
    listen.addEventListener("click", function () {
      var audio = article.querySelector(".rc-recording audio");
      var play = article.querySelector("[data-rc-play]:not([hidden])") || audio;
      if (!audio) return;
      if (state !== "idle") stop();
      play.scrollIntoView({ block: "center", behavior: motion() });
      play.focus({ preventScroll: true });
      audio.play().catch(function () { /* refused: the player is focused, the reader presses play */ });
    });
  }

  if (!synth || typeof window.SpeechSynthesisUtterance !== "function" || !readButton) return;

  function chineseVoice() {
    var voices = synth.getVoices() || [];
    var rank = function (v) {
      var lang = String(v.lang || "").replace("_", "-").toLowerCase();
      if (lang === "zh-cn" || lang === "cmn-cn" || lang === "cmn-hans-cn") return 0;
      if (lang === "zh" || lang.indexOf("zh-hans") === 0 || lang.indexOf("cmn") === 0) return 1;
      if (lang.indexOf("zh") === 0) return 2; // zh-TW, zh-HK: still reads the characters
      return -1;
    };
    return voices.filter(function (v) { return rank(v) >= 0; })
      .sort(function (a, b) { return rank(a) - rank(b); })[0] || null;
  }

  function offer() {
    voice = voice || chineseVoice();
    if (!voice) return;
    readButton.hidden = false;
    bar.hidden = false;
  }
  offer();
  if (synth.addEventListener) synth.addEventListener("voiceschanged", offer);
  else synth.onvoiceschanged = offer;

  function motion() {
    var still = document.documentElement.classList.contains("rc-care") ||
      (window.matchMedia && matchMedia("(prefers-reduced-motion: reduce)").matches);
    return still ? "auto" : "smooth";
  }

  /* What is read: the title, a lecture's facts (speaker, time, place), then the body's blocks
     that hold no other block (a list item with paragraphs is read as its paragraphs). */
  function parts() {
    var out = [];
    var title = article.querySelector("h1");
    if (title) out.push({ el: title, text: title.textContent });
    article.querySelectorAll(".rc-facts dt").forEach(function (dt) {
      var dd = dt.nextElementSibling;
      if (!dd || dd.tagName !== "DD" || dd.querySelector("audio, details, a")) return;
      out.push({ el: dd, text: dt.textContent + "：" + dd.textContent });
    });
    var body = article.querySelector(".rc-body");
    if (body) {
      body.querySelectorAll(BLOCKS).forEach(function (el) {
        if (el.querySelector(BLOCKS)) return;
        out.push({ el: el, text: el.textContent });
      });
    }
    return out.map(function (p) { return { el: p.el, text: p.text.replace(/\s+/g, " ").trim() }; })
      .filter(function (p) { return p.text; });
  }

  /* A paragraph as utterances of at most CHUNK characters, cut after 。！？； where possible. */
  function chunks(text) {
    var sentences = text.match(/[^。！？；!?;]+[。！？；!?;]*[”」』）)]*/g) || [text];
    var out = [], current = "";
    sentences.forEach(function (s) {
      while (s.length > CHUNK) { out.push(s.slice(0, CHUNK)); s = s.slice(CHUNK); }
      if ((current + s).length > CHUNK) { out.push(current); current = ""; }
      current += s;
    });
    if (current.trim()) out.push(current);
    return out;
  }

  function setState(next) {
    state = next;
    readButton.textContent = next === "reading" ? "暂停" : next === "paused" ? "继续" : "朗读";
    stopButton.hidden = next === "idle";
  }

  function mark(index) {
    article.querySelectorAll(".rc-reading").forEach(function (el) { el.classList.remove("rc-reading"); });
    if (index < 0 || index >= queue.length) return;
    queue[index].el.classList.add("rc-reading");
    queue[index].el.scrollIntoView({ block: "center", behavior: motion() });
  }

  function speak(index, pieces) {
    var mine = session;
    if (index >= queue.length) { stop(); return; }
    pieces = pieces || chunks(queue[index].text);
    if (index !== at) { at = index; mark(index); }
    var utterance = new window.SpeechSynthesisUtterance(pieces[0]);
    utterance.lang = voice.lang || "zh-CN";
    utterance.voice = voice;
    utterance.onend = function () {
      if (mine !== session) return; // stopped, or started again
      if (pieces.length > 1) speak(index, pieces.slice(1));
      else speak(index + 1);
    };
    utterance.onerror = function (event) {
      if (mine !== session || (event && (event.error === "interrupted" || event.error === "canceled"))) return;
      stop();
    };
    synth.speak(utterance);
  }

  function start() {
    session += 1;
    synth.cancel();
    queue = parts();
    at = -1;
    setState("reading");
    speak(0);
  }

  function stop() {
    session += 1;
    if (state !== "idle") synth.cancel();
    mark(-1);
    at = -1;
    setState("idle");
  }

  readButton.addEventListener("click", function () {
    if (state === "idle") start();
    else if (state === "reading") { synth.pause(); setState("paused"); }
    else { synth.resume(); setState("reading"); }
  });
  stopButton.addEventListener("click", function () { stop(); readButton.focus(); });
  window.addEventListener("pagehide", stop);
})();
