// Keeps what was typed (and a drawn signature) in the browser until the server confirms.
// <form data-draft-key="form-a-42"> saves its fields to localStorage as they change and
// restores them after a reload or a dropped connection. The hidden form token is kept too,
// so re-sending after a failure is recognised by the server as the same submission.
// The server confirms by rendering <meta name="draft-saved" content="form-a-42">.
(function () {
  "use strict";
  var PREFIX = "aftersales-draft:";

  function fields(form) {
    return Array.prototype.filter.call(form.elements, function (el) {
      return el.name && el.name !== "csrfmiddlewaretoken" && el.type !== "file" && el.type !== "submit" && el.type !== "button";
    });
  }
  function save(form) {
    var data = {};
    fields(form).forEach(function (el) {
      if (el.type === "checkbox") data[el.name + (el.value ? ":" + el.value : "")] = el.checked;
      else if (el.type === "radio") { if (el.checked) data[el.name] = el.value; }
      else data[el.name] = el.value;
    });
    try { localStorage.setItem(PREFIX + form.dataset.draftKey, JSON.stringify({ at: Date.now(), data: data })); } catch (e) { /* storage full or private mode */ }
  }
  function restore(form) {
    var raw;
    try { raw = localStorage.getItem(PREFIX + form.dataset.draftKey); } catch (e) { return; }
    if (!raw) return;
    var data = (JSON.parse(raw) || {}).data || {};
    fields(form).forEach(function (el) {
      if (el.type === "checkbox") { var k = el.name + (el.value ? ":" + el.value : ""); if (k in data) el.checked = data[k]; }
      else if (el.type === "radio") { if (data[el.name] !== undefined) el.checked = el.value === data[el.name]; }
      else if (data[el.name] !== undefined && data[el.name] !== "") el.value = data[el.name];
    });
    var note = form.querySelector(".draft-note");
    if (note) note.hidden = false;
    document.dispatchEvent(new Event("draft:restored"));
  }
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll('meta[name="draft-saved"]').forEach(function (m) {
      try { localStorage.removeItem(PREFIX + m.content); } catch (e) { /* ignore */ }
    });
    document.querySelectorAll("form[data-draft-key]").forEach(function (form) {
      restore(form);
      form.addEventListener("input", function () { save(form); });
      form.addEventListener("change", function () { save(form); });
      form.addEventListener("submit", function () { save(form); });
    });
  });
})();
