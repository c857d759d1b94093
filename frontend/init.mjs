// Starts GOV.UK Frontend and MOJ Frontend components. Loaded as a module from a static file,
// so the Content Security Policy needs no inline script.
import { initAll as govukInitAll } from "../vendor/govuk-frontend.min.js";
import { initAll as mojInitAll } from "../vendor/moj-frontend.min.js";

document.body.classList.add("js-enabled", "govuk-frontend-supported");
govukInitAll();
mojInitAll();
