// Offline world map: the world-atlas country outline (TopoJSON, served from our own package) decoded here and
// drawn in an equirectangular projection, so screen x/y map linearly to lon/lat and a dragged rectangle is
// exactly a bounding box. Dots are located events grouped by place. Drag to filter by area; click a country
// to filter by it; click a dot to list its events.

import { getJSON } from "./api.js";
import { fmtInt, h, mount, svg } from "./dom.js";
import { colorOf, quadOf } from "./plover.js";
import { eventList, legend } from "./timeline.js";

const W = 1000, TOP_LAT = 84, BOTTOM_LAT = -58;
const H = Math.round((W * (TOP_LAT - BOTTOM_LAT)) / 360);
const px = (lon) => ((lon + 180) / 360) * W;
const py = (lat) => ((TOP_LAT - lat) / (TOP_LAT - BOTTOM_LAT)) * H;
const lonOf = (x) => (x / W) * 360 - 180;
const latOf = (y) => TOP_LAT - (y / H) * (TOP_LAT - BOTTOM_LAT);

let world = null; // {countries: [{code, name, d}]}, loaded once

async function loadWorld() {
  if (world) return world;
  const [topoRes, isoRes] = await Promise.all([fetch("/static/world/countries-110m.json"),
    fetch("/static/world/iso3.json")]);
  const topo = await topoRes.json();
  const iso = await isoRes.json();
  const [sx, sy] = topo.transform.scale;
  const [tx, ty] = topo.transform.translate;
  // TopoJSON arcs are delta-encoded integer positions: accumulate, then scale and translate to lon/lat.
  const arcs = topo.arcs.map((arc) => {
    let x = 0, y = 0;
    return arc.map(([dx, dy]) => { x += dx; y += dy; return [x * sx + tx, y * sy + ty]; });
  });
  // A ring that crosses the antimeridian (Russia's far east, Fiji) jumps by ~360° between two points. Unwrap
  // its longitudes so it is continuous, then draw it again shifted by 360° so both halves show in the frame.
  const ring = (indexes) => {
    const pts = [];
    for (const i of indexes) {
      const arc = i >= 0 ? arcs[i] : arcs[~i].slice().reverse();
      pts.push(...(pts.length ? arc.slice(1) : arc));
    }
    let shift = 0;
    const unwrapped = pts.map(([lon, lat], k) => {
      if (k > 0) {
        const prev = pts[k - 1][0];
        if (lon - prev > 180) shift -= 360;
        else if (prev - lon > 180) shift += 360;
      }
      return [lon + shift, lat];
    });
    const path = (dx) => "M" + unwrapped.map(([lon, lat]) =>
      `${px(lon + dx).toFixed(1)},${py(Math.max(lat, BOTTOM_LAT - 2)).toFixed(1)}`).join("L") + "Z";
    const lons = unwrapped.map((p) => p[0]);
    let d = path(0);
    if (Math.max(...lons) > 180) d += path(-360);
    if (Math.min(...lons) < -180) d += path(360);
    return d;
  };
  const countries = [];
  for (const g of topo.objects.countries.geometries) {
    if (g.id === "010") continue; // Antarctica: no events, lots of screen
    const polys = g.type === "Polygon" ? [g.arcs] : g.type === "MultiPolygon" ? g.arcs : [];
    const d = polys.map((rings) => rings.map(ring).join("")).join("");
    const name = (g.properties && g.properties.name) || "";
    countries.push({ code: iso.by_numeric[g.id] || iso.by_name[name] || null, name, d });
  }
  world = { countries };
  return world;
}

export async function render(root, ctx) {
  const [geo, data] = await Promise.all([loadWorld(), getJSON("map", ctx.filters)]);
  if (ctx.stale()) return;
  const side = h("aside", { class: "panel side", id: "map-side" });
  const picture = drawMap(geo, data, ctx, side);
  showPlaces(side, data, ctx);
  const area = ctx.filters.bbox ? "in the selected area" : "located";
  mount(root, h("div", { class: "split" },
    h("section", { class: "panel map-panel" },
      h("div", { class: "panel-head" }, h("h2", {}, "Map"),
        h("span", { class: "muted", id: "map-count" }, `${fmtInt(data.located)} events ${area} · ${fmtInt(data.points.length)} places`),
        legend()),
      picture,
      h("p", { class: "muted small" }, "Drag a rectangle to filter by area · click a country to filter by it · click a dot to list its events. Events without a known location are not drawn.")),
    side));
}

function svgPoint(root, ev) {
  const pt = root.createSVGPoint();
  pt.x = ev.clientX; pt.y = ev.clientY;
  const p = pt.matrixTransform(root.getScreenCTM().inverse());
  return { x: Math.min(W, Math.max(0, p.x)), y: Math.min(H, Math.max(0, p.y)) };
}

