// warmonitor dashboard: a map of events over shipped boundaries, a timeline, figures, a table, and the
// evidence behind each event. Everything it shows comes from the JSON API of the same server.
// Report text is untrusted: it only ever reaches the page as text nodes (textContent), never as markup.
"use strict";

const state = { filters: {}, offset: 0, pageSize: 50, colours: {}, index: {}, selected: null };
const reportTexts = new Map();
const admin1Loaded = new Set();

// -- small helpers ---------------------------------------------------------------------------------
function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (k === "class") node.className = v;
    else if (k === "style") node.style.cssText = v;
    else if (k.startsWith("on")) node.addEventListener(k.slice(2), v);
    else node.setAttribute(k, v);
  }
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

function svgEl(tag, attrs) {
  const node = document.createElementNS("http://www.w3.org/2000/svg", tag);
  for (const [k, v] of Object.entries(attrs || {})) node.setAttribute(k, v);
  return node;
}

function colour(type) { return state.colours[type] || "#616161"; }

function swatch(type) { return el("span", { class: "swatch", style: `background:${colour(type)}` }); }

// the query string of the filters set (only those named in `keys`, when given), plus `extra`
function query(extra, keys) {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries({ ...state.filters, ...(extra || {}) })) {
    if (v !== "" && v !== null && v !== undefined && (!keys || keys.includes(k) || (extra && k in extra))) {
      params.set(k, v);
    }
  }
  return params.toString();
}

async function api(path) {
  const response = await fetch(path, { headers: { Accept: "application/json" } });
  if (response.status === 404) return null;
  if (!response.ok) throw new Error(`${path}: ${response.status} ${response.statusText}`);
  return response.json();
}

function status(text) { document.getElementById("status").textContent = text; }

function httpUrl(url) {
  try { const u = new URL(url); return (u.protocol === "http:" || u.protocol === "https:") ? u.href : null; }
  catch (e) { return null; }
}

// -- the map ---------------------------------------------------------------------------------------
const map = L.map("map", { worldCopyJump: true, minZoom: 1, maxZoom: 14, zoomSnap: 1 });
map.attributionControl.addAttribution("Natural Earth");
const countryLayer = L.geoJSON(null, {
  interactive: false,
  style: { fillColor: "#f4f1ea", fillOpacity: 1, color: "#6d6d6d", weight: 1 },
}).addTo(map);
const admin1Layer = L.geoJSON(null, {
  interactive: false,
  style: { fill: false, color: "#a1998b", weight: 0.7, dashArray: "3 2" },
});
const eventLayer = L.layerGroup().addTo(map);
// control squares lie under the event clusters (a pane below Leaflet's marker pane, 600), drawn up and to
// the right of their place so that a cluster on the same town leaves them in sight and clickable
map.createPane("control").style.zIndex = 590;
const controlLayer = L.layerGroup().addTo(map);
L.control.layers(null, { "Events": eventLayer, "Control changes (latest per place)": controlLayer },
                 { collapsed: false }).addTo(map);
map.setView([20, 10], 2);

async function loadBoundaries() {
  const [countries, index] = await Promise.all([api("/boundaries/countries.json"), api("/boundaries/index.json")]);
  countryLayer.addData(countries);
  state.index = index || {};
}

async function loadAdmin1() {
  // each country's admin-1 areas are fetched once, when the map shows it closely enough
  if (map.getZoom() < 5) { map.removeLayer(admin1Layer); return; }
  admin1Layer.addTo(map);
  const view = map.getBounds();
  const wanted = Object.entries(state.index).filter(([iso2, c]) => c.admin1 && !admin1Loaded.has(iso2)
    && view.intersects(L.latLngBounds([c.bbox[1], c.bbox[0]], [c.bbox[3], c.bbox[2]])));
  for (const [iso2] of wanted) {
    admin1Loaded.add(iso2);
    const areas = await api(`/boundaries/admin1/${iso2}.json`);
    if (areas) admin1Layer.addData(areas);
  }
}

function dominant(types) {
  return Object.entries(types).sort((a, b) => b[1] - a[1])[0][0];
}

