// Behaviour every page shares, kept out of the templates so that the Content-Security-Policy allows no inline script.
(function () {
  "use strict";
  document.querySelectorAll("[data-print]").forEach(function (button) {
    button.addEventListener("click", function () { window.print(); });
  });
  // A bar's length is data; setting it through the DOM is not an inline style attribute.
  document.querySelectorAll(".bar[data-width]").forEach(function (bar) {
    bar.style.width = Math.max(0, Math.min(100, Number(bar.dataset.width) || 0)) + "%";
  });
  // Filters folded on a phone (the map comes first there), unfolded where the screen has room for both.
  if (window.matchMedia("(min-width: 640px)").matches) {
    document.querySelectorAll("details[data-open-wide]").forEach(function (details) { details.open = true; });
  }
  // A form that came back with errors: its summary takes the focus, so a screen reader reads it and a
  // keyboard starts there; each link in it puts the focus on its field, label in view (the GOV.UK pattern).
  var summary = document.querySelector("[data-error-summary]");
  if (summary) {
    summary.focus();
    summary.addEventListener("click", function (event) {
      var link = event.target.closest("a[href^='#']");
      var field = link && document.getElementById(decodeURIComponent(link.getAttribute("href").slice(1)));
      if (!field) { return; }
      event.preventDefault();
      var label = document.querySelector("label[for='" + field.id + "']") || field.closest("fieldset") || field;
      label.scrollIntoView();
      field.focus({ preventScroll: true });
    });
  }
})();
