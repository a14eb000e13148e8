// Shows the chosen crontab in plain language under the field (django-celery-beat admin).
"use strict";
document.addEventListener("DOMContentLoaded", function () {
  var data = document.getElementById("readable-crontabs");
  var select = document.getElementById("id_crontab");
  var field = document.querySelector(".field-crontab");
  if (!data || !select || !field) { return; }
  var readable = JSON.parse(data.textContent);
  var help = field.querySelector(".help");
  var original = help ? help.textContent : "";
  var translation = document.querySelector(".field-crontab_translation");
  if (translation) { translation.hidden = true; }
  function update() {
    if (!help) { return; }
    var text = readable[select.value];
    help.textContent = text ? original + " — " + text : original;
  }
  select.addEventListener("change", update);
  update();
});
