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

  function run() {
    nameToggleButtons();
    nameSearchField();
    markWideFigures();
  }
  // After sphinx-togglebutton has added its buttons (it runs on DOMContentLoaded).
  if (document.readyState === "complete") run();
  else window.addEventListener("load", run);
})();
