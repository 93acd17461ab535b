// Finger/mouse signature pad (pointer events). Usage:
//   <canvas class="signature-pad" data-input="id_signature"></canvas>
//   <input type="hidden" id="id_signature" name="signature">
//   <button type="button" data-signature-clear="id_signature">Clear</button>
// The drawing is written into the hidden input as a PNG data URL after each stroke, so it
// survives in a form draft (form-draft.js) and is restored after a reload.
(function () {
  "use strict";

  function setup(canvas) {
    var input = document.getElementById(canvas.dataset.input);
    var ctx = canvas.getContext("2d");
    var drawing = false, last = null, inked = false;

    function resize() {
      var ratio = Math.max(window.devicePixelRatio || 1, 1);
      var saved = input && input.value;
      canvas.width = canvas.offsetWidth * ratio;
      canvas.height = canvas.offsetHeight * ratio;
      ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
      ctx.lineWidth = 2.5; ctx.lineCap = "round"; ctx.lineJoin = "round"; ctx.strokeStyle = "#10204a";
      if (saved) restore(saved);
    }
    function restore(dataUrl) {
      var img = new Image();
      img.onload = function () { ctx.drawImage(img, 0, 0, canvas.offsetWidth, canvas.offsetHeight); inked = true; };
      img.src = dataUrl;
    }
    function point(e) {
      var r = canvas.getBoundingClientRect();
      return { x: e.clientX - r.left, y: e.clientY - r.top };
    }
    canvas.addEventListener("pointerdown", function (e) {
      e.preventDefault(); drawing = true; last = point(e);
      canvas.setPointerCapture(e.pointerId);
      ctx.beginPath(); ctx.arc(last.x, last.y, 1.2, 0, Math.PI * 2); ctx.fill(); inked = true;
    });
    canvas.addEventListener("pointermove", function (e) {
      if (!drawing) return;
      e.preventDefault();
      var p = point(e);
      ctx.beginPath(); ctx.moveTo(last.x, last.y); ctx.lineTo(p.x, p.y); ctx.stroke();
      last = p; inked = true;
    });
    function end() {
      if (!drawing) return;
      drawing = false;
      if (input && inked) {
        input.value = canvas.toDataURL("image/png");
        input.dispatchEvent(new Event("input", { bubbles: true }));
      }
    }
    canvas.addEventListener("pointerup", end);
    canvas.addEventListener("pointercancel", end);
    canvas.addEventListener("pointerleave", end);
    document.querySelectorAll('[data-signature-clear="' + canvas.dataset.input + '"]').forEach(function (b) {
      b.addEventListener("click", function () {
        ctx.clearRect(0, 0, canvas.width, canvas.height); inked = false;
        if (input) { input.value = ""; input.dispatchEvent(new Event("input", { bubbles: true })); }
      });
    });
    window.addEventListener("resize", resize);
    resize();
    document.addEventListener("draft:restored", function () { if (input && input.value) restore(input.value); });
  }

  function locate(form) {
    // Field names may carry a form prefix (e.g. "sign-latitude").
    var lat = form.querySelector("[name$=latitude]"), lon = form.querySelector("[name$=longitude]");
    var acc = form.querySelector("[name$=accuracy]");
    if (!lat || !lon || !navigator.geolocation) return;
    navigator.geolocation.getCurrentPosition(function (pos) {
      lat.value = pos.coords.latitude.toFixed(6); lon.value = pos.coords.longitude.toFixed(6);
      if (acc) acc.value = Math.round(pos.coords.accuracy);
    }, function () { /* refused or unavailable: the signature is still valid without it */ }, { timeout: 8000 });
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("canvas.signature-pad").forEach(setup);
    document.querySelectorAll("form[data-geolocate]").forEach(locate);
  });
})();
