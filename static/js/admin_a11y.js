// Accessibility fixes for Django's admin widgets (checked with axe in tests/browser).
"use strict";
(function () {
  // select2 (Django's autocomplete) renders the current value in a span with
  // role="textbox" but no name: name it after the field's label. select2 may build its
  // widgets after the page's load event, so new ones are watched for as well.
  function nameSelect2() {
    document.querySelectorAll('.select2-selection__rendered[role="textbox"]:not([aria-label])').forEach(function (span) {
      var match = /^select2-(.+)-container$/.exec(span.id);
      var label = match && document.querySelector('label[for="' + match[1] + '"]');
      if (label) {
        span.setAttribute("aria-label", label.textContent.replace(/:\s*$/, "").trim());
      }
    });
  }
  window.addEventListener("load", function () {
    nameSelect2();
    new MutationObserver(nameSelect2).observe(document.body, { childList: true, subtree: true });
  });
  document.addEventListener("DOMContentLoaded", nameSelect2);
})();

window.addEventListener("load", function () {
  // Django's split date/time widget labels the pair, not each input: name each one.
  document.querySelectorAll("input.vDateField, input.vTimeField").forEach(function (input) {
    if (input.labels && input.labels.length) { return; }
    var row = input.closest(".form-row, fieldset");
    var caption = row && row.querySelector("legend, label");
    var field = caption ? caption.textContent.replace(/:\s*$/, "").trim() : "";
    var part = input.classList.contains("vDateField") ? "date" : "time";
    input.setAttribute("aria-label", field ? field + " (" + part + ")" : part);
  });
});

window.addEventListener("load", function () {
  // Django's tabular inlines leave the header of their first column (the row's object)
  // empty: give it a name screen readers announce (translated, from base_site.html).
  var meta = document.querySelector('meta[name="innolab-inline-row"]');
  var name = meta ? meta.getAttribute("content") : "Item";
  document.querySelectorAll("table thead th.original").forEach(function (th) {
    if (!th.textContent.trim()) {
      var span = document.createElement("span");
      span.className = "visually-hidden";
      span.textContent = name;
      th.appendChild(span);
    }
  });
});
