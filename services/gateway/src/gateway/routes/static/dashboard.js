// Live dashboard: follows /v1/programme/counters/stream and redraws from each snapshot.
// Every value goes through textContent, never innerHTML, so figures can never inject markup.
"use strict";

(function () {
  const STREAM_URL = "/v1/programme/counters/stream";
  const COUNTER_TITLES = {
    trainees_trained: "Trainees trained",
    students_reached: "Students reached",
    events_delivered: "Events delivered",
    attendances: "Attendances",
    leaders: "Future leaders",
    leader_organisations: "Leader organisations",
  };
  const WORDS = {
    non_binary: "Non-binary",
    prefer_not_to_say: "Prefer not to say",
    not_disclosed: "Not disclosed",
    self_described: "Self-described",
    northern_ireland: "Northern Ireland",
    ethnic_minority: "From ethnic minority backgrounds",
    ethnicity: "Ethnic group",
    gender: "Gender",
  };
  const BREAKDOWN_COLUMNS = ["attendances", "events_delivered", "trainees_trained", "students_reached", "leaders"];
  const numberFormat = new Intl.NumberFormat("en-GB");
  const timeFormat = new Intl.DateTimeFormat("en-GB", { dateStyle: "medium", timeStyle: "medium" });
  const monthFormat = new Intl.DateTimeFormat("en-GB", { month: "long", year: "numeric", timeZone: "UTC" });

  function words(name) {
    if (WORDS[name]) return WORDS[name];
    if (COUNTER_TITLES[name]) return COUNTER_TITLES[name];
    const text = String(name).replace(/_/g, " ");
    return text.charAt(0).toUpperCase() + text.slice(1);
  }

  function el(tag, attrs, text) {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(attrs || {})) node.setAttribute(key, value);
    if (text !== undefined) node.textContent = text;
    return node;
  }

  let withheldBelow = 5; // figures.smallest_shown when a rule withholds small cells
  let partnerNames = {}; // figures.partner_names: breakdown rows are keyed by partner id

  function cell(value) {
    if (value === undefined) return { text: "–", suppressed: false }; // not counted for this breakdown
    if (value === null) return { text: `fewer than ${withheldBelow}`, suppressed: true };
    return { text: numberFormat.format(value), suppressed: false };
  }

  function showCounters(figures) {
    for (const item of document.querySelectorAll("#counters .counter")) {
      const value = figures[item.dataset.counter];
      const out = item.querySelector(".value");
      const text = typeof value === "number" ? numberFormat.format(value) : "–";
      if (out.textContent !== text) {
        out.textContent = text;
        item.classList.remove("changed");
        void item.offsetWidth; // restart the highlight animation
        item.classList.add("changed");
      }
    }
  }

  function showTargets(targets) {
    const box = document.getElementById("targets");
    const entries = Object.entries(targets || {});
    if (!entries.length) {
      box.replaceChildren(el("p", { class: "empty" }, "No targets set for this programme."));
      return;
    }
    box.replaceChildren(...entries.map(([name, t]) => {
      const percent = Math.max(0, Math.min(100, t.percent));
      const label = `${numberFormat.format(t.actual)} of ${numberFormat.format(t.target)} (${t.percent.toFixed(1)}%)`;
      const wrap = el("div", { class: "target" });
      const head = el("div", { class: "target-head" });
      head.append(el("span", { id: `target-${name}` }, words(name)), el("span", {}, label));
      const bar = el("div", {
        class: "target-bar", role: "progressbar", "aria-labelledby": `target-${name}`,
        "aria-valuemin": "0", "aria-valuemax": String(t.target), "aria-valuenow": String(Math.min(t.actual, t.target)),
        "aria-valuetext": label,
      });
      const fill = el("div", { class: "target-fill" });
      fill.style.width = `${percent}%`;
      bar.append(fill);
      wrap.append(head, bar);
      return wrap;
    }));
  }

  function shareLabel(share) {
    if (share.suppressed || share.percent === null) return `fewer than ${withheldBelow}`;
    return `${share.percent.toFixed(1)}% (${numberFormat.format(share.count)})`;
  }

  function showDimension(dimension, categories) {
    const box = el("div", { class: "share-dimension" });
    box.append(el("h4", {}, words(dimension)));
    const entries = Object.entries(categories);
    const stack = el("div", { class: "stack", role: "img",
      "aria-label": entries.map(([c, s]) => `${words(c)} ${shareLabel(s)}`).join(", ") });
    const list = el("ul", { class: "share-list" });
    entries.forEach(([category, share], index) => {
      const pattern = `p${index % 6}`;
      const percent = share.suppressed || share.percent === null ? 0 : share.percent;
      if (percent > 0) {
        const segment = el("div", { class: `segment ${pattern}`, title: `${words(category)}: ${shareLabel(share)}` },
          percent >= 18 ? `${words(category)} ${Math.round(percent)}%` : "");
        segment.style.flex = `${percent} 0 0`;
        stack.append(segment);
      }
      const item = el("li");
      item.append(el("span", { class: `swatch ${pattern}`, "aria-hidden": "true" }),
        el("span", {}, `${words(category)}: ${shareLabel(share)}`));
      list.append(item);
    });
    box.append(stack, list);
    return box;
  }

  function showShares(shares) {
    const box = document.getElementById("shares");
    const groups = Object.entries(shares || {});
    if (!groups.length) {
      box.replaceChildren(el("p", { class: "empty" }, "No one counted yet."));
      return;
    }
    box.replaceChildren(...groups.map(([population, dimensions]) => {
      const group = el("article", { class: "share-group" });
      group.append(el("h3", {}, words(population)));
      for (const [dimension, categories] of Object.entries(dimensions)) {
        group.append(showDimension(dimension, categories));
      }
      return group;
    }));
  }

  function showBreakdown(by, rows) {
    const box = document.getElementById(`breakdown-${by}`);
    const heading = box.querySelector("h3");
    const entries = Object.entries(rows || {}).sort((a, b) => (b[1].attendances ?? 0) - (a[1].attendances ?? 0));
    if (!entries.length) {
      box.replaceChildren(heading, el("p", { class: "empty" }, "Nothing to show yet."));
      return;
    }
    const table = el("table", { "aria-labelledby": `breakdown-${by}-title` });
    const head = el("tr");
    head.append(el("th", { scope: "col" }, words(by === "kind" ? "event_kind" : by)));
    for (const column of BREAKDOWN_COLUMNS) head.append(el("th", { scope: "col" }, words(column)));
    const thead = el("thead");
    thead.append(head);
    const tbody = el("tbody");
    for (const [key, values] of entries) {
      const row = el("tr");
      row.append(el("th", { scope: "row" }, by === "partner" ? partnerNames[key] || key : words(key)));
      for (const column of BREAKDOWN_COLUMNS) {
        const shown = cell(values[column]);
        row.append(el("td", shown.suppressed ? { class: "suppressed" } : {}, shown.text));
      }
      tbody.append(row);
    }
    table.append(thead, tbody);
    box.replaceChildren(heading, table);
  }

  // The statement and the charts are drawn by metrics from the same figures; fetched again only when the
  // figures' release time moves (public releases are at least a minute apart).
  let drawnFor = null;

  function query(figures) {
    return `programme_id=${encodeURIComponent(figures.programme_id)}&v=${encodeURIComponent(figures.updated_at || "")}`;
  }

  function showStatement(figures) {
    fetch(`/v1/programme/statement?${query(figures)}`, { headers: { Accept: "application/json" } })
      .then((response) => (response.ok ? response.json() : Promise.reject(response.status)))
      .then((statement) => { document.getElementById("statement").textContent = statement.text; })
      .catch(() => { document.getElementById("statement").textContent = "The statement is not available just now."; });
  }

  function chart(name, text) {
    const figure = el("figure", { class: "chart" });
    figure.append(el("img", { src: `/v1/programme/charts/${name}?${drawnFor}`, alt: text, "data-chart": name,
      width: "800", height: name === "nation" || name === "kind" ? "320" : "400" }));
    return figure;
  }

  function showTrends(figures) {
    const months = Object.keys(figures.reach_by_month || {}).sort();
    const table = document.getElementById("trend-table");
    const heading = table.querySelector("h3");
    if (!months.length) {
      document.getElementById("trend-charts").replaceChildren();
      table.replaceChildren(heading, el("p", { class: "empty" }, "Nothing to show yet."));
      return;
    }
    document.getElementById("trend-charts").replaceChildren(...Object.keys(COUNTER_TITLES).map((name) =>
      chart(name, `${words(name)} by the end of each month, with its target where it has one; numbers in the table below.`)));
    document.getElementById("breakdown-charts").replaceChildren(
      chart("nation", "Attendances by nation; numbers in the table By nation."),
      chart("kind", "Attendances by event kind; numbers in the table By event kind."));
    const head = el("tr");
    head.append(el("th", { scope: "col" }, "Month"));
    for (const name of Object.keys(COUNTER_TITLES)) head.append(el("th", { scope: "col" }, words(name)));
    const thead = el("thead");
    thead.append(head);
    const tbody = el("tbody");
    for (const month of months) {
      const row = el("tr");
      row.append(el("th", { scope: "row" }, monthFormat.format(new Date(`${month}-01T00:00:00Z`))));
      for (const name of Object.keys(COUNTER_TITLES)) {
        const shown = cell(figures.reach_by_month[month][name]);
        row.append(el("td", shown.suppressed ? { class: "suppressed" } : {}, shown.text));
      }
      tbody.append(row);
    }
    const grid = el("table", { "aria-labelledby": "trend-table-title" });
    grid.append(thead, tbody);
    table.replaceChildren(heading, grid);
  }

  function showDisclosure(figures) {
    if (figures.smallest_shown) withheldBelow = figures.smallest_shown;
    const note = document.getElementById("disclosure-note");
    if (!figures.rounding_base) return;
    const withheld = figures.smallest_shown ? ` Groups of fewer than ${figures.smallest_shown} are not shown.` : "";
    note.textContent = `To protect individuals, every public figure, totals included, is rounded to the nearest ` +
      `${figures.rounding_base} and released a few check-ins at a time.${withheld}`;
  }

  function show(figures) {
    partnerNames = figures.partner_names || {};
    showDisclosure(figures);
    showCounters(figures);
    showTargets(figures.targets);
    showShares(figures.shares);
    for (const by of ["partner", "nation", "kind"]) showBreakdown(by, (figures.breakdowns || {})[by]);
    const drawn = query(figures);
    if (drawn !== drawnFor) {
      drawnFor = drawn;
      showStatement(figures);
      showTrends(figures);
    }
    const updated = document.getElementById("updated-at");
    if (figures.updated_at) {
      updated.dateTime = figures.updated_at;
      updated.textContent = timeFormat.format(new Date(figures.updated_at));
    }
  }

  function setConnection(state, text) {
    const node = document.getElementById("connection");
    node.dataset.state = state;
    node.textContent = text;
  }

  function connect() {
    const source = new EventSource(STREAM_URL);
    source.onopen = () => setConnection("live", "Live");
    source.onmessage = (message) => {
      setConnection("live", "Live");
      show(JSON.parse(message.data));
    };
    // EventSource reconnects by itself and sends Last-Event-ID, so only the status changes here.
    source.onerror = () => setConnection("reconnecting", "Reconnecting…");
  }

  connect();
})();