function drawMap(geo, data, ctx, side) {
  const root = svg("svg", { viewBox: `0 0 ${W} ${H}`, class: "worldmap", id: "map-svg", role: "img",
    "aria-label": "World map of event locations" });
  root.append(svg("rect", { x: 0, y: 0, width: W, height: H, class: "sea" }));
  const graticule = svg("g", { class: "graticule" });
  for (let lon = -150; lon <= 150; lon += 30) graticule.append(svg("line", { x1: px(lon), x2: px(lon), y1: 0, y2: H }));
  for (let lat = -30; lat <= 60; lat += 30) graticule.append(svg("line", { x1: 0, x2: W, y1: py(lat), y2: py(lat) }));
  root.append(graticule);
  const land = svg("g", { class: "land" });
  const selected = ctx.filters.country;
  for (const c of geo.countries) {
    land.append(svg("path", { d: c.d, class: `country${c.code && c.code === selected ? " selected" : ""}`,
      dataset: { code: c.code || "" } }, svg("title", {}, c.code ? `${c.name} (${c.code}) — click to filter` : c.name)));
  }
  root.append(land);
  if (ctx.filters.bbox) {
    const [a, b, c, d] = ctx.filters.bbox.split(",").map(Number);
    root.append(svg("rect", { x: px(a), y: py(d), width: px(c) - px(a), height: py(b) - py(d), class: "bbox-current" }));
  }
  const maxCount = Math.max(1, ...data.points.map((p) => p.count));
  const dots = svg("g", { class: "dots" });
  // biggest first so small dots stay clickable on top
  for (const p of [...data.points].sort((a, b) => b.count - a.count)) {
    const r = 2.6 + 9 * Math.sqrt(p.count / maxCount);
    const dot = svg("circle", { cx: px(p.lon).toFixed(1), cy: py(p.lat).toFixed(1), r: r.toFixed(1),
      fill: colorOf(p.event), class: "dot", dataset: { lat: p.lat, lon: p.lon } },
    svg("title", {}, `${p.place || "unnamed place"}${p.country ? `, ${p.country}` : ""}: ${p.count} event${p.count === 1 ? "" : "s"} (mostly ${p.event})`));
    dot.addEventListener("click", (ev) => { ev.stopPropagation(); showPlace(side, p, ctx); });
    dots.append(dot);
  }
  root.append(dots);
  const band = svg("rect", { class: "drag-band", x: 0, y: 0, width: 0, height: 0, visibility: "hidden" });
  root.append(band);
  let start = null;
  root.addEventListener("pointerdown", (ev) => {
    if (ev.target.classList && ev.target.classList.contains("dot")) return;
    start = svgPoint(root, ev);
    root.setPointerCapture(ev.pointerId);
  });
  root.addEventListener("pointermove", (ev) => {
    if (!start) return;
    const p = svgPoint(root, ev);
    band.setAttribute("x", Math.min(start.x, p.x)); band.setAttribute("y", Math.min(start.y, p.y));
    band.setAttribute("width", Math.abs(p.x - start.x)); band.setAttribute("height", Math.abs(p.y - start.y));
    band.setAttribute("visibility", "visible");
  });
  root.addEventListener("pointerup", (ev) => {
    if (!start) return;
    const p = svgPoint(root, ev);
    const from = start;
    start = null;
    band.setAttribute("visibility", "hidden");
    if (Math.abs(p.x - from.x) < 6 && Math.abs(p.y - from.y) < 6) {
      // a click, not a drag: filter by the country under the pointer
      const hit = document.elementFromPoint(ev.clientX, ev.clientY);
      const code = hit && hit.dataset ? hit.dataset.code : "";
      if (code) ctx.navigate("map", { ...ctx.filters, country: code === ctx.filters.country ? "" : code, bbox: "" });
      return;
    }
    const bbox = [lonOf(Math.min(from.x, p.x)), latOf(Math.max(from.y, p.y)), lonOf(Math.max(from.x, p.x)),
      latOf(Math.min(from.y, p.y))].map((v) => v.toFixed(2)).join(",");
    ctx.navigate("map", { ...ctx.filters, bbox });
  });
  return h("div", { class: "map" }, root);
}

function showPlaces(side, data, ctx) {
  const top = data.points.slice(0, 15);
  mount(side, h("h3", {}, "Places with most events"),
    top.length ? h("table", { class: "table compact", id: "place-table" },
      h("thead", {}, h("tr", {}, h("th", {}, "Place"), h("th", { class: "num" }, "Events"), h("th", {}, "Mostly"))),
      h("tbody", {}, top.map((p) => h("tr", { class: "clickable", onclick: () => showPlace(side, p, ctx) },
        h("td", {}, [p.place || "unnamed", p.country].filter(Boolean).join(", ")),
        h("td", { class: "num" }, fmtInt(p.count)),
        h("td", {}, h("span", { class: `mini q-${quadOf(p.event)}` }, p.event))))))
      : h("p", { class: "empty" }, "No located events match these filters."));
}

async function showPlace(side, point, ctx) {
  const eps = 0.0001;
  const bbox = [point.lon - eps, point.lat - eps, point.lon + eps, point.lat + eps].map((v) => v.toFixed(5)).join(",");
  const page = await getJSON("events", { ...ctx.filters, bbox, limit: 20, order: "desc" });
  mount(side,
    h("h3", { id: "place-title" }, [point.place || "unnamed place", point.country].filter(Boolean).join(", ")),
    h("p", { class: "muted" }, `${fmtInt(page.total)} event${page.total === 1 ? "" : "s"} here`),
    eventList(page.items, ctx),
    h("button", { type: "button", onclick: () => ctx.navigate("map", ctx.filters) }, "← All places"));
}
