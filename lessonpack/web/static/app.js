// Progressive enhancement only: the page works in full without this file.
"use strict";

document.addEventListener("DOMContentLoaded", () => {
  // Take keyboard and screen-reader users to what changed: the problems, or the preview.
  const summary = document.getElementById("error-summary");
  const preview = document.getElementById("preview-title");
  if (summary) summary.focus();
  else if (preview) preview.focus();

  const routes = document.getElementById("routes");
  const count = document.getElementById("route-count");
  const add = document.getElementById("add-route");
  if (!routes || !count || !add) return;

  // Help routes are added and removed here, without sending the form. The names stay
  // route-0-name, route-1-name, ... as the server reads them.
  const rows = () => Array.from(routes.querySelectorAll("[data-route]"));

  const renumber = () => {
    rows().forEach((row, i) => {
      row.id = `f-route-${i}`;
      row.querySelector("legend").textContent = `Help route ${i + 1}`;
      row.querySelectorAll("input").forEach((input) => {
        const field = input.name.replace(/^route-\d+-/, "");
        input.name = `route-${i}-${field}`;
        const label = row.querySelector(`label[for="${input.id}"]`);
        input.id = `f-route-${i}-${field}`;
        if (label) label.htmlFor = input.id;
      });
      const remove = row.querySelector(".remove-route");
      remove.value = `remove-route-${i}`;
      remove.textContent = `Remove help route ${i + 1}`;
    });
    count.value = String(rows().length);
  };

  const blank = (row) => {
    const copy = row.cloneNode(true);
    copy.classList.remove("has-error");
    copy.querySelectorAll(".field-error").forEach((e) => e.remove());
    copy.querySelectorAll("input").forEach((input) => {
      input.value = "";
      input.removeAttribute("aria-invalid");
      input.removeAttribute("aria-describedby");
    });
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
