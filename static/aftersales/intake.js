// Call intake: find the customer by name, phone or serial number while the clerk types.
(function () {
  "use strict";
  var form = document.getElementById("intake-form");
  if (!form) return;
  var url = form.dataset.searchUrl;
  var search = form.querySelector("[data-intake-search]");
  var list = document.getElementById("intake-results");
  var customer = form.querySelector("input[name=customer]");
  var customerBox = document.getElementById("intake-customer");
  var customerName = document.getElementById("intake-customer-name");
  var serial = form.querySelector("input[name=serial_number]");
  var contact = form.querySelector("select[name=contact]");
  var units = document.getElementById("intake-units");
  var timer = null;
  if (serial) serial.setAttribute("list", "intake-units");

  function get(params, done) {
    var xhr = new XMLHttpRequest();
    xhr.open("GET", url + "?" + params);
    xhr.onload = function () { if (xhr.status === 200) done(JSON.parse(xhr.responseText)); };
    xhr.send();
  }
  function chooseCustomer(id, name) {
    customer.value = id;
    customerName.textContent = name;
    customerBox.hidden = false;
    get("customer=" + encodeURIComponent(id), function (data) {
      units.innerHTML = "";
      data.units.forEach(function (u) { var o = document.createElement("option"); o.value = u.serial; o.label = u.label; units.appendChild(o); });
      if (contact) {
        Array.prototype.forEach.call(contact.options, function (o) {
          o.hidden = o.value !== "" && !data.contacts.some(function (c) { return String(c.id) === o.value; });
        });
      }
    });
  }
  function pick(item) {
    chooseCustomer(item.customer, item.customer_name);
    if (item.unit && serial) serial.value = item.unit;
    if (item.contact && contact) contact.value = item.contact;
    if (item.caller_name) form.querySelector("input[name=caller_name]").value = item.caller_name;
    if (item.caller_phone) form.querySelector("input[name=caller_phone]").value = item.caller_phone;
    list.innerHTML = "";
  }
  search.addEventListener("input", function () {
    window.clearTimeout(timer);
    var q = search.value.trim();
    if (q.length < 2) { list.innerHTML = ""; return; }
    timer = window.setTimeout(function () {
      get("q=" + encodeURIComponent(q), function (data) {
        list.innerHTML = "";
        data.results.forEach(function (item) {
          var li = document.createElement("li");
          var b = document.createElement("button");
          b.type = "button";
          b.className = "link-result";
          b.textContent = item.label;
          b.addEventListener("click", function () { pick(item); });
          li.appendChild(b);
          list.appendChild(li);
        });
      });
    }, 200);
  });
})();
