// Charts drawn from the tables they illustrate (Chart.js, from the app's own static files).
// A `<table data-vigil-chart="Title">` gets a bar chart above it: its row headings are the
// bars, its columns marked `data-vigil-series` the stacked series (coloured as the tag in
// their heading, else in GOV.UK blue; a row marked `data-vigil-alert` in GOV.UK red). The table stays, for screen readers and for reading
// the numbers; the canvas is an image labelled as the chart of that table.
await import("../vendor/chart.umd.min.js"); // sets window.Chart

const BLUE = "#1d70b8";
const RED = "#d4351c";

function seriesOf(table) {
  const headings = [...table.tHead.rows[0].cells];
  return headings
    .map((th, column) => ({ th, column }))
    .filter(({ th }) => th.hasAttribute("data-vigil-series"))
    .map(({ th, column }) => {
      const tag = th.querySelector(".govuk-tag");
      const colour = tag ? getComputedStyle(tag).backgroundColor : BLUE;
      const words = th.cloneNode(true);
      words.querySelector(".govuk-tag")?.remove(); // "Overdue", said by the band's own words
      const label = words.textContent.replace(/\s+/g, " ").trim();
      return { column, label, colour };
    });
}

function draw(table) {
  const series = seriesOf(table);
  const rows = [...table.tBodies[0].rows];
  const labels = rows.map((row) => row.cells[0].textContent.trim());
  const datasets = series.map(({ column, label, colour }) => ({
    label,
    data: rows.map((row) => Number.parseInt(row.cells[column].textContent, 10) || 0),
    backgroundColor: rows.map((row) => (row.hasAttribute("data-vigil-alert") ? RED : colour)),
    borderColor: "#0b0c0c",
    borderWidth: 1,
  }));
  const figure = document.createElement("figure");
  figure.className = "vigil-chart";
  const canvas = document.createElement("canvas");
  canvas.setAttribute("role", "img");
  const title = table.dataset.vigilChart;
  canvas.setAttribute("aria-label", `Chart: ${title}. Its figures are in the table "${table.caption?.textContent.trim() || title}".`);
  figure.append(canvas);
  const details = table.closest("details");
  (details || table).before(figure);
  const horizontal = rows.length > 16; // many bars read better down the page
  figure.classList.toggle("vigil-chart--tall", horizontal);
  figure.classList.toggle("vigil-chart--short", table.dataset.vigilChartSize === "short");
  if (table.dataset.vigilChartKind === "band") {
    // a forecast: its three series are P10, P50 and P90; the band between P10 and P90 shaded
    const [low, mid, high] = datasets;
    Object.assign(low, { borderColor: BLUE, backgroundColor: "rgba(29, 112, 184, 0.15)", fill: "+2", borderDash: [4, 4] });
    Object.assign(mid, { borderColor: "#0b0c0c", backgroundColor: "#0b0c0c", borderWidth: 3 });
    Object.assign(high, { borderColor: BLUE, backgroundColor: BLUE, borderDash: [4, 4] });
    new window.Chart(canvas, {
      type: "line",
      data: { labels, datasets: [low, mid, high] },
      options: {
        animation: false,
        maintainAspectRatio: false,
        plugins: {
          title: { display: true, text: title, color: "#0b0c0c", font: { size: 16, weight: "bold" } },
          legend: { position: "bottom", labels: { color: "#0b0c0c" } },
        },
        scales: { y: { beginAtZero: true, ticks: { color: "#0b0c0c" } }, x: { ticks: { color: "#0b0c0c" } } },
      },
    });
    return;
  }
  new window.Chart(canvas, {
    type: "bar",
    data: { labels, datasets },
    options: {
      indexAxis: horizontal ? "y" : "x",
      animation: false,
      maintainAspectRatio: false,
      plugins: {
        title: { display: true, text: title, color: "#0b0c0c", font: { size: 16, weight: "bold" } },
        legend: { display: datasets.length > 1, position: "bottom", labels: { color: "#0b0c0c" } },
      },
      scales: {
        x: { stacked: true, ticks: { color: "#0b0c0c", precision: 0 } },
        y: { stacked: true, ticks: { color: "#0b0c0c", precision: 0 } },
      },
    },
  });
}

for (const table of document.querySelectorAll("table[data-vigil-chart]")) {
  draw(table);
}