async function loadMap() {
  const b = map.getBounds();
  const box = { zoom: map.getZoom(), west: b.getWest().toFixed(4), south: Math.max(-90, b.getSouth()).toFixed(4),
                east: b.getEast().toFixed(4), north: Math.min(90, b.getNorth()).toFixed(4) };
  const answer = await api(`/api/map?${query(box)}`);
  eventLayer.clearLayers();
  for (const cell of answer.cells) {
    // a view across the antimeridian: draw each cell on the world copy in view
    const lon = cell.longitude < b.getWest() ? cell.longitude + 360 : cell.longitude > b.getEast() ? cell.longitude - 360 : cell.longitude;
    const where = [cell.latitude, lon];
    const kind = dominant(cell.types);
    if (cell.count === 1 && cell.event) {
      const marker = L.circleMarker(where, {
        radius: 7, fillColor: colour(kind), fillOpacity: 0.9, color: "#fff", weight: 1.5,
        className: `wm-event wm-type-${kind.replace(/[^A-Za-z]+/g, "-").toLowerCase()}`,
      });
      marker.bindTooltip(el("span", {}, `${cell.location || "unnamed place"}: ${kind}`));
      marker.on("click", () => showEvent(cell.event));
      marker.addTo(eventLayer);
      marker.getElement().dataset.event = cell.event;
    } else {
      const size = Math.round(22 + 8 * Math.log10(cell.count));
      const label = el("div", { class: "wm-cluster", style: `width:${size}px;height:${size}px;background:${colour(kind)}` },
                       cell.count.toLocaleString());
      const marker = L.marker(where, {
        icon: L.divIcon({ html: label, className: "wm-cluster-icon", iconSize: [size, size] }),
        keyboard: true, title: `${cell.count} events`,
      });
      marker.on("click", () => (map.getZoom() >= 10 ? listCell(cell, answer.cell_degrees)
                                                     : map.setView(where, Math.min(map.getZoom() + 3, map.getMaxZoom()))));
      marker.addTo(eventLayer);
    }
  }
  return answer.events;
}

async function listCell(cell, size) {
  // closely zoomed, a cell's events share a place or nearly: list them in the panel instead
  const box = [cell.longitude - size, cell.latitude - size, cell.longitude + size, cell.latitude + size];
  const page = await api(`/api/events?${query({ within: box.map(x => x.toFixed(5)).join(","), limit: 100 })}`);
  const items = page.events.map(e => el("li", {}, el("a", { href: "#", onclick: ev => { ev.preventDefault(); showEvent(e.id); } },
    `${e.event_date || "undated"}: ${e.sub_event_type} in ${e.location || e.country || "?"}`)));
  document.getElementById("event").replaceChildren(el("p", {}, `${page.total} events here:`), el("ul", {}, ...items));
}

async function loadControl() {
  // each place's latest change in the period, as a square outlined in black: who holds it, on whose word
  const changes = await api(`/api/control?${query({}, ["country", "since", "until"])}`);
  const latest = new Map();
  for (const c of changes) if (c.latitude !== null) latest.set(`${c.place}|${c.country}`, c);  // oldest first: the last wins
  controlLayer.clearLayers();
  for (const c of latest.values()) {
    const marker = L.marker([c.latitude, c.longitude], {
      icon: L.divIcon({ className: `wm-control${c.contested ? " contested" : ""}`, iconSize: [12, 12],
                        iconAnchor: [-8, 20] }),
      title: `${c.place}: ${c.controller}`, pane: "control",
    });
    marker.bindTooltip(el("span", {}, `${c.place}: taken by ${c.controller}${c.date ? ` on ${c.date}` : ""}`,
                          c.contested ? " (contested)" : ""));
    marker.on("click", () => showControl(c.place));
    marker.addTo(controlLayer);
  }
  return changes.length;
}

// -- the event panel -------------------------------------------------------------------------------
async function reportText(id) {
  if (!reportTexts.has(id)) {
    const answer = await api(`/api/reports/${encodeURIComponent(id)}/text`);
    reportTexts.set(id, answer ? answer.text : null);
  }
  return reportTexts.get(id);
}

async function evidenceBlock(ev) {
  // the sentence where it stands in its report: some text before and after, the sentence marked
  const text = await reportText(ev.report);
  const quote = el("blockquote");
  if (text && text.slice(ev.start, ev.end) === ev.text) {
    const from = Math.max(0, ev.start - 240), to = Math.min(text.length, ev.end + 240);
    quote.append(from > 0 ? "…" : "", text.slice(from, ev.start), el("mark", {}, ev.text), text.slice(ev.end, to),
                 to < text.length ? "…" : "");
  } else {
    quote.append(el("mark", {}, ev.text));
  }
  const url = ev.url && httpUrl(ev.url);
  const meta = el("div", { class: "meta" },
    ev.attributed_to ? `according to ${ev.attributed_to} · ` : "", `${ev.modality} · report `,
    url ? el("a", { href: url, target: "_blank", rel: "noopener noreferrer" }, ev.report) : ev.report);
  return el("div", { class: "evidence" }, quote, meta);
}

