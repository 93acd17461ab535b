// Small progressive enhancements; every page works without them.
(function () {
  "use strict";
  // Close the menu when a link in it is followed or the user taps elsewhere.
  document.addEventListener("click", function (event) {
    var menu = document.getElementById("main-menu");
    if (menu && menu.open && !menu.contains(event.target)) menu.open = false;
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
