/* Page-level fixes for the course book (Jupyter Book adds every JS file in _static). */
(function () {
  "use strict";

  // sphinx-togglebutton names every toggle button "Toggle hidden content", which hides the
  // visible title ("Solution to Exercise 2 ...") from screen readers. Name each button by
  // the visible text of the title it sits in.
  function nameToggleButtons() {
    document.querySelectorAll("button.toggle-button").forEach(function (button) {
      var title = button.closest(".admonition-title") || button.parentElement;
      if (!title) return;
      var text = "";
      title.childNodes.forEach(function (node) {
        if (node !== button) text += node.textContent;
      });
      text = text.replace(/\s+/g, " ").trim();
      if (text) button.setAttribute("aria-label", text);
    });
  }

  // The theme's search field is labelled "Search" but shows "Search ... Ctrl + K": let its
  // visible text name it.
  function nameSearchField() {
    document.querySelectorAll("button.search-button-field[aria-label]").forEach(function (b) {
      if (b.textContent.trim()) b.removeAttribute("aria-label");
    });
  }

  // A figure much wider than tall (two or more panels side by side) keeps a legible width on
  // a phone and scrolls inside its output box (see course.css).
  function markWideFigures() {
    document.querySelectorAll(".cell_output img").forEach(function (img) {
      function mark() {
        if (img.naturalHeight && img.naturalWidth / img.naturalHeight >= 1.9) {
          img.classList.add("cu-wide-figure");
          var box = img.closest(".cell_output");
          if (box) box.classList.add("cu-scrolls");
        }
      }
      if (img.complete) mark();
      else img.addEventListener("load", mark);
    });
  }

  // The theme makes an output, code block or table that overflows its box focusable
  // (tabindex 0) so that the keyboard can scroll it, but gives it no role: screen readers
  // then announce a nameless stop (axe: focus-order-semantics). Name each such stop as a
  // region, and take the name away when the theme takes the tab stop back (a wider window).
  var SCROLLERS = "pre, .cell_output > .output, .pst-scrollable-table-container";
  function nameScrollStop(el) {
    if (!el.matches || !el.matches(SCROLLERS)) return;
    if (el.getAttribute("tabindex") === "0") {
      if (!el.hasAttribute("role")) {
        el.setAttribute("role", "region");
        el.setAttribute("aria-label", el.matches("pre") ? "Scrollable code" : "Scrollable output");
        el.setAttribute("data-cu-scroll-stop", "");
      }
    } else if (el.hasAttribute("data-cu-scroll-stop")) {
      el.removeAttribute("role");
      el.removeAttribute("aria-label");
      el.removeAttribute("data-cu-scroll-stop");
    }
  }
  function nameScrollStops() {
    document.querySelectorAll(SCROLLERS).forEach(nameScrollStop);
    new MutationObserver(function (changes) {
      changes.forEach(function (change) {
        nameScrollStop(change.target);
      });
    }).observe(document.body, { subtree: true, attributes: true, attributeFilter: ["tabindex"] });
  }

  function run() {
    nameToggleButtons();
    nameSearchField();
    markWideFigures();
    nameScrollStops();
  }
  // After sphinx-togglebutton has added its buttons (it runs on DOMContentLoaded).
  if (document.readyState === "complete") run();
  else window.addEventListener("load", run);
})();
