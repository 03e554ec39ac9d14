// Sortable tables: click (or press Enter on) a column header to sort by it.
document.addEventListener("DOMContentLoaded", function () {
  document.querySelectorAll("table.sortable").forEach(function (table) {
    table.querySelectorAll("thead th").forEach(function (th, column) {
      th.tabIndex = 0;
      var sort = function () {
        var ascending = th.getAttribute("aria-sort") !== "ascending";
        table.querySelectorAll("thead th").forEach(function (other) { other.removeAttribute("aria-sort"); });
        th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
        var body = table.tBodies[0];
        var key = function (row) {
          var text = row.cells[column].textContent.trim();
          var number = parseFloat(text.replace(/[^0-9.\-]/g, ""));
          return isNaN(number) ? text.toLowerCase() : number;
        };
        Array.from(body.rows).sort(function (a, b) {
          var x = key(a), y = key(b);
          return (x > y ? 1 : x < y ? -1 : 0) * (ascending ? 1 : -1);
        }).forEach(function (row) { body.appendChild(row); });
      };
      th.addEventListener("click", sort);
      th.addEventListener("keydown", function (e) { if (e.key === "Enter") { sort(); } });
    });
  });
});

// Fact index: the filter box hides the entries (and the sources' sections, headings and all) that do not contain
// the words typed.
document.addEventListener("DOMContentLoaded", function () {
  var box = document.getElementById("fact-filter");
  if (!box) { return; }
  var status = document.getElementById("fact-filter-status");
  box.addEventListener("input", function () {
    var words = box.value.toLowerCase().split(/\s+/).filter(Boolean);
    var shown = 0;
    document.querySelectorAll(".fact-entry").forEach(function (entry) {
      var text = entry.textContent.toLowerCase();
      entry.hidden = !words.every(function (word) { return text.includes(word); });
      if (!entry.hidden) { shown += 1; }
    });
    document.querySelectorAll("div.fact-source").forEach(function (entries) {
      entries.closest("section").hidden = !entries.querySelector(".fact-entry:not([hidden])");
    });
    status.textContent = !words.length ? "" : shown ? "Showing the matching entries only." : "No entry matches.";
  });
});

// "Cite this figure": copies the entry's citation with its permanent link (the page's address and the fact's id).
document.addEventListener("click", function (event) {
  var button = event.target.closest("button.cite-fact");
  if (!button) { return; }
  var entry = button.closest(".fact-entry");
  var link = location.href.split("#")[0] + "#" + entry.id;
  var text = button.dataset.citation + " " + link;
  var done = function () {
    button.textContent = "Citation copied";
    setTimeout(function () { button.textContent = "Cite this figure"; }, 2000);
  };
  if (navigator.clipboard && window.isSecureContext) {
    navigator.clipboard.writeText(text).then(done, function () { copyBySelection(text); done(); });
  } else {
    copyBySelection(text);
    done();
  }
});

function copyBySelection(text) {
  var area = document.createElement("textarea");
  area.value = text;
  area.setAttribute("readonly", "");
  area.style.position = "fixed";
  area.style.opacity = "0";
  document.body.appendChild(area);
  area.select();
  document.execCommand("copy");
  document.body.removeChild(area);
}

// Charts: each panel's Vega-Lite spec (in <script class="chart-spec">) is drawn into the <div class="chart-live">
// before it, sized to its column, in the colours of the page's theme; redrawn when the reader switches theme.
(function () {
  // Numbers on axes as the book prints them (1,234), whatever the browser's language.
  var LOCALE = {decimal: ".", thousands: ",", grouping: [3], currency: ["$", ""]};

  function colours() {
    var style = getComputedStyle(document.documentElement);
    var css = function (name) { return style.getPropertyValue(name).trim(); };
    return {ink: css("--icebook-chart-ink"), muted: css("--icebook-chart-muted"), grid: css("--icebook-chart-grid"),
            bar: css("--icebook-chart-bar"), onBar: css("--icebook-chart-on-bar")};
  }

  function themed(spec, c) {
    var axis = Object.assign({}, spec.config.axis, {labelColor: c.ink, titleColor: c.ink, domainColor: c.muted,
                                                    tickColor: c.muted, gridColor: c.grid});
    spec.config = Object.assign({}, spec.config, {axis: axis});
    var value = {barColour: c.bar, inkColour: c.ink, onBarColour: c.onBar};
    spec.params = spec.params.map(function (p) { return p.name in value ? {name: p.name, value: value[p.name]} : p; });
    return spec;
  }

  function draw(figure) {
    var panels = figure.querySelectorAll(".chart-panel");
    var c = colours();
    Promise.all(Array.from(panels).map(function (panel) {
      var spec = themed(JSON.parse(panel.querySelector("script.chart-spec").textContent), c);
      if (panel.icebookView) { panel.icebookView.finalize(); }
      return vegaEmbed(panel.querySelector(".chart-live"), spec, {actions: false, renderer: "svg", mode: "vega-lite", formatLocale: LOCALE})
        .then(function (result) { panel.icebookView = result.view; });
    })).then(function () { figure.classList.add("chart-drawn"); })
      .catch(function (e) { console.error("chart " + figure.id + ": " + e); });
  }

  function drawAll() { document.querySelectorAll("figure.icebook-chart").forEach(draw); }

  document.addEventListener("DOMContentLoaded", function () {
    drawAll();
    var theme = document.documentElement.getAttribute("data-theme");
    new MutationObserver(function () {
      var now = document.documentElement.getAttribute("data-theme");
      if (now !== theme) { theme = now; drawAll(); }
    }).observe(document.documentElement, {attributes: true, attributeFilter: ["data-theme"]});
  });
})();
