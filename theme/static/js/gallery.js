/* 图集灯箱 Gallery lightbox: turns each gallery's photo links into a modal viewer. Without it they stay plain links. */
(function () {
  "use strict";
  // Browsers without <dialog> keep the links to the large images, which is a complete experience.
  if (typeof HTMLDialogElement !== "function") return;

  var SWIPE = 40; // px of horizontal travel that turns the page

  function make(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text) node.textContent = text;
    return node;
  }

  function button(className, label, text) {
    var node = make("button", "lightbox__button " + className, text);
    node.type = "button";
    node.setAttribute("aria-label", label);
    return node;
  }

  function setup(root) {
    var links = Array.prototype.slice.call(root.querySelectorAll("[data-gallery-item]"));
    if (!links.length) return;
    var credit = root.getAttribute("data-gallery-credit") || "";

    var dialog = make("dialog", "lightbox");
    dialog.setAttribute("aria-label", "图集：" + (root.getAttribute("data-gallery-title") || ""));
    var close = button("lightbox__close", "关闭图集", "关闭 ✕");
    var stage = make("div", "lightbox__stage");
    var prev = button("lightbox__prev", "上一张", "‹");
    var next = button("lightbox__next", "下一张", "›");
    var caption = make("p", "lightbox__caption");
    caption.setAttribute("aria-live", "polite"); // the new number and caption are read out after each move
    var count = make("span", "lightbox__count");
    var text = make("span", "lightbox__text");
    var credits = make("span", "lightbox__credit", credit);
    var original = make("a", "lightbox__original", "查看原图");
    caption.append(count, text, credits, original);
    dialog.append(close, stage, prev, next, caption);
    document.body.appendChild(dialog);

    var index = 0;
    var opener = null;
    var touch = null;

    function show(i) {
      index = (i + links.length) % links.length;
      var link = links[index];
      var thumb = link.querySelector("picture") || link.querySelector("img");
      var copy = thumb.cloneNode(true);
      // The thumbnail's srcset already lists every width: a new `sizes` lets the browser pick a large one.
      var parts = copy.tagName === "IMG" ? [copy] : Array.prototype.slice.call(copy.querySelectorAll("source, img"));
      parts.forEach(function (part) { part.setAttribute("sizes", "100vw"); });
      var image = copy.tagName === "IMG" ? copy : copy.querySelector("img");
      image.removeAttribute("loading");
      image.className = "lightbox__image";
      stage.replaceChildren(copy);
      count.textContent = index + 1 + " / " + links.length;
      text.textContent = link.getAttribute("data-caption") || image.alt;
      original.href = link.href;
    }

    function open(i, link) {
      opener = link;
      show(i);
      document.documentElement.classList.add("lightbox-open");
      dialog.showModal();
      close.focus();
    }

    function focusables() {
      return [close, prev, next, original];
    }

    dialog.addEventListener("close", function () {
      document.documentElement.classList.remove("lightbox-open");
      stage.replaceChildren();
      if (opener) opener.focus(); // back where the reader was
      opener = null;
    });

    dialog.addEventListener("keydown", function (event) {
      if (event.altKey || event.ctrlKey || event.metaKey) return;
      switch (event.key) {
        case "ArrowRight": show(index + 1); break;
        case "ArrowLeft": show(index - 1); break;
        case "Home": show(0); break;
        case "End": show(links.length - 1); break;
        case "Escape": dialog.close(); break;
        case "Tab": {
          // Keep focus inside: Tab from the last control goes to the first, Shift+Tab the other way.
          var items = focusables();
          var at = items.indexOf(document.activeElement);
          var to = event.shiftKey ? (at <= 0 ? items.length - 1 : at - 1) : (at === -1 || at === items.length - 1 ? 0 : at + 1);
          items[to].focus();
          break;
        }
        default: return;
      }
      event.preventDefault();
    });

    // Whatever moves focus out (a click outside, assistive technology), bring it back while open.
    document.addEventListener("focusin", function (event) {
      if (dialog.open && !dialog.contains(event.target)) close.focus();
    });

    close.addEventListener("click", function () { dialog.close(); });
    prev.addEventListener("click", function () { show(index - 1); });
    next.addEventListener("click", function () { show(index + 1); });
    stage.addEventListener("click", function (event) {
      if (event.target === stage) dialog.close(); // a tap on the dark area, not on the photo
    });

    stage.addEventListener("touchstart", function (event) {
      touch = event.touches.length === 1 ? { x: event.touches[0].clientX, y: event.touches[0].clientY } : null;
    }, { passive: true });
    stage.addEventListener("touchend", function (event) {
      if (!touch) return;
      var dx = event.changedTouches[0].clientX - touch.x;
      var dy = event.changedTouches[0].clientY - touch.y;
      touch = null;
      if (Math.abs(dx) >= SWIPE && Math.abs(dx) > 1.5 * Math.abs(dy)) show(dx < 0 ? index + 1 : index - 1);
    }, { passive: true });

    links.forEach(function (link, i) {
      link.addEventListener("click", function (event) {
        // A new tab or window, or a download, is the reader's choice: leave those to the browser.
        if (event.button !== 0 || event.ctrlKey || event.metaKey || event.shiftKey || event.altKey) return;
        event.preventDefault();
        open(i, link);
      });
    });
  }

  Array.prototype.forEach.call(document.querySelectorAll("[data-gallery]"), setup);
})();
