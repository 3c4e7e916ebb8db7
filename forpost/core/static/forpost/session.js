// The idle timeout, kindly: a warning two minutes before the session ends, with "Stay logged
// in", and a form given back after logging in again. A file of its own: the CSP forbids
// inline script. See forpost/accounts/middleware.py for the server's half.
(function () {
  "use strict";

  var WARN_BEFORE_MS = 120 * 1000;
  // Every tab of the site shares one session: a request in one tab tells the others.
  var TOUCHED_KEY = "forpost.session.touched";

  function fillRestoredForm() {
    var source = document.getElementById("fp-restored-form");
    if (!source) return;
    var restored = JSON.parse(source.textContent);
    var form = null;
    document.querySelectorAll("form[method=post], form[method=POST]").forEach(function (candidate) {
      if (!form && new URL(candidate.action, document.baseURI).pathname === restored.path) form = candidate;
    });
    if (!form) return;
    Object.keys(restored.data).forEach(function (name) {
      var values = restored.data[name];
      var fields = form.querySelectorAll('[name="' + CSS.escape(name) + '"]');
      fields.forEach(function (field, index) {
        if (field.type === "checkbox" || field.type === "radio") {
          field.checked = values.indexOf(field.value) !== -1;
        } else if (field.tagName === "SELECT" && field.multiple) {
          Array.prototype.forEach.call(field.options, function (option) {
            option.selected = values.indexOf(option.value) !== -1;
          });
        } else if (field.type !== "file" && field.type !== "submit" && field.type !== "button") {
          field.value = values[Math.min(index, values.length - 1)] || "";
        }
      });
      if (fields.length === 0) {
        // A field the page adds only on demand (a further child, say): carry it as hidden.
        values.forEach(function (value) {
          var hidden = document.createElement("input");
          hidden.type = "hidden";
          hidden.name = name;
          hidden.value = value;
          form.appendChild(hidden);
        });
      }
    });
    form.dispatchEvent(new Event("change", { bubbles: true }));
  }

  function startWarning() {
    var dialog = document.getElementById("fp-session-warning");
    if (!dialog) return;
    var sessionMs = parseInt(dialog.getAttribute("data-session-seconds"), 10) * 1000;
    if (!sessionMs) return;
    var form = dialog.querySelector("form");
    var button = dialog.querySelector("button");
    var text = document.getElementById("fp-session-text");
    var warnTimer = null;
    var endTimer = null;
    var returnFocus = null;
    var warningText = text.textContent;

    function hide() {
      dialog.hidden = true;
      if (returnFocus && document.contains(returnFocus)) returnFocus.focus();
      returnFocus = null;
    }

    function show() {
      returnFocus = document.activeElement;
      dialog.hidden = false;
      button.focus();
    }

    function expired() {
      text.textContent = text.getAttribute("data-expired-text");
      form.hidden = true;
    }

    function touched() {
      try {
        window.localStorage.setItem(TOUCHED_KEY, String(Date.now()));
      } catch (error) {
        // Storage may be off; then each tab keeps its own count.
      }
    }

    function restart() {
      text.textContent = warningText;
      form.hidden = false;
      clearTimeout(warnTimer);
      clearTimeout(endTimer);
      warnTimer = setTimeout(show, Math.max(sessionMs - WARN_BEFORE_MS, 0));
      endTimer = setTimeout(expired, sessionMs);
    }

    form.addEventListener("submit", function (event) {
      event.preventDefault();
      fetch(form.action, {
        method: "POST",
        body: new FormData(form),
        credentials: "same-origin",
        headers: { "X-Requested-With": "fetch" },
      }).then(function (response) {
        if (response.status === 204) {
          hide();
          restart();
          touched();
        } else {
          expired();
        }
      }, expired);
    });

    dialog.addEventListener("keydown", function (event) {
      if (event.key === "Escape") {
        hide();
      } else if (event.key === "Tab") {
        // One control: keep the focus in the dialog while it is open.
        event.preventDefault();
        button.focus();
      }
    });

    // Any request to the server (htmx swaps the page in place) extends the session too.
    document.body.addEventListener("htmx:afterRequest", function () {
      restart();
      touched();
    });
    window.addEventListener("storage", function (event) {
      if (event.key === TOUCHED_KEY) {
        if (!dialog.hidden) hide();
        restart();
      }
    });
    restart();
    touched();
  }

  function start() {
    fillRestoredForm();
    startWarning();
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
