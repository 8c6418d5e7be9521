/* The PDU form warns, as the person types, when a claim is above its type's cap per activity
   ("Organization Meetings count at most 2 PDUs each: 1 of these 3 will not count."). The same
   warning appears on the saved claim's page without JavaScript; this only says it sooner. */
(function () {
  "use strict";
  var form = document.getElementById("activity-form");
  var warning = document.getElementById("cap-warning");
  if (!form || !warning) return;
  var caps = {};
  try { caps = JSON.parse(form.getAttribute("data-caps") || "{}"); } catch (e) { return; }
  var type = form.querySelector("#activity_type");
  var pdus = form.querySelector("#pdus");
  function show() {
    var cap = caps[type && type.value];
    var amount = parseFloat(pdus && pdus.value);
    if (!cap || !(amount > cap.each)) {
      warning.classList.add("d-none");
      warning.textContent = "";
      return;
    }
    var lost = Math.round((amount - cap.each) * 100) / 100;
    warning.textContent = cap.name + " count at most " + cap.each + " PDUs each: " + lost +
      " of these " + amount + " will not count.";
    warning.classList.remove("d-none");
  }
  if (type) type.addEventListener("change", show);
  if (pdus) pdus.addEventListener("input", show);
  show();
})();
