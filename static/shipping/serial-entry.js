/* Quick serial entry: each line is checked on the server as it is typed or scanned. */
(function () {
  "use strict";
  var form = document.getElementById("dispatch-form");
  if (!form) return;
  var area = form.querySelector("textarea[name=serials]");
  var prodDate = form.querySelector("input[name=default_production_date]");
  var list = document.getElementById("serial-results");
  var summary = document.getElementById("serial-summary");
  var timer = null;
  var seq = 0;

  function check() {
    var mine = ++seq;
    var body = new FormData();
    body.append("serials", area.value);
    body.append("default_production_date", prodDate ? prodDate.value : "");
    body.append("csrfmiddlewaretoken", form.querySelector("input[name=csrfmiddlewaretoken]").value);
    fetch(form.dataset.checkUrl, { method: "POST", body: body, credentials: "same-origin" })
      .then(function (r) { return r.json(); })
      .then(function (data) { if (mine === seq) show(data); })
      .catch(function () {});
  }

  function show(data) {
    list.innerHTML = "";
    (data.items || []).forEach(function (item) {
      var li = document.createElement("li");
      li.className = item.ok ? "serial-ok" : "serial-bad flag-overdue";
      li.dataset.serial = item.serial;
      var mark = document.createElement("strong");
      mark.textContent = (item.ok ? "✓ " : "✗ ") + item.serial;
      var note = document.createElement("span");
      note.textContent = item.message;
      li.appendChild(mark);
      li.appendChild(note);
      list.appendChild(li);
    });
    var diffs = data.differences || [];
    summary.hidden = !(data.items && data.items.length);
    summary.className = "msg " + (data.ok ? "success" : "warning");
    summary.textContent = data.ok ? summary.dataset.okText || "✓" : diffs.join(" ");
  }

  function schedule() {
    clearTimeout(timer);
    timer = setTimeout(check, 250);
  }
  area.addEventListener("input", schedule);
  if (prodDate) prodDate.addEventListener("change", schedule);
  // A barcode scanner types the serial and presses Enter: keep the cursor in the box.
  area.addEventListener("keydown", function (e) { if (e.key === "Enter") schedule(); });
  if (area.value.trim()) check();
})();
