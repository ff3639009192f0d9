// Quote the accepted reports of a round into the committee's report (reports/edit.html):
// "Trích vào mục này" appends "Unit: text" to the end of the section's box, a blank line
// apart (a new paragraph). Without this script the buttons stay hidden and the text is
// there to copy.
(function () {
  "use strict";
  function show() {
    var buttons = document.querySelectorAll("[data-quote]");
    Array.prototype.forEach.call(buttons, function (button) {
      button.hidden = false;
    });
  }
  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("[data-quote]");
    if (!button) {
      return;
    }
    var box = document.getElementById(button.getAttribute("data-quote-target"));
    if (!box) {
      return;
    }
    var quote = button.getAttribute("data-quote-text");
    var current = box.value.replace(/\s+$/, "");
    box.value = current ? current + "\n\n" + quote : quote;
    box.dispatchEvent(new Event("input", { bubbles: true }));
    box.focus();
    box.setSelectionRange(box.value.length, box.value.length);
  });
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", show);
  } else {
    show();
  }
})();
