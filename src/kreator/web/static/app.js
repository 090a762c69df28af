/* Kreator's light JavaScript: the pages work without it; with it, results follow the form.
   Every HTML fragment inserted here was rendered (and escaped) by the server. */
"use strict";

(function () {
  function syncQuery(qs) {
    // Keep the creator in the address bar, the menu links and the language/currency form.
    history.replaceState(null, "", window.location.pathname + "?" + qs);
    document.querySelectorAll("a[data-path]").forEach(function (a) {
      a.setAttribute("href", a.dataset.path + "?" + qs);
    });
    var prefs = document.getElementById("prefs");
    if (!prefs) { return; }
    prefs.querySelectorAll("input[type=hidden]").forEach(function (el) { el.remove(); });
    new URLSearchParams(qs).forEach(function (value, key) {
      if (key === "lang" || key === "currency") { return; }
      var input = document.createElement("input");
      input.type = "hidden"; input.name = key; input.value = value;
      prefs.prepend(input);
    });
  }

  function livePreferences() {
    var prefs = document.getElementById("prefs");
    if (!prefs) { return; }
    prefs.querySelectorAll("select").forEach(function (select) {
      select.addEventListener("change", function () { prefs.submit(); });
    });
    var button = prefs.querySelector("button");
    if (button) { button.hidden = true; }
  }

  function markFields(form, results) {
    // The fields the new results call invalid get aria-invalid (described by the results'
    // list of problems); the others lose it, with any message the page was served with.
    var box = results.querySelector("#results-error");
    var bad = box ? (box.dataset.fields || "").split(" ") : [];
    form.querySelectorAll("input[name], select[name]").forEach(function (el) {
      var on = bad.indexOf(el.name) >= 0;
      var wrap = el.closest(".field");
      var served = document.getElementById("err-" + el.name);
      if (served) { served.remove(); }
      if (wrap) { wrap.classList.toggle("invalid", on); }
      if (on) {
        el.setAttribute("aria-invalid", "true");
        el.setAttribute("aria-describedby", "results-error");
      } else {
        el.removeAttribute("aria-invalid");
        el.removeAttribute("aria-describedby");
      }
    });
  }

  function liveResults() {
    var form = document.getElementById("profile-form");
    var results = document.getElementById("results");
    if (!form || !results || !form.dataset.live) { return; }
    var timer = null;
    var sequence = 0;
    function update() {
      var params = new URLSearchParams();
      new FormData(form).forEach(function (value, key) {
        if (String(value).trim() !== "") { params.append(key, value); }
      });
      var qs = params.toString();
      var mine = ++sequence;
      results.setAttribute("aria-busy", "true");
      fetch(form.dataset.live + "?" + qs, { headers: { Accept: "text/html" }, credentials: "same-origin" })
        .then(function (response) { return response.text(); })
        .then(function (html) {
          if (mine !== sequence) { return; }
          results.innerHTML = html;
          results.removeAttribute("aria-busy");
          markFields(form, results);
          syncQuery(qs);
        })
        .catch(function () { results.removeAttribute("aria-busy"); });
    }
    function later() { clearTimeout(timer); timer = setTimeout(update, 250); }
    form.addEventListener("input", later);
    form.addEventListener("change", later);
    form.addEventListener("submit", function (event) { event.preventDefault(); update(); });
  }

  function dropUpload() {
    // Dropped files go into the form's file input, and the form is sent as usual.
    var zone = document.getElementById("dropzone");
    var input = document.getElementById("upload-files");
    var form = document.getElementById("upload-form");
    if (!zone || !input || !form) { return; }
    ["dragenter", "dragover"].forEach(function (name) {
      zone.addEventListener(name, function (event) {
        event.preventDefault();
        zone.classList.add("over");
      });
    });
    ["dragleave", "drop"].forEach(function (name) {
      zone.addEventListener(name, function () { zone.classList.remove("over"); });
    });
    zone.addEventListener("drop", function (event) {
      event.preventDefault();
      if (!event.dataTransfer || !event.dataTransfer.files.length) { return; }
      input.files = event.dataTransfer.files;
      form.submit();
    });
    input.addEventListener("change", function () { if (input.files.length) { form.submit(); } });
  }

  document.addEventListener("DOMContentLoaded", function () {
    livePreferences();
    liveResults();
    dropUpload();
  });
})();
