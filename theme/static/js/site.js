/* 长辈模式 (elderly-friendly mode): larger text and higher contrast, remembered across pages. No pop-up.
   栏目导航: on a narrow screen a row that scrolls sideways, faded where it has more, with a button that opens
   every entry at once. */
(function () {
  "use strict";
  var KEY = "care-mode";
  var root = document.documentElement;
  var refreshNav = function () {};

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

  function flag(element, name, on) {
    if (on) { element.setAttribute(name, ""); } else { element.removeAttribute(name); }
  }

  function setUpNav() {
    var nav = document.querySelector("[data-nav]");
    var toggle = nav && nav.querySelector("[data-nav-toggle]");
    var list = nav && nav.querySelector("ul");
    if (!toggle || !list) { return; }
    function update() {
      var open = toggle.getAttribute("aria-expanded") === "true";
      var overflows = !open && list.scrollWidth > list.clientWidth + 1;
      toggle.hidden = !(overflows || open);
      flag(nav, "data-overflow", overflows);
      flag(nav, "data-more", overflows && list.scrollLeft + list.clientWidth < list.scrollWidth - 1);
      flag(nav, "data-less", overflows && list.scrollLeft > 1);
    }
    toggle.addEventListener("click", function () {
      var open = toggle.getAttribute("aria-expanded") !== "true";
      toggle.setAttribute("aria-expanded", open ? "true" : "false");
      toggle.textContent = open ? "收起栏目" : "全部栏目";
      flag(nav, "data-open", open);
      update();
    });
    list.addEventListener("scroll", update, { passive: true });
    window.addEventListener("resize", update);
    refreshNav = update;
    update();
    // The entry of the current page is in sight when the page opens, however far along the row it is.
    var current = list.querySelector("[aria-current]");
    if (current && current.offsetLeft + current.offsetWidth > list.clientWidth) {
      list.scrollLeft = current.offsetLeft - 16;
    }
  }

  // Run in <head>, before the page paints, so the larger text and the one-row navigation never flash in late.
  root.className += " js";
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
        refreshNav(); // larger text: the row may no longer fit, or fit again
      });
    }
    setUpNav();
  });
})();
