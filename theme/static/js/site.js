/* 长辈模式 (elderly-friendly mode): larger text and higher contrast, remembered across pages. No pop-up. */
(function () {
  "use strict";
  var KEY = "care-mode";
  var root = document.documentElement;

  function stored() {
    try { return window.localStorage.getItem(KEY) === "on"; } catch (e) { return false; }
  }

  function apply(on) {
    if (on) { root.setAttribute("data-mode", "care"); } else { root.removeAttribute("data-mode"); }
    var buttons = document.querySelectorAll("[data-care-toggle]");
    for (var i = 0; i < buttons.length; i++) {
      buttons[i].setAttribute("aria-pressed", on ? "true" : "false");
      buttons[i].textContent = on ? "退出长辈模式" : "长辈模式";
    }
  }

  // Run in <head>, before the page paints, so the larger text never flashes in late.
  apply(stored());

  document.addEventListener("DOMContentLoaded", function () {
    apply(stored());
    var buttons = document.querySelectorAll("[data-care-toggle]");
    for (var i = 0; i < buttons.length; i++) {
      buttons[i].hidden = false;
      buttons[i].addEventListener("click", function () {
        var on = root.getAttribute("data-mode") !== "care";
        try { window.localStorage.setItem(KEY, on ? "on" : "off"); } catch (e) { /* private mode: this page only */ }
        apply(on);
      });
    }
  });
})();