async function showEvent(id) {
  state.selected = id;
  const box = document.getElementById("event");
  box.replaceChildren(el("p", { class: "hint" }, "Loading…"));
  const e = await api(`/api/events/${encodeURIComponent(id)}`);
  if (!e) { box.replaceChildren(el("p", {}, `No event ${id}.`)); return; }
  const place = [e.location, e.admin1, e.country].filter(Boolean).join(", ");
  const claims = e.fatality_claims || [];
  const facts = el("dl", { class: "facts" },
    el("dt", {}, "type"), el("dd", {}, swatch(e.event_type), `${e.event_type}: ${e.sub_event_type}`),
    el("dt", {}, "date"), el("dd", {}, e.event_date || "undated"),
    el("dt", {}, "place"), el("dd", {}, place || "unknown",
                                 e.latitude !== null ? ` (${e.latitude.toFixed(3)}, ${e.longitude.toFixed(3)})` : ""),
    el("dt", {}, "actors"), el("dd", {}, e.actor1 || "unknown", e.actor2 ? ` vs ${e.actor2}` : ""),
    el("dt", {}, "killed"), el("dd", {}, String(e.fatalities),
                                  claims.length > 1 ? ` (counts given: ${claims.map(c => c.fatalities).join(", ")})` : ""),
    el("dt", {}, "sources"), el("dd", {}, (e.source || []).join(", ") || "none named"),
    el("dt", {}, "reports"), el("dd", {}, `${e.reports} report(s) tell it`),
    el("dt", {}, "confidence"), el("dd", {}, String(e.confidence)));
  const evidence = await Promise.all((e.evidence || []).map(evidenceBlock));
  box.dataset.id = e.id;
  history.replaceState(null, "", `#event=${encodeURIComponent(e.id)}`);  // a link to share: it opens this event
  box.replaceChildren(el("h3", { id: "event-title" }, `${e.sub_event_type}: ${place || "unknown place"}`),
                      facts, el("h3", {}, "Evidence"), ...evidence);
  document.querySelectorAll("#rows tr").forEach(tr => tr.classList.toggle("selected", tr.dataset.id === id));
  showControl(e.location);
}

async function showControl(place) {
  const box = document.getElementById("control");
  if (!place) { box.replaceChildren(el("p", { class: "hint" }, "The event names no place.")); return; }
  const history = await api(`/api/control/${encodeURIComponent(place)}`);
  if (!history) { box.replaceChildren(el("p", { class: "hint" }, `No control change stored for ${place}.`)); return; }
  const items = history.changes.map(c => el("li", {},
    `${c.date || "undated"}: ${c.controller} took ${history.place}`,
    c.previous_controller ? ` from ${c.previous_controller}` : "", ` (${c.publisher || c.report_id})`,
    c.contested ? el("span", { class: "contested" }, " contested") : ""));
  const denials = history.denials.map(d => el("li", { class: "denied" },
    `${d.date || "undated"}: denied by ${d.publisher || d.report_id}: ${d.sentence}`));
  box.replaceChildren(el("p", {}, `${history.place}: held by `, el("b", {}, history.controller || "unknown"), " now."),
                      el("ul", {}, ...items, ...denials));
}

