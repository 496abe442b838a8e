/* Behaviour of our pages, from our own static files: the Content-Security-Policy forbids inline
   scripts and style="" attributes (config/settings/base.py). Loaded by base.html on every page. */
(function () {
  "use strict";

  // A button with data-confirm asks before its form is sent.
  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-confirm]");
    if (button && !window.confirm(button.dataset.confirm)) {
      event.preventDefault();
    }
  });

  // Widths that depend on data (progress bars): set through the DOM, which CSP allows.
  function applyWidths(root) {
    var elements = root.querySelectorAll ? root.querySelectorAll("[data-width-percent]") : [];
    elements.forEach(function (element) {
      element.style.width = element.dataset.widthPercent + "%";
    });
  }

  // The attachment form asks for a nominee only for documents that belong to one (the server
  // checks again).
  function syncAttachmentForm() {
    var form = document.getElementById("attachment-form");
    if (!form) { return; }
    var kind = form.querySelector("select[name='attachment-kind']");
    var nominee = form.querySelector("select[name='attachment-nominee']");
    if (!kind || !nominee) { return; }
    function sync() {
      var option = kind.options[kind.selectedIndex];
      var perNominee = option && option.dataset.scope === "nominee";
      nominee.disabled = !perNominee;
      if (!perNominee) { nominee.value = ""; }
    }
    kind.addEventListener("change", sync);
    sync();
  }

  document.addEventListener("DOMContentLoaded", function () {
    applyWidths(document);
    syncAttachmentForm();
  });
  // Content swapped in by htmx (e.g. a certificate batch's progress every second).
  document.addEventListener("htmx:load", function (event) {
    applyWidths(event.detail.elt.parentNode || event.detail.elt);
  });
})();
