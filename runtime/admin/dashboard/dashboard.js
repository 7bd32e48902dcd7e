// edgerun's dashboard: polls /dashboard.json once a second and draws
// tiles, tables and hand-written SVG line charts. No library, nothing
// fetched from anywhere but this listener.
"use strict";

const SVG = "http://www.w3.org/2000/svg";
const MAX_SPAN_MS = 5 * 60 * 1000; // the charts show up to the last five minutes (what the server keeps)
const MIN_SPAN_MS = 60 * 1000; // and at least one, so a fresh server's first seconds are not a sliver
const SLOW_ROWS = 10;
const $ = (sel, root = document) => root.querySelector(sel);
const $$ = (sel, root = document) => Array.from(root.querySelectorAll(sel));

function el(tag, attrs = {}, text) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  if (text !== undefined) e.textContent = text;
  return e;
}

function svgEl(tag, attrs = {}, text) {
  const e = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  if (text !== undefined) e.textContent = text;
  return e;
}

// Formatting: every number carries its unit.
const intFmt = new Intl.NumberFormat("en-US");
function fmtInt(v) { return v == null ? "–" : intFmt.format(v); }
function fmtRate(v) {
  if (v == null) return "–";
  return v >= 100 ? intFmt.format(Math.round(v)) : v >= 10 ? v.toFixed(1) : v.toFixed(2);
}
function fmtMs(v) {
  if (v == null) return "–";
  if (v >= 1000) return (v / 1000).toFixed(v >= 10000 ? 1 : 2) + " s";
  return (v >= 100 ? Math.round(v) : v >= 10 ? v.toFixed(1) : v.toFixed(2)) + " ms";
}
function fmtPct(v) { return v == null ? "–" : (v * 100).toFixed(v >= 0.999 || v === 0 ? 0 : 1) + "%"; }

// setValue writes a tile's value with its unit in a smaller span.
function setValue(node, text) {
  const m = /^(.*?)(?:\s(ms|s|\/s))?$/.exec(text);
  node.textContent = m[1];
  if (m[2]) node.appendChild(el("span", { class: "unit" }, m[2]));
}

// niceMax rounds a maximum up to 1, 2 or 5 times a power of ten.
function niceMax(v) {
  if (!(v > 0)) return 1;
  const p = Math.pow(10, Math.floor(Math.log10(v)));
  for (const m of [1, 2, 2.5, 5, 10]) if (v <= m * p) return m * p;
  return 10 * p;
}

// lineChart draws series over the last SPAN_MS into svg. Each series is
// { name, values, cls, right } — right-axis series are ratios (0..1) drawn
// against a percentage scale. Gaps (null) break the line.
function lineChart(svg, t, series, fmtAxis) {
  const [W, H] = svg.getAttribute("viewBox").split(" ").slice(2).map(Number);
  const hasRight = series.some((s) => s.right);
  const L = 52, R = hasRight ? 44 : 12, T = 8, B = 22;
  const end = t.length ? t[t.length - 1] : Date.now();
  const span = Math.min(MAX_SPAN_MS, Math.max(MIN_SPAN_MS, t.length ? end - t[0] : 0));
  const start = end - span;
  let max = 0;
  for (const s of series) if (!s.right) for (const v of s.values) if (v != null && v > max) max = v;
  max = niceMax(max);
  const x = (ms) => L + ((ms - start) / span) * (W - L - R);
  const y = (v, right) => T + (1 - v / (right ? 1 : max)) * (H - T - B);
  svg.replaceChildren();
  for (let i = 0; i <= 4; i++) {
    const v = (max * i) / 4, yy = y(v);
    svg.appendChild(svgEl("line", { class: "grid", x1: L, x2: W - R, y1: yy, y2: yy }));
    svg.appendChild(svgEl("text", { class: "axis", x: L - 6, y: yy + 4, "text-anchor": "end" }, fmtAxis(v)));
    if (hasRight) svg.appendChild(svgEl("text", { class: "axis", x: W - R + 6, y: yy + 4 }, (25 * i) + "%"));
  }
  // Time ticks: every 10 s up to two minutes shown, else every minute.
  const step = span <= 120000 ? (span <= 60000 ? 10000 : 20000) : 60000;
  for (let ago = 0; ago <= span + 1; ago += step) {
    const label = ago === 0 ? "now" : step < 60000 ? `−${ago / 1000} s` : `−${ago / 60000} min`;
    svg.appendChild(svgEl("text", { class: "axis", x: x(end - ago), y: H - 6, "text-anchor": ago === 0 ? "end" : "middle" }, label));
  }
  for (const s of series) {
    let d = "", pen = false, points = 0;
    s.values.forEach((v, i) => {
      if (v == null || t[i] < start) { pen = false; return; }
      d += (pen ? "L" : "M") + x(t[i]).toFixed(1) + " " + y(Math.min(v, s.right ? 1 : max), s.right).toFixed(1);
      pen = true;
      points++;
    });
    svg.appendChild(svgEl("path", { d, class: s.cls, "data-series": s.name, "data-points": points }));
  }
}

