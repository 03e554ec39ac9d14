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

// A source's page of the fact index: the filter box shows only the figures whose line or quote holds every word
// typed (a quote with none of them folds away), and says how many.
document.addEventListener("DOMContentLoaded", function () {
  var box = document.getElementById("fact-filter");
  if (!box) { return; }
  var status = document.getElementById("fact-filter-status");
  var entries = document.querySelectorAll(".quote-group .fact-entry");
  box.addEventListener("input", function () {
    var words = box.value.toLowerCase().split(/\s+/).filter(Boolean);
    var shown = 0;
    entries.forEach(function (entry) {
      var group = entry.closest(".quote-group");
      var text = (entry.textContent + " " + group.querySelector(".source-quote").textContent).toLowerCase();
      entry.hidden = !words.every(function (word) { return text.includes(word); });
      if (!entry.hidden) { shown += 1; }
    });
    document.querySelectorAll(".quote-group").forEach(function (group) {
      group.hidden = !group.querySelector(".fact-entry:not([hidden])");
    });
    status.textContent = !words.length ? "" : shown ? shown + " of " + entries.length + " facts match." :
      "No fact of this source matches.";
  });
});

// The fact index's landing page: an old address of a fact (fact-index.html#<fact-id>, from when every fact stood
// on one page) goes on to the fact's page; a fact's id starts with its source's id.
(function () {
  var id = decodeURIComponent(location.hash.slice(1));
  if (!id) { return; }
  document.addEventListener("DOMContentLoaded", function () {
    var list = document.querySelector("ul.fact-sources[data-sources]");
    if (!list || document.getElementById(id)) { return; }
    var source = id.split("-")[0];
    if (list.dataset.sources.split(" ").indexOf(source) >= 0) {
      location.replace("facts-" + source + ".html#" + encodeURIComponent(id));
    }
  });
})();

// The edition the page belongs to, as its footer names it (filled in when the site is published): "ICE in …,
// edition of 2026-12-06 (data version …, source commit …)"; empty on a page that was never published.
function editionText() {
  var edition = document.querySelector(".build-version .edition");
  if (!edition) { return ""; }
  var d = edition.dataset;
  return d.book + ", edition of " + d.published + " (data version " + d.dataVersion + ", source commit " +
    d.commit + ")";
}

