// The desk's shell: hash router (#/timeline?event=ASSAULT...), the shared filter bar, the header counts.
// Views are modules with render(root, ctx); ctx carries the route, the filters and navigate().

import { getJSON } from "./api.js";
import { errorBox, fmtDate, fmtInt, h, loading, mount } from "./dom.js";
import { EVENTS, QUADS, QUAD_ORDER } from "./plover.js";
import * as timeline from "./timeline.js";
import * as network from "./network.js";
import * as worldmap from "./map.js";
import * as eventPage from "./event.js";
import * as lists from "./lists.js";

export const FILTER_KEYS = ["event", "actor", "country", "since", "until", "q", "min_sources", "bbox"];

const VIEWS = {
  timeline: { module: timeline, title: "Timeline", filters: true },
  network: { module: network, title: "Actor network", filters: true },
  map: { module: worldmap, title: "Map", filters: true },
  event: { module: eventPage, title: "Event", filters: false },
  article: { module: lists, render: lists.renderArticle, title: "Article", filters: false },
  articles: { module: lists, render: lists.renderArticles, title: "Sources", filters: false },
  errors: { module: lists, render: lists.renderErrors, title: "Errors", filters: false },
};

function parseHash() {
  const raw = window.location.hash.replace(/^#\/?/, "");
  const [path, query] = raw.split("?");
  const parts = (path || "").split("/").filter(Boolean);
  const view = VIEWS[parts[0]] ? parts[0] : "timeline";
  return { view, arg: parts[1] ? decodeURIComponent(parts[1]) : null, params: new URLSearchParams(query || "") };
}

/** Go to a view with the given filters (an object or URLSearchParams); empty values are dropped. */
export function navigate(view, params = {}, arg = null) {
  const qs = new URLSearchParams();
  const entries = params instanceof URLSearchParams ? [...params.entries()] : Object.entries(params);
  for (const [key, value] of entries) if (value !== undefined && value !== null && value !== "") qs.set(key, value);
  const path = arg ? `${view}/${encodeURIComponent(arg)}` : view;
  const text = qs.toString();
  window.location.hash = `#/${path}${text ? `?${text}` : ""}`;
}

export function filtersOf(params) {
  const out = {};
  for (const key of FILTER_KEYS) if (params.get(key)) out[key] = params.get(key);
  return out;
}

// -- filter bar -------------------------------------------------------------------------------------------
function field(label, input, hint) {
  return h("label", { class: "field" }, h("span", { class: "field-label" }, label), input,
    hint ? h("span", { class: "field-hint" }, hint) : null);
}

function buildFilterBar(form) {
  const typeSelect = h("select", { name: "event", id: "f-event", "aria-label": "Event type" },
    h("option", { value: "" }, "All event types"),
    QUAD_ORDER.map((quad) => h("optgroup", { label: QUADS[quad].label },
      Object.keys(EVENTS).filter((e) => EVENTS[e] === quad).map((e) => h("option", { value: e }, e)))));
  const bboxBox = h("span", { class: "bbox-chip", id: "f-bbox-chip", hidden: true },
    h("span", { id: "f-bbox-text" }),
    h("button", { type: "button", class: "chip-x", title: "Clear the map area", "aria-label": "Clear map area",
      onclick: () => { form.elements.bbox.value = ""; submit(form); } }, "×"));
  mount(form,
    field("Type", typeSelect),
    field("Actor", h("input", { name: "actor", id: "f-actor", placeholder: "e.g. RUS", size: 7, maxlength: 6,
      autocomplete: "off", spellcheck: "false" })),
    field("Country", h("input", { name: "country", id: "f-country", placeholder: "e.g. UKR", size: 7, maxlength: 6,
      autocomplete: "off", spellcheck: "false" })),
    field("From", h("input", { name: "since", id: "f-since", type: "date" })),
    field("To", h("input", { name: "until", id: "f-until", type: "date" })),
    field("Text", h("input", { name: "q", id: "f-q", type: "search", placeholder: "words in the record",
      maxlength: 200 })),
    field("Sources ≥", h("input", { name: "min_sources", id: "f-min", type: "number", min: 0, max: 999,
      class: "num" })),
    h("input", { type: "hidden", name: "bbox" }),
    bboxBox,
    h("div", { class: "filter-actions" },
      h("button", { type: "submit", class: "primary", id: "f-apply" }, "Apply"),
      h("button", { type: "button", id: "f-reset", onclick: () => { form.reset(); form.elements.bbox.value = "";
        submit(form); } }, "Reset")));
  form.addEventListener("submit", (ev) => { ev.preventDefault(); submit(form); });
  typeSelect.addEventListener("change", () => submit(form));
}

function submit(form) {
  const { view } = parseHash();
  const target = VIEWS[view].filters ? view : "timeline";
  const params = {};
  for (const key of FILTER_KEYS) {
    const value = (form.elements[key].value || "").trim();
    if (value) params[key] = key === "actor" || key === "country" ? value.toUpperCase() : value;
  }
  navigate(target, params);
}

function syncFilterBar(form, params) {
  for (const key of FILTER_KEYS) form.elements[key].value = params.get(key) || "";
  const bbox = params.get("bbox");
  const chip = document.getElementById("f-bbox-chip");
  chip.hidden = !bbox;
  if (bbox) {
    const [a, b, c, d] = bbox.split(",").map(Number);
    document.getElementById("f-bbox-text").textContent =
      `Area ${b.toFixed(1)}°…${d.toFixed(1)}° N, ${a.toFixed(1)}°…${c.toFixed(1)}° E`;
  }
}

// -- shell ------------------------------------------------------------------------------------------------
async function loadStats() {
  const el = document.getElementById("stats");
  try {
    const s = await getJSON("summary");
    mount(el,
      h("span", {}, h("b", {}, fmtInt(s.events)), " events"),
      h("span", {}, h("b", {}, fmtInt(s.articles)), " articles"),
      s.first ? h("span", { class: "range" }, `${fmtDate(s.first)} – ${fmtDate(s.last)}`) : null);
  } catch {
    mount(el);
  }
}

let renderToken = 0;

async function route() {
  const { view, arg, params } = parseHash();
  const spec = VIEWS[view];
  const form = document.getElementById("filters");
  form.hidden = !spec.filters;
  syncFilterBar(form, params);
  for (const link of document.querySelectorAll("#nav a")) {
    const active = link.dataset.view === view || (view === "event" && link.dataset.view === "timeline");
    if (active) link.setAttribute("aria-current", "page"); else link.removeAttribute("aria-current");
  }
  document.title = `${spec.title} · wiredesk`;
  const root = document.getElementById("view");
  const token = ++renderToken;
  mount(root, loading());
  const ctx = {
    view, arg, params, filters: filtersOf(params), navigate,
    stale: () => token !== renderToken,
  };
  try {
    await (spec.render ? spec.render(root, ctx) : spec.module.render(root, ctx));
  } catch (err) {
    if (token === renderToken) mount(root, errorBox(err));
  }
  if (token === renderToken) {
    root.dataset.ready = view; // tests wait for this
    window.scrollTo(0, 0);
  }
}

function start() {
  const nav = document.getElementById("nav");
  mount(nav, ...[["timeline", "Timeline"], ["network", "Network"], ["map", "Map"], ["articles", "Sources"],
    ["errors", "Errors"]].map(([view, label]) => h("a", { href: `#/${view}`, dataset: { view } }, label)));
  buildFilterBar(document.getElementById("filters"));
  window.addEventListener("hashchange", route);
  loadStats();
  route();
}

start();