function legend(node, series, fmt) {
  node.replaceChildren();
  for (const s of series) {
    const last = [...s.values].reverse().find((v) => v != null);
    const item = el("span");
    item.appendChild(el("span", { class: "sw " + s.cls.replace(/s(\d)/, "b$1").replace(" dashed", "") }));
    item.appendChild(document.createTextNode(s.name + " "));
    item.appendChild(el("b", {}, last == null ? "–" : (s.fmt || fmt)(last)));
    node.appendChild(item);
  }
}

function renderHTTP(doc) {
  const h = doc.http;
  setValue($("[data-metric=rps]"), fmtRate(h.rps) + " /s");
  $("[data-metric=error_rate]").textContent = fmtPct(h.error_rate);
  setValue($("[data-metric=p50]"), fmtMs(h.p50_ms));
  setValue($("[data-metric=p95]"), fmtMs(h.p95_ms));
  setValue($("[data-metric=p99]"), fmtMs(h.p99_ms));
  $("[data-metric=requests_total]").textContent = fmtInt(h.total);
  $("[data-metric=by_class]").textContent = ["2xx", "3xx", "4xx", "5xx"].map((c) => `${c} ${fmtInt(h.by_class[c] || 0)}`).join(" · ");
  const iso = doc.isolates;
  $("[data-metric=isolates_busy]").textContent = `${iso.busy} / ${iso.isolates}`;
  $("[data-metric=isolates_detail]").textContent = `${fmtInt(iso.in_flight)} in flight · ${fmtInt(iso.queued)} queued`;
  $("[data-metric=isolates_replaced]").textContent = fmtInt(iso.replaced);

  const classes = [["2xx", "s2"], ["3xx", "s1"], ["4xx", "s4"], ["5xx", "s5"]];
  const rps = classes.map(([c, cls]) => ({ name: c, values: h.series.rps[c], cls }));
  lineChart($("#chart-rps"), doc.t, rps, (v) => fmtAxisNum(v) + "/s");
  legend($("#legend-rps"), rps, (v) => fmtRate(v) + "/s");
  const lat = [
    { name: "p50", values: h.series.p50_ms, cls: "s2" },
    { name: "p95", values: h.series.p95_ms, cls: "s4" },
    { name: "p99", values: h.series.p99_ms, cls: "s5" },
  ];
  lineChart($("#chart-latency"), doc.t, lat, (v) => fmtAxisMs(v));
  legend($("#legend-latency"), lat, fmtMs);
}

function fmtAxisNum(v) { return v >= 1000 ? (v / 1000).toFixed(v % 1000 ? 1 : 0) + "k" : String(+v.toFixed(2)); }
function fmtAxisMs(v) { return v >= 1000 ? +(v / 1000).toFixed(2) + " s" : +v.toFixed(2) + " ms"; }

function alertText(a) {
  const where = a.endpoint ? `${a.binding} ${a.endpoint}` : a.binding || "";
  const v = a.unit === "ms" ? fmtMs(a.value) : a.unit === "ratio" ? fmtPct(a.value) : `${a.value} in a row`;
  const th = a.unit === "ms" ? fmtMs(a.threshold) : a.unit === "ratio" ? fmtPct(a.threshold) : `${a.threshold}`;
  return { name: a.name.replace(/_/g, " "), where, v, th };
}

function renderAlerts(doc) {
  const body = $("#alerts-body");
  body.replaceChildren();
  const state = $("#state");
  const worst = doc.alerts.some((a) => a.level === "critical") ? "critical" : doc.alerts.length ? "warning" : "ok";
  state.className = "pill " + worst;
  state.textContent = worst === "ok" ? "no alerts" : `${doc.alerts.length} alert${doc.alerts.length > 1 ? "s" : ""}`;
  if (!doc.alerts.length) {
    body.appendChild(el("div", { class: "empty" }, "No alerts raised."));
  } else {
    const table = el("table");
    const head = el("tr");
    for (const [h, c] of [["Level", ""], ["Alert", ""], ["Binding / endpoint", ""], ["Value", "num"], ["Threshold", "num"], ["Since", ""]]) head.appendChild(el("th", c ? { class: c } : {}, h));
    table.appendChild(el("thead")).appendChild(head);
    const tb = table.appendChild(el("tbody"));
    for (const a of doc.alerts) {
      const t = alertText(a), tr = el("tr", { "data-alert": a.name });
      const lv = el("td"); lv.appendChild(el("span", { class: "badge " + a.level }, a.level));
      tr.append(lv, el("td", {}, t.name), el("td", {}, t.where || "—"), el("td", { class: "num" }, t.v), el("td", { class: "num" }, t.th),
        el("td", {}, new Date(a.since).toLocaleTimeString()));
      tb.appendChild(tr);
    }
    body.appendChild(table);
  }
  const th = doc.thresholds;
  $("#thresholds").textContent = th.window_s ? `Thresholds over the last ${th.window_s} s: response time ${fmtMs(th.response_time_warning_ms)} warning / ${fmtMs(th.response_time_critical_ms)} critical · ` +
    `5xx and failed-statement rate ${fmtPct(th.error_rate_warning)} / ${fmtPct(th.error_rate_critical)} · ${th.connection_failures} consecutive connection failures` : "";
}

