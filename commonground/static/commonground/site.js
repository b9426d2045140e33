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
  // A select of names (an organization, a hazard) gains a box that narrows it as the reader types: the
  // API's list answers `q`; where it refuses (a visitor) the names already served are narrowed here.
  // Without this script the select lists every name the reader may see.
  document.querySelectorAll("select[data-search-url]").forEach(function (select) {
    var served = Array.prototype.map.call(select.options, function (o) { return [o.value, o.text]; });
    var input = document.createElement("input");
    input.type = "search";
    input.className = "usa-input select-search";
    input.id = select.id + "_search";
    input.setAttribute("aria-label", select.dataset.searchLabel || gettext("Search"));
    input.placeholder = select.dataset.searchLabel || "";
    input.setAttribute("aria-controls", select.id);
    input.autocomplete = "off";
    select.parentNode.insertBefore(input, select);
    var timer = null;
    function fill(rows) {
      var chosen = select.value;
      var keep = served.filter(function (o) { return o[0] === "" || o[0] === chosen; });
      var seen = {};
      select.length = 0;
      keep.concat(rows).forEach(function (row) {
        if (seen[row[0]]) { return; }
        seen[row[0]] = true;
        select.add(new Option(row[1], row[0], false, row[0] === chosen));
      });
    }
    function narrowServed(text) {
      var needle = text.toLowerCase();
      fill(served.filter(function (o) { return o[0] !== "" && o[1].toLowerCase().indexOf(needle) !== -1; }));
    }
    input.addEventListener("input", function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(function () {
        var text = input.value.trim();
        if (!text) { fill(served); return; }
        var url = select.dataset.searchUrl + "&page_size=50&q=" + encodeURIComponent(text);
        fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
          .then(function (response) { if (!response.ok) { throw new Error(String(response.status)); } return response.json(); })
          .then(function (body) {
            fill((body.results || []).map(function (row) { return [String(row.id), row.name]; }));
          })
          .catch(function () { narrowServed(text); });
      }, 250);
    });
  });
})();
