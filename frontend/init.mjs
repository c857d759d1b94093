// Starts GOV.UK Frontend and MOJ Frontend components, GOV.UK's accessible autocomplete on a
// long list (`<select data-vigil-autocomplete>`: without JavaScript it stays a select), and
// the charts of tables marked `data-vigil-chart` (charts.mjs).
// Loaded as a module from a static file, so the Content Security Policy needs no inline script.
import { initAll as govukInitAll } from "../vendor/govuk-frontend.min.js";
import { initAll as mojInitAll } from "../vendor/moj-frontend.min.js";

document.body.classList.add("js-enabled", "govuk-frontend-supported");
govukInitAll();
mojInitAll();

const pickers = document.querySelectorAll("select[data-vigil-autocomplete]");
if (pickers.length) {
  await import("../vendor/accessible-autocomplete.min.js"); // sets window.accessibleAutocomplete
  for (const select of pickers) {
    window.accessibleAutocomplete.enhanceSelectElement({
      selectElement: select,
      defaultValue: "",
      minLength: 1,
      showNoOptionsFound: true,
      tNoResults: () => "No officer found",
    });
  }
}

if (document.querySelector("table[data-vigil-chart]")) {
  await import("./charts.mjs");
}