// "Cite this figure": copies the entry's citation with its permanent link (the page's address and the fact's id)
// and the edition of the book it was read in.
document.addEventListener("click", function (event) {
  var button = event.target.closest("button.cite-fact");
  if (!button) { return; }
  var entry = button.closest(".fact-entry");
  var link = location.href.split("#")[0] + "#" + entry.id;
  var edition = editionText();
  var text = button.dataset.citation + (edition ? " Cited from " + edition + ":" : "") + " " + link;
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

// "Cite this book": the book's address (its home page, wherever the site is served) and a button that copies the
// citation with it.
document.addEventListener("DOMContentLoaded", function () {
  var root = new URL(document.documentElement.dataset.content_root || "./", location.href).href;
  document.querySelectorAll(".cite-book .book-address").forEach(function (span) { span.textContent = root; });
});

document.addEventListener("click", function (event) {
  var button = event.target.closest("button.cite-book-copy");
  if (!button) { return; }
  var text = button.closest(".cite-book").querySelector(".book-citation").textContent.replace(/\s+/g, " ").trim();
  var done = function () {
    button.textContent = "Citation copied";
    setTimeout(function () { button.textContent = "Copy this citation"; }, 2000);
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
// before it, as wide as that box is once laid out, in the colours of the page's theme; redrawn when the box's width
// changes (a window widened past the sidebar's breakpoint, a phone turned) and when the reader switches theme.
// A spec "as wide as its container" is given the box's measured width rather than left to Vega, whose own
// listener reads the width on the window's resize event, before the page's layout settles, and so drew charts
// wider than their box after the sidebar appeared.
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

  // The width a panel is drawn at: its box's, as laid out now (whole pixels, never wider than the box).
  function boxWidth(live) { return Math.floor(live.getBoundingClientRect().width); }

  function sized(spec, width) {
    if (spec.width === "container") { spec.width = width; }
    return spec;
  }

  function draw(figure) {
    var panels = figure.querySelectorAll(".chart-panel");
    var c = colours();
    Promise.all(Array.from(panels).map(function (panel) {
      var live = panel.querySelector(".chart-live");
      var width = boxWidth(live);
      var spec = sized(themed(JSON.parse(panel.querySelector("script.chart-spec").textContent), c), width);
      if (panel.icebookView) { panel.icebookView.finalize(); }
      return vegaEmbed(live, spec, {actions: false, renderer: "svg", mode: "vega-lite", formatLocale: LOCALE})
        .then(function (result) { panel.icebookView = result.view; panel.dataset.drawnWidth = width; });
    })).then(function () { figure.classList.add("chart-drawn"); })
      .catch(function (e) { console.error("chart " + figure.id + ": " + e); });
  }

  function drawAll() { document.querySelectorAll("figure.icebook-chart").forEach(draw); }

  // Redraw a figure once its panels' boxes have settled at a new width (one redraw per change, after layout).
  var waiting = new Map();
  function whenResized(entries) {
    entries.forEach(function (entry) {
      var panel = entry.target.closest(".chart-panel");
      if (!panel || panel.dataset.drawnWidth === undefined) { return; }
      if (Math.abs(boxWidth(entry.target) - Number(panel.dataset.drawnWidth)) < 1) { return; }
      var figure = panel.closest("figure.icebook-chart");
      figure.classList.remove("chart-drawn");  // until it is drawn again, for its box as it is now
      clearTimeout(waiting.get(figure));
      waiting.set(figure, setTimeout(function () { waiting.delete(figure); draw(figure); }, 100));
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    drawAll();
    if (window.ResizeObserver) {
      var observer = new ResizeObserver(whenResized);
      document.querySelectorAll("figure.icebook-chart .chart-live").forEach(function (live) { observer.observe(live); });
    }
    var theme = document.documentElement.getAttribute("data-theme");
    new MutationObserver(function () {
      var now = document.documentElement.getAttribute("data-theme");
      if (now !== theme) { theme = now; drawAll(); }
    }).observe(document.documentElement, {attributes: true, attributeFilter: ["data-theme"]});
  });
})();

// The search page: Pagefind's interface over the index the build ships in _pagefind/ (lib/icebook/build/search.py).
// The sidebar's search box sends its words here as ?q=…; each result links to the section or fact that holds them.
document.addEventListener("DOMContentLoaded", function () {
  var mount = document.getElementById("icebook-search");
  if (!mount) { return; }
  if (location.protocol === "file:" || typeof PagefindUI === "undefined") {
    document.getElementById("icebook-search-offline").hidden = false;
    return;
  }
  var ui = new PagefindUI({
    element: "#icebook-search",
    bundlePath: new URL(mount.dataset.bundle, location.href).pathname,
    showSubResults: true,
    showImages: false,
    pageSize: 8,
    autofocus: true,
    translations: {
      placeholder: "A figure, a name or a document number",
      search_label: "Search the book",
      zero_results: "No page of the book holds “[SEARCH_TERM]”. Try fewer words, or a figure without its unit.",
      many_results: "[COUNT] pages hold “[SEARCH_TERM]”",
      one_result: "[COUNT] page holds “[SEARCH_TERM]”",
      alt_search: "No page holds “[SEARCH_TERM]”; showing the pages that hold “[DIFFERENT_TERM]”",
    },
  });
  var input = mount.querySelector("input");
  if (input) { input.id = "icebook-search-words"; }  // the page's visible label names it
  if (mount.dataset.filter) { ui.triggerFilters({Listing: [mount.dataset.filter]}); }  // the fact index's search
  var words = new URLSearchParams(location.search).get("q");
  if (words) { ui.triggerSearch(words); }
});
