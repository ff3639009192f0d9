// The unit picker (units/picker.html): type a few letters of a unit's name, choose one of
// the units found, and the unit's code goes into the form in the box's place. Without this
// script the box itself is sent, and the server reads a code, or a name (units/widgets.py).
(function () {
  "use strict";
  if (window.dangvuUnitPicker) {
    return; // one copy per page, however many pickers include it
  }
  window.dangvuUnitPicker = true;
  var DELAY = 250;
  var timers = new WeakMap();

  function parts(picker) {
    return {
      name: picker.getAttribute("data-name"),
      box: picker.querySelector("[data-unit-picker-box]"),
      value: picker.querySelector("[data-unit-picker-value]"),
      list: picker.querySelector("[data-unit-picker-list]")
    };
  }

  // The code is sent (the hidden input holds the name); the box shows the unit's label.
  function holdCode(p, code) {
    p.value.value = code;
    p.value.setAttribute("name", p.name);
    p.box.removeAttribute("name");
  }

  // Typing again: the box's text is sent, until a unit is chosen.
  function holdText(p) {
    p.value.value = "";
    p.value.removeAttribute("name");
    p.box.setAttribute("name", p.name);
  }

  function setup(root) {
    var pickers = (root || document).querySelectorAll("[data-unit-picker]");
    Array.prototype.forEach.call(pickers, function (picker) {
      if (picker.hasAttribute("data-ready")) {
        return;
      }
      picker.setAttribute("data-ready", "");
      var p = parts(picker);
      if (p.value.value) {
        holdCode(p, p.value.value);
      }
    });
  }

  function search(picker) {
    var p = parts(picker);
    var query = p.box.value.trim();
    if (query.length < 2) {
      p.list.innerHTML = "";
      return;
    }
    var url = new URL(p.box.getAttribute("data-pick-url"), window.location.href);
    url.searchParams.set("q", query);
    fetch(url.toString(), { credentials: "same-origin", headers: { "HX-Request": "true" } })
      .then(function (response) {
        return response.ok ? response.text() : "";
      })
      .then(function (html) {
        if (p.box.value.trim() === query) {
          p.list.innerHTML = html; // the server's own escaped fragment (units/_picks.html)
        }
      })
      .catch(function () {
        p.list.innerHTML = "";
      });
  }

  function choose(picker, button) {
    var p = parts(picker);
    holdCode(p, button.getAttribute("data-unit-code"));
    p.box.value = button.getAttribute("data-unit-label");
    p.list.innerHTML = "";
    p.box.focus();
    picker.dispatchEvent(
      new CustomEvent("unit-picker:chosen", {
        bubbles: true,
        detail: { code: p.value.value, label: p.box.value }
      })
    );
  }

  document.addEventListener("input", function (event) {
    var box = event.target;
    if (!box.matches || !box.matches("[data-unit-picker-box]")) {
      return;
    }
    var picker = box.closest("[data-unit-picker]");
    holdText(parts(picker));
    clearTimeout(timers.get(picker));
    timers.set(
      picker,
      setTimeout(function () {
        search(picker);
      }, DELAY)
    );
  });

  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("[data-unit-code]");
    var picker = button && button.closest("[data-unit-picker]");
    if (picker) {
      event.preventDefault();
      choose(picker, button);
    }
  });

  // Arrow keys walk from the box through the units found; Escape closes the list.
  document.addEventListener("keydown", function (event) {
    var picker = event.target.closest && event.target.closest("[data-unit-picker]");
    if (!picker) {
      return;
    }
    var p = parts(picker);
    var buttons = Array.prototype.slice.call(p.list.querySelectorAll("[data-unit-code]"));
    var at = buttons.indexOf(event.target);
    if (event.key === "ArrowDown" && buttons.length) {
      event.preventDefault();
      buttons[Math.min(at + 1, buttons.length - 1)].focus();
    } else if (event.key === "ArrowUp" && at >= 0) {
      event.preventDefault();
      (at === 0 ? p.box : buttons[at - 1]).focus();
    } else if (event.key === "Escape" && p.list.innerHTML) {
      event.preventDefault();
      p.list.innerHTML = "";
      p.box.focus();
    }
  });

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () {
      setup(document);
    });
  } else {
    setup(document);
  }
  document.addEventListener("htmx:load", function (event) {
    setup(event.target);
  });
})();
