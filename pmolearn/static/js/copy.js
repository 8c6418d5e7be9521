/* Copy buttons: <button class="js-only" data-copy="text">Copy</button>.
   Without JavaScript the buttons stay hidden (.js-only) and the values remain selectable. */
(function () {
  "use strict";

  function fallbackCopy(text) {
    var area = document.createElement("textarea");
    area.value = text;
    area.setAttribute("readonly", "");
    area.style.position = "fixed";
    area.style.opacity = "0";
    document.body.appendChild(area);
    area.select();
    var ok = false;
    try {
      ok = document.execCommand("copy");
    } catch (e) {
      ok = false;
    }
    document.body.removeChild(area);
    return ok ? Promise.resolve() : Promise.reject(new Error("copy refused"));
  }

  function copy(text) {
    if (navigator.clipboard && window.isSecureContext) {
      return navigator.clipboard.writeText(text).catch(function () {
        return fallbackCopy(text);
      });
    }
    return fallbackCopy(text);
  }

  function announce(message) {
    var status = document.getElementById("copy-status");
    if (status) {
      status.textContent = message;
    }
  }

  function show(button, label, cls) {
    var original = button.getAttribute("data-label") || button.textContent;
    var outline = button.classList.contains("btn-outline-secondary");
    button.setAttribute("data-label", original);
    button.textContent = label;
    button.classList.remove("btn-outline-secondary");
    button.classList.add(cls);
    window.setTimeout(function () {
      button.textContent = original;
      button.classList.remove(cls);
      if (outline) {
        button.classList.add("btn-outline-secondary");
      }
    }, 1500);
  }

  document.querySelectorAll(".js-only").forEach(function (element) {
    element.classList.remove("js-only");
  });

  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-copy]");
    if (!button) {
      return;
    }
    var text = button.getAttribute("data-copy");
    copy(text).then(
      function () {
        show(button, "Copied", "btn-success");
        announce("Copied: " + text);
      },
      function () {
        show(button, "Select it", "btn-warning");
        announce("Copying is blocked here; select the value and copy it.");
      }
    );
  });
})();
