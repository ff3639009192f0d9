// Small behaviours of the pages, kept out of the HTML: the Content-Security-Policy allows
// scripts from this site's own files only (no inline handlers, no eval).
(function () {
  "use strict";
  document.addEventListener("click", function (event) {
    var printer = event.target.closest("[data-print]");
    if (printer) {
      event.preventDefault();
      window.print();
    }
  });
  document.addEventListener("submit", function (event) {
    var form = event.target;
    var question = form.getAttribute("data-confirm");
    if (question && !window.confirm(question)) {
      event.preventDefault();
    }
  });
  // A tree node's "+" loads its children once, then shows "−".
  document.addEventListener("htmx:afterRequest", function (event) {
    var button = event.detail.elt;
    if (button && button.hasAttribute && button.hasAttribute("data-opens-once") && event.detail.successful) {
      button.setAttribute("aria-expanded", "true");
      button.textContent = "−";
      button.disabled = true;
    }
  });
})();
