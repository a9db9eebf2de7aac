/* A transcript's times seek the lecture recording: click 1:05 and the audio plays from 1:05. */
document.addEventListener("click", function (event) {
  var button = event.target.closest(".rc-transcript__time");
  if (!button) return;
  var facts = button.closest(".rc-facts");
  var audio = facts && facts.querySelector("audio");
  if (!audio) return;
  var start = parseFloat(button.getAttribute("data-start"));
  if (isNaN(start)) return;
  var seek = function () {
    audio.currentTime = start;
    audio.play().catch(function () { /* autoplay refused: the position is still set */ });
  };
  // preload="none": the position can be set only once the browser knows the file's length.
  if (audio.readyState >= 1) seek();
  else { audio.addEventListener("loadedmetadata", seek, { once: true }); audio.load(); }
});
