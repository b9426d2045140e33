// Swagger UI draws its list of operations in a <main> of its own, inside the page's <main>: once it is drawn,
// it becomes a named region, so the page keeps one main landmark.
(function () {
  "use strict";
  function demote() {
    var operations = document.querySelector("#swagger-ui main#operations");
    if (operations && operations.getAttribute("role") !== "region") {
      operations.setAttribute("role", "region");
      operations.setAttribute("aria-label", gettext("Operations"));
    }
  }
  new MutationObserver(demote).observe(document.getElementById("swagger-ui"), { childList: true, subtree: true });
})();
