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
  var callerName = form.querySelector("input[name=caller_name]");
  var callerPhone = form.querySelector("input[name=caller_phone]");
  var units = document.getElementById("intake-units");
  var timer = null;
  if (serial) serial.setAttribute("list", "intake-units");

  function get(params, done) {
    var xhr = new XMLHttpRequest();
    xhr.open("GET", url + "?" + params);
    xhr.onload = function () { if (xhr.status === 200) done(JSON.parse(xhr.responseText)); };
    xhr.send();
  }
  // The customer's units (for the serial number field) and contacts (for the contact list).
  function chooseCustomer(id, name, contactId) {
    customer.value = id;
    customerName.textContent = name;
    customerBox.hidden = false;
    get("customer=" + encodeURIComponent(id), function (data) {
      units.innerHTML = "";
      data.units.forEach(function (u) { var o = document.createElement("option"); o.value = u.serial; o.label = u.label; units.appendChild(o); });
      if (!contact) return;
      contact.innerHTML = "";
      contact.appendChild(new Option("---------", ""));
      data.contacts.forEach(function (c) { contact.appendChild(new Option(c.label, c.id)); });
      if (contactId) contact.value = String(contactId);
    });
  }
  function pick(item) {
    chooseCustomer(item.customer, item.customer_name, item.contact);
    if (item.unit && serial) serial.value = item.unit;
    if (item.caller_name) callerName.value = item.caller_name;
    if (item.caller_phone) callerPhone.value = item.caller_phone;
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
          b.textContent = item.label;
          b.addEventListener("click", function () { pick(item); });
          li.appendChild(b);
          list.appendChild(li);
        });
      });
    }, 200);
  });
  // A contact chosen from the list fills the caller's name and phone.
  if (contact) {
    contact.addEventListener("change", function () {
      var text = contact.options[contact.selectedIndex] ? contact.options[contact.selectedIndex].text : "";
      var parts = text.split(" ");
      if (contact.value && !callerName.value) callerName.value = parts[0] || "";
      if (contact.value && !callerPhone.value) callerPhone.value = parts[1] || "";
    });
  }
  if (customer.value) chooseCustomer(customer.value, customerName.textContent, contact && contact.value);
})();
