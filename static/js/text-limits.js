// Under a text field with a limit, the hint "At most 2,000 characters" (templates/dossiers/
// _text_limit.html) also shows how many are used as the user types: "· 1,234 / 2,000". The limit
// itself is the field's maxlength and the server's check; this only helps to see it coming.
(function () {
  "use strict";

  var lang = document.documentElement.lang || undefined;

  function setUp(hint) {
    if (hint.dataset.bound) return;
    var field = document.getElementById(hint.dataset.for);
    var count = hint.querySelector(".text-limit-count");
    var limit = parseInt(hint.dataset.textLimit, 10);
    if (!field || !count || !limit) return;
    hint.dataset.bound = "1";
    function update() {
      var used = field.value.length;
      count.textContent = used ? " · " + used.toLocaleString(lang) + " / " + limit.toLocaleString(lang) : "";
      hint.classList.toggle("text-danger", used >= limit);
    }
    field.addEventListener("input", update);
    update();
  }

  function setUpAll(root) {
    root.querySelectorAll("[data-text-limit]").forEach(setUp);
  }

  document.addEventListener("DOMContentLoaded", function () {
    setUpAll(document);
  });
  // Parts of a page that htmx swaps in bring their own fields.
  document.addEventListener("htmx:afterSwap", function (event) {
    setUpAll(event.target);
  });
})();
