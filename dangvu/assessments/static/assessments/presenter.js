/* dangvu — the presenter's screen: one button to fill the projector's screen. */
(function () {
  "use strict";
  var button = document.getElementById("toan-man-hinh");
  var root = document.documentElement;
  if (!button || !root.requestFullscreen) return;
  button.hidden = false;
  button.addEventListener("click", function () {
    if (document.fullscreenElement) document.exitFullscreen();
    else root.requestFullscreen();
  });
  document.addEventListener("fullscreenchange", function () {
    button.textContent = document.fullscreenElement ? "Thu nhỏ" : "Toàn màn hình";
  });
})();