function renderBinding(doc, b) {
  let card = $(`.binding[data-binding="${CSS.escape(b.name)}"]`);
  if (!card) {
    card = $("#binding-template").content.firstElementChild.cloneNode(true);
    card.dataset.binding = b.name;
    $("#bindings").appendChild(card);
  }
  const f = (n) => $(`[data-field=${n}]`, card);
  f("name").textContent = b.name;
  setValue(f("qps"), fmtRate(b.qps) + " /s");
  f("hit_rate").textContent = fmtPct(b.hit_rate);
  f("queries_total").textContent = fmtInt(b.queries_total);
  f("cache_hits").textContent = fmtInt(b.cache_hits);
  f("cache_misses").textContent = fmtInt(b.cache_misses);
  if (b.proxy) {
    f("proxy_clients").textContent = fmtInt(b.proxy.clients);
    f("proxy_detail").textContent = `${b.proxy.address} · ${fmtInt(b.proxy.clients_total)} since start · ${fmtInt(b.proxy.statements)} statements`;
  } else {
    f("proxy_clients").textContent = "off";
    f("proxy_detail").textContent = "local_port = -1";
  }
  const eps = f("endpoints");
  eps.replaceChildren();
  for (const ep of b.endpoints) {
    const tr = el("tr", { "data-endpoint": ep.name });
    const name = el("td", {}, ep.name);
    if (ep.role !== ep.name) name.appendChild(el("span", { class: "role" }, ep.role));
    const br = el("td"); br.appendChild(el("span", { class: "badge " + ep.breaker, "data-breaker": ep.breaker }, ep.breaker));
    const bar = el("span", { class: "bar", title: `${ep.in_use} of ${ep.max} in use, ${ep.total} open` });
    const fill = bar.appendChild(el("span"));
    const use = ep.max ? ep.in_use / ep.max : 0;
    fill.style.width = (use * 100).toFixed(1) + "%";
    if (use >= 0.8) fill.className = "hot";
    const pool = el("td"); pool.appendChild(bar);
    tr.append(name, br, el("td", { class: "num", "data-field": "in_use" }, fmtInt(ep.in_use)), el("td", { class: "num" }, fmtInt(ep.idle)),
      el("td", { class: "num" }, fmtInt(ep.max)), pool, el("td", { class: "num" }, fmtMs(ep.acquire_avg_ms)), el("td", { class: "num" }, fmtMs(ep.acquire_p95_ms)));
    eps.appendChild(tr);
  }
  const series = [
    { name: "queries/s", values: b.series.qps, cls: "s1", fmt: (v) => fmtRate(v) + "/s" },
    { name: "cache hit rate", values: b.series.hit_rate, cls: "s2 dashed", right: true, fmt: fmtPct },
  ];
  lineChart(f("chart"), doc.t, series, (v) => fmtAxisNum(v) + "/s");
  legend(f("legend"), series, fmtRate);
  const slow = f("slow");
  slow.replaceChildren();
  const rows = b.slow_queries.slice(0, SLOW_ROWS);
  f("slow_note").textContent = b.slow_total ? `(${fmtInt(b.slow_total)} since start; the last ${rows.length} shown)` : "";
  if (!b.slow_queries.length) {
    const tr = el("tr"); tr.appendChild(el("td", { colspan: 6, class: "empty" }, "No statement slower than slow_query_ms yet."));
    slow.appendChild(tr);
  }
  for (const q of rows) {
    const tr = el("tr", { "data-slow": "" });
    tr.append(el("td", {}, new Date(q.at).toLocaleTimeString()), el("td", { class: "num" }, fmtMs(q.duration_ms)), el("td", {}, q.endpoint),
      el("td", {}, q.via === "proxy" ? "driver" : "prepare()"), el("td", { class: "sql" }, q.sql), el("td", { class: "num" }, String(q.params)));
    slow.appendChild(tr);
  }
}

function render(doc) {
  for (const w of $$("[data-window]")) w.textContent = `(last ${doc.window_s} s)`;
  const nav = $("#links");
  if (!nav.children.length) for (const l of doc.links) nav.appendChild(el("a", { href: l }, l));
  renderHTTP(doc);
  renderAlerts(doc);
  for (const b of doc.bindings) renderBinding(doc, b);
  $("#updated").textContent = "updated " + new Date(doc.t.length ? doc.t[doc.t.length - 1] : Date.now()).toLocaleTimeString();
  document.body.dataset.renders = String(Number(document.body.dataset.renders || 0) + 1);
}

async function poll() {
  try {
    const r = await fetch("/dashboard.json", { cache: "no-store" });
    if (!r.ok) throw new Error(`${r.status} ${r.statusText}`);
    render(await r.json());
  } catch (e) {
    const state = $("#state");
    state.className = "pill critical";
    state.textContent = "admin listener unreachable";
  }
  setTimeout(poll, 1000);
}
poll();
