// The bell's unread count, fetched after the page: no page pays a query for it.
(function () {
  "use strict";
  var bells = document.querySelectorAll(".notice-bell[data-unread-url]");
  if (!bells.length) { return; }
  // One request for every bell on the page (the menu's, and the one beside it on a phone).
  fetch(bells[0].dataset.unreadUrl, { credentials: "same-origin", headers: { Accept: "application/json" } })
    .then(function (response) { return response.ok ? response.json() : null; })
    .then(function (data) {
      if (!data || !data.unread) { return; }
      bells.forEach(function (bell) {
        var badge = bell.querySelector(".notice-count");
        badge.querySelector(".notice-count-number").textContent = data.unread > 99 ? "99+" : String(data.unread);
        badge.classList.remove("d-none");
      });
    })
    .catch(function () {});
})();