// -- timeline, figures, table ----------------------------------------------------------------------
async function loadTimeline() {
  const rows = await api(`/api/timeline?${query()}`);
  const box = document.getElementById("timeline-chart");
  if (!rows.length) { box.replaceChildren(el("p", { class: "hint" }, "No dated event matches.")); return; }
  const first = new Date(rows[0].day), last = new Date(rows[rows.length - 1].day);
  const days = Math.round((last - first) / 86400000) + 1;
  const binDays = days > 720 ? 30 : days > 120 ? 7 : 1;  // long periods: weeks or months
  const bins = new Map();
  for (const r of rows) {
    const b = Math.floor((new Date(r.day) - first) / 86400000 / binDays);
    const counts = bins.get(b) || {};
    counts[r.type] = (counts[r.type] || 0) + r.events;
    bins.set(b, counts);
  }
  const n = Math.floor((days - 1) / binDays) + 1;
  const top = Math.max(...[...bins.values()].map(c => Object.values(c).reduce((a, x) => a + x, 0)));
  const width = 640, height = 170, left = 32, bottom = 20, plotH = height - bottom - 6, bar = (width - left) / n;
  const svg = svgEl("svg", { viewBox: `0 0 ${width} ${height}`, width: "100%", role: "img", class: "timeline" });
  for (const tick of [0, Math.ceil(top / 2), top]) {
    const y = 6 + plotH - plotH * tick / top;
    svg.append(svgEl("line", { x1: left, x2: width, y1: y, y2: y, stroke: "#e0e0e0" }));
    const label = svgEl("text", { x: left - 4, y: y + 4, "font-size": 10, "text-anchor": "end" });
    label.textContent = tick;
    svg.append(label);
  }
  const types = Object.keys(state.colours);
  for (const [b, counts] of bins) {
    let base = 6 + plotH;
    for (const type of [...types, ...Object.keys(counts).filter(t => !types.includes(t))]) {
      if (!counts[type]) continue;
      const h = plotH * counts[type] / top;
      base -= h;
      const rect = svgEl("rect", { x: left + b * bar + bar * 0.1, y: base, width: Math.max(bar * 0.8, 1), height: h,
                                   fill: colour(type), class: "bar" });
      const from = new Date(first.getTime() + b * binDays * 86400000);
      const day = from.toISOString().slice(0, 10);
      const to = new Date(from.getTime() + (binDays - 1) * 86400000).toISOString().slice(0, 10);
      const tip = svgEl("title");
      tip.textContent = `${binDays > 1 ? `${day} to ${to}` : day}: ${counts[type]} ${type} (click to show this period)`;
      rect.append(tip);
      rect.style.cursor = "pointer";
      rect.addEventListener("click", () => setPeriod(day, to));
      svg.append(rect);
    }
  }
  for (const [i, when] of [[0, first], [n - 1, last]]) {
    const label = svgEl("text", { x: Math.min(left + i * bar + bar / 2, width - 30), y: height - 4, "font-size": 10,
                                  "text-anchor": "middle" });
    label.textContent = when.toISOString().slice(0, 10);
    svg.append(label);
  }
  box.replaceChildren(svg, el("p", { class: "hint" }, binDays > 1 ? `Each bar: ${binDays} days.` : "Each bar: one day."));
}

async function loadFigures() {
  const figures = await api(`/api/figures?${query({}, ["country"])}`);
  const box = document.getElementById("figures-chart");
  if (!figures.length) { box.replaceChildren(el("p", { class: "hint" }, "No figure stored.")); return; }
  const groups = new Map();
  for (const f of figures) {
    const key = `${f.metric} in ${f.place || f.country || "?"}`;
    if (!groups.has(key)) groups.set(key, []);
    groups.get(key).push(f);
  }
  // the places most disputed first (most sources), then the latest; a long list is cut, with a way to see all
  const latest = claims => claims.map(c => String(c.published || "")).sort().pop();
  const ordered = [...groups].sort((a, b) => b[1].length - a[1].length || latest(b[1]).localeCompare(latest(a[1])));
  const shown = state.allFigures ? ordered : ordered.slice(0, 12);
  const blocks = [];
  for (const [key, claims] of shown) {
    const top = Math.max(...claims.map(c => c.value));
    const newestFirst = [...claims].sort((a, b) => String(b.published || "").localeCompare(String(a.published || "")));
    const listed = state.allFigures ? newestFirst : newestFirst.slice(0, 6);
    blocks.push(el("div", { class: "figure-group" }, el("h3", {}, key, claims.length > 1 ? ` (${claims.length} claims)` : "",
                                                         listed.length < claims.length ? `, the latest ${listed.length}` : ""),
      ...listed.sort((a, b) => b.value - a.value).map(c => el("div", { class: "figure-bar", title: c.sentence || "" },
        el("span", {}, `${c.attributed_to || c.reported_by || "unattributed"} (${c.published || "undated"})`),
        el("span", { class: "bar", style: `width:${Math.max(8, 100 * c.value / top)}%` }, c.value.toLocaleString())))));
  }
  if (shown.length < ordered.length) {
    blocks.push(el("button", { type: "button", onclick: () => { state.allFigures = true; loadFigures(); } },
                   `show all ${ordered.length} figures`));
  }
  box.replaceChildren(...blocks);
}

