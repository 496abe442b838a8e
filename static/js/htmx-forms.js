/* For pages whose forms post through htmx (the council meeting): loaded after htmx. */
(function () {
  "use strict";
  // Show the server's refusal (403/409/400) in the card instead of dropping it.
  htmx.config.responseHandling = [
    {code: "204", swap: false},
    {code: "[234]..", swap: true},
    {code: "...", swap: false, error: true},
  ];
  document.body.addEventListener("htmx:configRequest", function (event) {
    var token = document.querySelector("[name=csrfmiddlewaretoken]");
    if (token) { event.detail.headers["X-CSRFToken"] = token.value; }
  });
})();
