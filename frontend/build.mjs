// Builds Vigil's front-end assets into vigil/static/ (git-ignored): compiles the Sass,
// copies GOV.UK Frontend and MOJ Frontend JavaScript, fonts and images, and Vigil's own
// scripts. Run by `make assets` (and so by `make run`); nothing is loaded from outside.
import { cpSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import * as sass from "sass";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const out = join(root, "vigil", "static");
const nm = join(root, "node_modules");

rmSync(join(out, "assets"), { recursive: true, force: true });
rmSync(join(out, "vendor"), { recursive: true, force: true });
mkdirSync(join(out, "vigil"), { recursive: true });
mkdirSync(join(out, "vendor"), { recursive: true });

const css = sass.compile(join(root, "frontend", "vigil.scss"), {
  loadPaths: [root, join(root, "frontend")],
  style: "compressed",
  quietDeps: true,
  silenceDeprecations: ["import"],
  logger: sass.Logger.silent,
});
writeFileSync(join(out, "vigil", "vigil.css"), css.css);

cpSync(join(nm, "govuk-frontend", "dist", "govuk", "assets"), join(out, "assets"), { recursive: true });
cpSync(join(nm, "@ministryofjustice", "frontend", "moj", "assets"), join(out, "assets"), { recursive: true });
cpSync(join(nm, "govuk-frontend", "dist", "govuk", "govuk-frontend.min.js"), join(out, "vendor", "govuk-frontend.min.js"));
cpSync(join(nm, "@ministryofjustice", "frontend", "moj", "moj-frontend.min.js"), join(out, "vendor", "moj-frontend.min.js"));
cpSync(
  join(nm, "accessible-autocomplete", "dist", "accessible-autocomplete.min.js"),
  join(out, "vendor", "accessible-autocomplete.min.js"),
);
cpSync(join(nm, "chart.js", "dist", "chart.umd.min.js"), join(out, "vendor", "chart.umd.min.js"));
cpSync(join(root, "frontend", "init.mjs"), join(out, "vigil", "init.mjs"));
cpSync(join(root, "frontend", "charts.mjs"), join(out, "vigil", "charts.mjs"));
cpSync(join(root, "frontend", "admin.css"), join(out, "vigil", "admin.css"));
cpSync(join(root, "frontend", "favicon.svg"), join(out, "vigil", "favicon.svg"));
console.log("Built front-end assets into vigil/static/");