async function loadTable() {
  const page = await api(`/api/events?${query({ limit: state.pageSize, offset: state.offset })}`);
  const rows = page.events.map(e => el("tr", { "data-id": e.id, onclick: () => showEvent(e.id) },
    el("td", {}, e.event_date || "undated"),
    el("td", {}, swatch(e.event_type), e.sub_event_type),
    el("td", {}, [e.location, e.admin1, e.country].filter(Boolean).join(", ")),
    el("td", {}, e.actor1 || "unknown", e.actor2 ? ` vs ${e.actor2}` : ""),
    el("td", {}, String(e.fatalities)),
    el("td", {}, (e.source || []).join(", ")),
    el("td", {}, String(e.reports))));
  document.getElementById("rows").replaceChildren(...rows);
  document.getElementById("table-count").textContent = `(${page.total.toLocaleString()})`;
  const last = Math.min(state.offset + state.pageSize, page.total);
  document.getElementById("page").textContent = page.total ? `${state.offset + 1}-${last} of ${page.total}` : "none";
  document.getElementById("prev").disabled = state.offset === 0;
  document.getElementById("next").disabled = last >= page.total;
  return page.total;
}

function setPeriod(since, until) {
  const form = document.getElementById("filters");
  form.elements.since.value = since;
  form.elements.until.value = until;
  readFilters();
  refresh();
}

// -- filters and start -----------------------------------------------------------------------------
function readFilters() {
  const form = document.getElementById("filters");
  state.filters = {};
  for (const name of ["country", "type", "actor", "source", "since", "until"]) {
    const value = form.elements[name].value.trim();
    if (value) state.filters[name] = value;
  }
  if (state.filters.until) {  // the form's "to" day is included; the API's `until` is excluded
    const next = new Date(state.filters.until);
    next.setUTCDate(next.getUTCDate() + 1);
    state.filters.until = next.toISOString().slice(0, 10);
  }
  state.offset = 0;
}

async function refresh() {
  document.body.dataset.ready = "0";
  status("Loading…");
  try {
    const [onMap, total] = await Promise.all([loadMap(), loadTable(), loadTimeline(), loadFigures(), loadControl()])
      .then(([m, t]) => [m, t]);
    status(`${total.toLocaleString()} event(s) match; ${onMap.toLocaleString()} in view on the map.`);
    document.body.dataset.ready = "1";
  } catch (err) {
    status(`Could not load: ${err.message}`);
  }
}

async function start() {
  const facets = await api("/api/facets");
  state.colours = facets.colours;
  const form = document.getElementById("filters");
  for (const c of facets.countries) form.elements.country.append(el("option", { value: c }, c));
  for (const t of facets.event_types) form.elements.type.append(el("option", { value: t }, t));
  document.getElementById("source-names").replaceChildren(...facets.sources.map(s => el("option", { value: s })));
  document.getElementById("legend").replaceChildren(
    ...Object.keys(state.colours).map(t => el("span", {}, swatch(t), t)));
  form.addEventListener("submit", ev => { ev.preventDefault(); readFilters(); refresh(); });
  form.querySelectorAll("button[data-days]").forEach(b => b.addEventListener("click", () => {
    const days = Number(b.dataset.days);
    if (days && facets.last) {
      const from = new Date(facets.last);
      from.setUTCDate(from.getUTCDate() - days + 1);
      setPeriod(from.toISOString().slice(0, 10), facets.last);
    } else {
      setPeriod("", "");
    }
  }));
  document.getElementById("prev").addEventListener("click", () => { state.offset = Math.max(0, state.offset - state.pageSize); loadTable(); });
  document.getElementById("next").addEventListener("click", () => { state.offset += state.pageSize; loadTable(); });
  await loadBoundaries();
  if (facets.extent) {
    const [w, s, e, n] = facets.extent;
    map.fitBounds([[s, w], [n, e]], { padding: [30, 30], maxZoom: 8 });
  }
  map.on("moveend", () => { loadMap().catch(err => status(`Could not load the map: ${err.message}`)); loadAdmin1(); });
  loadAdmin1();
  await refresh();
  const linked = new URLSearchParams(location.hash.slice(1)).get("event");
  if (linked) showEvent(linked);
  // what `ingest` or `watch` adds shows up by itself: the map, table, timeline and figures are
  // reloaded every 5 minutes while the page is visible (the event panel stays as it is)
  setInterval(() => { if (!document.hidden && document.body.dataset.ready === "1") refresh(); }, 300000);
}

start().catch(err => status(`Could not start: ${err.message}`));
