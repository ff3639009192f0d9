// Small behaviours of the pages, kept out of the HTML: the Content-Security-Policy allows
// scripts from this site's own files only (no inline handlers, no eval).
(function () {
  "use strict";

  // The top bar's menu: "Menu" folds and unfolds it on phones; Escape closes it (and any open
  // group, on desktop too) and gives the focus back; opening one group closes the others.
  function topbar() { return document.querySelector(".topbar"); }
  function setMenu(open) {
    var bar = topbar();
    var toggle = bar && bar.querySelector("[data-menu-toggle]");
    if (!toggle) return;
    bar.classList.toggle("menu-open", open);
    toggle.setAttribute("aria-expanded", open ? "true" : "false");
  }
  function openGroups() {
    return Array.prototype.slice.call(document.querySelectorAll(".topbar details.menu[open]"));
  }
  document.addEventListener("toggle", function (event) {
    var group = event.target;
    if (group.matches && group.matches(".topbar details.menu") && group.open) {
      openGroups().forEach(function (other) { if (other !== group) other.open = false; });
    }
  }, true);
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") return;
    var groups = openGroups();
    var bar = topbar();
    if (groups.length) {
      groups.forEach(function (g) { g.open = false; });
      groups[0].querySelector("summary").focus();
    } else if (bar && bar.classList.contains("menu-open")) {
      setMenu(false);
      bar.querySelector("[data-menu-toggle]").focus();
    }
  });

  document.addEventListener("click", function (event) {
    var toggle = event.target.closest("[data-menu-toggle]");
    if (toggle) {
      setMenu(toggle.getAttribute("aria-expanded") !== "true");
      return;
    }
    // A click outside the bar folds the desktop drop-downs.
    if (!event.target.closest(".topbar")) {
      openGroups().forEach(function (g) { g.open = false; });
    }
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
    // A form whose work takes seconds (data-busy="Đang xử lý…", a button's own data-busy
    // first) says so on the button pressed, and is not sent twice. The button is disabled
    // after the submission has read it.
    var button = event.submitter;
    var busy = form.getAttribute("data-busy") && ((button && button.getAttribute("data-busy")) || form.getAttribute("data-busy"));
    if (busy && !event.defaultPrevented && button) {
      setTimeout(function () {
        button.disabled = true;
        button.textContent = busy;
        form.setAttribute("aria-busy", "true");
      }, 0);
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
