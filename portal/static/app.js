// Progressive enhancement only: every page works without this script (the CSP allows scripts
// from 'self' only; nothing here is inline).
"use strict";

// A table region is a tab stop only while it actually scrolls sideways; otherwise a keyboard user
// would land on a stop that does nothing.
function markScrollableRegions() {
  document.querySelectorAll(".table-wrap[role=region]").forEach(function (el) {
    if (el.scrollWidth > el.clientWidth) {
      el.setAttribute("tabindex", "0");
    } else {
      el.removeAttribute("tabindex");
    }
  });
}

// Session timeout (WCAG 2.2.1): warn two minutes before the session ends, with a button that
// extends it through a POST (the form's own CSRF token); once it has ended, the same button leads
// to the login, which returns to this page.
function watchSession() {
  var dialog = document.getElementById("session-warning");
  if (!dialog || typeof dialog.showModal !== "function" || !window.fetch) {
    return;
  }
  var warnBefore = 120 * 1000;
  var form = dialog.querySelector("form");
  var deadline = 0;
  var timer = 0;
  var ended = false;

  function show(state) {
    dialog.querySelectorAll("[data-session-state]").forEach(function (el) {
      el.hidden = el.getAttribute("data-session-state") !== state;
    });
    dialog.setAttribute("aria-labelledby", state === "ended" ? "session-ended-title" : "session-warning-title");
  }

  function schedule(seconds) {
    deadline = Date.now() + seconds * 1000;
    window.clearTimeout(timer);
    timer = window.setTimeout(tick, Math.max(0, seconds * 1000 - warnBefore));
  }

  function tick() {
    var left = deadline - Date.now();
    if (left <= 0) {
      ended = true;
      show("ended");
      if (!dialog.open) {
        dialog.showModal();
      }
      return;
    }
    if (!dialog.open) {
      show("warn");
      dialog.showModal();
    }
    timer = window.setTimeout(tick, Math.min(left, 1000));
  }

  form.addEventListener("submit", function (ev) {
    if (ended) {
      // A plain post: the server sends the reader to the login, and back here after it. What was
      // typed on this page is kept in this tab (sessionStorage) and put back on return.
      keepTyped();
      return;
    }
    ev.preventDefault();
    fetch(form.action, {
      method: "POST",
      body: new URLSearchParams(new FormData(form)),
      headers: { Accept: "application/json" },
      credentials: "same-origin",
    })
      .then(function (res) {
        if (!res.ok) {
          throw new Error(String(res.status));
        }
        return res.json();
      })
      .then(function (body) {
        dialog.close();
        schedule(body.seconds);
      })
      .catch(function () {
        form.submit(); // let the server answer as it would without this script
      });
  });
  dialog.addEventListener("cancel", function (ev) {
    if (ended) {
      ev.preventDefault(); // the page behind no longer works: only the login button is left
    }
  });

  schedule(parseInt(dialog.getAttribute("data-session-left"), 10) || 0);
}

// What the reader wrote or chose in the page's forms (text areas, radio buttons and check boxes;
// never a one-line field such as a BSN, a hidden field or the CSRF token), kept per page in this
// tab's sessionStorage only across a login after the session ended.
var typedKey = "typed:" + location.pathname;

function typedFields() {
  return Array.prototype.filter.call(
    document.querySelectorAll("main form textarea, main form input[type=radio], main form input[type=checkbox]"),
    function (el) { return el.name && el.name !== "_csrf"; });
}

function keepTyped() {
  var data = typedFields().map(function (el) {
    return { name: el.name, value: el.value, checked: el.checked, type: el.type };
  });
  try {
    window.sessionStorage.setItem(typedKey, JSON.stringify(data));
  } catch (e) {
    // storage full or refused: nothing is kept, as without this script
  }
}

function restoreTyped() {
  var raw = null;
  try {
    raw = window.sessionStorage.getItem(typedKey);
    window.sessionStorage.removeItem(typedKey);
  } catch (e) {
    return;
  }
  if (!raw || !document.getElementById("session-warning")) {
    return; // only once logged in again
  }
  var fields = typedFields();
  JSON.parse(raw).forEach(function (d) {
    fields.forEach(function (el) {
      if (el.name !== d.name || el.type !== d.type) {
        return;
      }
      if (el.type === "radio" || el.type === "checkbox") {
        if (el.value === d.value) {
          el.checked = d.checked;
        }
      } else {
        // What the reader typed last wins over what the page was rendered with (an older draft).
        el.value = d.value;
      }
    });
  });
}

document.addEventListener("DOMContentLoaded", function () {
  restoreTyped();
  markScrollableRegions();
  window.addEventListener("resize", markScrollableRegions);
  watchSession();
});
