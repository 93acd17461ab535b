// The tablet handed to the customer to sign (aftersales/signing_lock.py locks the session on the
// server; this only keeps the browser from showing the technician's earlier pages from its cache).
// - On the locked signing screens, Back stays on the page.
// - On a staff page restored from the back-forward cache, reload: a locked session is then sent
//   back to the signing screen by the server.
(function () {
  "use strict";
  if (document.body && document.body.hasAttribute("data-signing-locked")) {
    history.pushState(null, "", location.href);
    window.addEventListener("popstate", function () {
      history.pushState(null, "", location.href);
    });
    return;
  }
  window.addEventListener("pageshow", function (event) {
    if (event.persisted) location.reload();
  });
})();
