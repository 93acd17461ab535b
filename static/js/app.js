// Small progressive enhancements; every page works without them.
(function () {
  "use strict";
  // Close the menu when a link in it is followed or the user taps elsewhere.
  document.addEventListener("click", function (event) {
    var menu = document.getElementById("main-menu");
    if (menu && menu.open && !menu.contains(event.target)) menu.open = false;
  });
  // A refused or invalid step is answered with the record page at the POST address: show the
  // record's own address, so that a reload or a bookmark does not send the form again.
  var pageUrl = document.body.dataset.pageUrl;
  if (pageUrl && window.history && window.location.pathname !== pageUrl) {
    window.history.replaceState(null, "", pageUrl);
  }
  // <select data-autosubmit> sends its form when changed (the language switch); no inline handler,
  // the Content-Security-Policy allows only script files.
  document.addEventListener("change", function (event) {
    var field = event.target;
    if (field.matches && field.matches("select[data-autosubmit]") && field.form) field.form.submit();
  });
  // Disable a submit button once its form is sent: no accidental double submit.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (form.dataset.noLock !== undefined) return;
    window.setTimeout(function () {
      form.querySelectorAll("button[type=submit], button:not([type])").forEach(function (b) { b.disabled = true; });
    }, 0);
  });
})();
