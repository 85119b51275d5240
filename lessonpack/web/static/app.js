// Progressive enhancement only: the page works in full without this file.
"use strict";

// Focus a field with its label (or its group's question) in view: the label says what
// the field is, so it must not be scrolled off the top. An optional section it is in opens.
// `id` may name the control, or the box it sits in with its label ("Change" lands there).
const focusField = (id) => {
  const found = document.getElementById(id);
  const field = found && (found.matches("input, select, textarea, button") ? found
    : found.querySelector("input:not([type=hidden]), select, textarea"));
  if (!field) return false;
  for (let d = field.closest("details"); d; d = d.parentElement.closest("details")) d.open = true;
  const group = field.closest("fieldset.checkboxes");
  const label = group ? group.querySelector("legend") : document.querySelector(`label[for="${id}"]`);
  (label || field).scrollIntoView({ block: "start" });
  field.focus({ preventScroll: true });
  return true;
};

document.addEventListener("DOMContentLoaded", () => {
  // Take keyboard and screen-reader users to what changed: the problems, a question
  // before replacing what they typed, the field they came back to change, or the result.
  const summary = document.getElementById("error-summary");
  const first = ["load-warning", "preview-title", "done-title"]
    .map((id) => document.getElementById(id)).find((e) => e);
  const here = decodeURIComponent(window.location.hash.slice(1));
  if (summary) summary.focus();
  else if (!(here && focusField(here)) && first) first.focus();

  if (summary) {
    summary.addEventListener("click", (event) => {
      const link = event.target.closest("a[href^='#']");
      if (link && focusField(link.getAttribute("href").slice(1))) event.preventDefault();
    });
  }

  // The force: a <select> by name, grouped by nation, becomes GOV.UK's accessible
  // autocomplete (type "Thames" or "Met"). The select stays underneath and is what is
  // sent; its hint and any problem stay tied to the box that replaces it.
  const force = document.getElementById("f-lesson-force");
  if (force && force.tagName === "SELECT" && window.accessibleAutocomplete) {
    const described = force.getAttribute("aria-describedby");
    const invalid = force.getAttribute("aria-invalid");
    // Its words for a screen reader come from the page (data-*), in the page's language.
    const say = (name, values) => (force.dataset[name] || "").replace(/\{(\w+)\}/g, (_, k) => values[k]);
    window.accessibleAutocomplete.enhanceSelectElement({
      selectElement: force, showAllValues: true, dropdownArrow: () => "", autoselect: false,
      defaultValue: force.value ? force.selectedOptions[0].textContent : "", confirmOnBlur: true,
      tNoResults: () => say("noResults", {}),
      tAssistiveHint: () => say("hint", {}),
      tStatusNoResults: () => say("statusNoResults", {}),
      tStatusQueryTooShort: (n) => say("tooShort", {n}),
      tStatusSelectedOption: (option, count, index) => say("highlighted", {option, n: index + 1, count}),
      tStatusResults: (count, option) => say(count === 1 ? "oneResult" : "results", {count, option}),
    });
    const box = document.getElementById("f-lesson-force");
    if (box && box !== force) {
      if (described) box.setAttribute("aria-describedby", `${described} ${box.getAttribute("aria-describedby") || ""}`.trim());
      if (invalid) box.setAttribute("aria-invalid", invalid);
      // Clearing the box means no force: national contacts only.
      box.addEventListener("change", () => { if (!box.value.trim()) force.value = ""; });
      box.addEventListener("blur", () => { if (!box.value.trim()) force.value = ""; });
    }
  }
  // The browser's own move to the anchor comes once the page has loaded, and takes the
  // focus back to the page when the anchor is a field's box: focus its control after it.
  if (here && !summary) {
    window.addEventListener("load", () => setTimeout(() => focusField(here), 0));
  }

  // The confirmation page starts the download it confirms; without scripts, its button does.
  const auto = document.querySelector("form[data-autodownload]");
  if (auto) auto.submit();

  const routes = document.getElementById("routes");
  const count = document.getElementById("route-count");
  const add = document.getElementById("add-route");
  if (!routes || !count || !add) return;

  // Help routes are added and removed here, without sending the form. The names stay
  // route-0-name, route-1-name, ... as the server reads them.
  const rows = () => Array.from(routes.querySelectorAll("[data-route]"));

  // The page's own words for a row, in its language (the template's data-legend and
  // data-remove, "{n}" for the number).
  const numbered = (text, fallback, n) => (text || fallback).replace("{n}", String(n));
  const renumber = () => {
    const renamed = (text, i) => text.replace(/route-\d+/g, `route-${i}`);
    rows().forEach((row, i) => {
      row.id = `f-route-${i}`;
      row.querySelector("legend").textContent = numbered(routes.dataset.legend, "Help route {n}", i + 1);
      row.querySelectorAll("[id]").forEach((e) => { e.id = renamed(e.id, i); });
      row.querySelectorAll("[aria-describedby]").forEach((e) => {
        e.setAttribute("aria-describedby", renamed(e.getAttribute("aria-describedby"), i));
      });
      row.querySelectorAll("label[for]").forEach((e) => { e.htmlFor = renamed(e.htmlFor, i); });
      row.querySelectorAll("input").forEach((e) => { e.name = renamed(e.name, i); });
      const remove = row.querySelector(".remove-route");
      remove.value = `remove-route-${i}`;
      remove.textContent = numbered(routes.dataset.remove, "Remove help route {n}", i + 1);
    });
    count.value = String(rows().length);
  };

  const blank = (row) => {
    const copy = row.cloneNode(true);
    copy.querySelectorAll(".field-error, .adjusted").forEach((e) => e.remove());
    copy.querySelectorAll("input").forEach((input) => {
      input.value = "";
      input.removeAttribute("aria-invalid");
      // Keep the hint; the problems and notes were the old row's.
      const hints = (input.getAttribute("aria-describedby") || "").split(" ").filter((id) => id.endsWith("-hint"));
      if (hints.length) input.setAttribute("aria-describedby", hints.join(" "));
      else input.removeAttribute("aria-describedby");
    });
    copy.classList.remove("has-error");
    copy.querySelectorAll(".has-error").forEach((e) => e.classList.remove("has-error"));
    return copy;
  };

  add.addEventListener("click", (event) => {
    event.preventDefault();
    const all = rows();
    const row = blank(all[all.length - 1]);
    add.before(row);
    renumber();
    row.querySelector("input").focus();
  });

  routes.addEventListener("click", (event) => {
    const button = event.target.closest(".remove-route");
    if (!button) return;
    event.preventDefault();
    const row = button.closest("[data-route]");
    if (rows().length === 1) {
      // Keep one row to type in: clear it instead.
      row.replaceWith(blank(row));
    } else {
      row.remove();
    }
    renumber();
    add.focus();
  });
});
