// Timeline view: counts per day or month as stacked bars (by PLOVER quad), type chips, and the event list.

import { getJSON } from "./api.js";
import { fmtDate, fmtInt, h, mount, svg } from "./dom.js";
import { EVENTS, QUADS, QUAD_ORDER, partiesLabel, quadOf } from "./plover.js";

const PAGE = 25;

export async function render(root, ctx) {
  const offset = Math.max(0, Number(ctx.params.get("offset") || 0));
  const [tl, page] = await Promise.all([
    getJSON("timeline", ctx.filters),
    getJSON("events", { ...ctx.filters, limit: PAGE, offset, order: "desc" }),
  ]);
  if (ctx.stale()) return;
  mount(root,
    h("section", { class: "panel chart-panel" },
      h("div", { class: "panel-head" },
        h("h2", {}, `${fmtInt(tl.total)} events`),
        h("span", { class: "muted" }, tl.first ? `${fmtDate(tl.first)} – ${fmtDate(tl.last)} · per ${tl.bucket}` : ""),
        legend()),
      typeChips(tl, ctx),
      chart(tl, ctx),
      notes(tl)),
    h("section", { class: "panel" },
      h("div", { class: "panel-head" }, h("h2", {}, "Events"), h("span", { class: "muted" }, "newest first")),
      eventList(page.items, ctx),
      pager(page, offset, ctx)));
}

export function legend() {
  return h("div", { class: "legend" }, QUAD_ORDER.map((q) =>
    h("span", { class: "legend-item" }, h("i", { class: `swatch q-${q}` }), QUADS[q].label)));
}

function typeChips(tl, ctx) {
  const active = ctx.filters.event;
  return h("div", { class: "chips", id: "type-chips" }, Object.entries(tl.by_event).map(([type, n]) =>
    h("button", {
      type: "button", class: `chip q-${quadOf(type)}${active === type ? " active" : ""}`,
      title: active === type ? "Show all types" : `Only ${type}`,
      onclick: () => ctx.navigate("timeline", { ...ctx.filters, event: active === type ? "" : type }),
    }, h("span", {}, type), h("b", {}, fmtInt(n)))));
}

function periodBounds(period, bucket) {
  if (bucket === "day") return [period, period];
  const [y, m] = period.split("-").map(Number);
  const last = new Date(Date.UTC(y, m, 0)).getUTCDate();
  return [`${period}-01`, `${period}-${String(last).padStart(2, "0")}`];
}

/** Fill the gaps between the first and last period so the x axis is true to time. */
function allPeriods(periods, bucket) {
  if (!periods.length) return [];
  const byKey = new Map(periods.map((p) => [p.period, p]));
  const out = [];
  const first = periods[0].period;
  const last = periods[periods.length - 1].period;
  let cursor = bucket === "day" ? new Date(`${first}T00:00:00Z`) : new Date(`${first}-01T00:00:00Z`);
  for (let guard = 0; guard < 5000; guard++) {
    const key = bucket === "day" ? cursor.toISOString().slice(0, 10) : cursor.toISOString().slice(0, 7);
    out.push(byKey.get(key) || { period: key, count: 0, by_event: {} });
    if (key >= last) break;
    if (bucket === "day") cursor.setUTCDate(cursor.getUTCDate() + 1);
    else cursor.setUTCMonth(cursor.getUTCMonth() + 1);
  }
  return out;
}

function chart(tl, ctx) {
  const periods = allPeriods(tl.periods, tl.bucket);
  if (!periods.length) return h("p", { class: "empty" }, "No dated events match these filters.");
  const W = 1100, H = 190, left = 40, bottom = 24, top = 8;
  const max = Math.max(...periods.map((p) => p.count), 1);
  const step = (W - left - 8) / periods.length;
  const bar = Math.max(1, step * 0.78);
  const y = (v) => top + (H - top - bottom) * (1 - v / max);
  const root = svg("svg", { viewBox: `0 0 ${W} ${H}`, class: "bars", role: "img",
    "aria-label": `Events per ${tl.bucket}` });
  for (const tick of niceTicks(max)) {
    root.append(svg("line", { x1: left, x2: W - 4, y1: y(tick), y2: y(tick), class: "grid" }),
      svg("text", { x: left - 6, y: y(tick) + 4, class: "axis", "text-anchor": "end" }, fmtInt(tick)));
  }
  const labelEvery = Math.ceil(periods.length / 12);
  periods.forEach((p, i) => {
    const x = left + i * step + (step - bar) / 2;
    const g = svg("g", { class: "bar", dataset: { period: p.period }, tabindex: p.count ? 0 : -1 });
    let base = 0;
    for (const quad of QUAD_ORDER) {
      const n = Object.entries(p.by_event).filter(([e]) => EVENTS[e] === quad).reduce((a, [, v]) => a + v, 0);
      if (!n) continue;
      g.append(svg("rect", { x, width: bar, y: y(base + n), height: Math.max(0.5, y(base) - y(base + n)),
        fill: QUADS[quad].color }));
      base += n;
    }
    const label = tl.bucket === "day" ? fmtDate(p.period) : fmtDate(p.period);
    g.append(svg("rect", { x: left + i * step, width: step, y: top, height: H - top - bottom, class: "hit" }),
      svg("title", {}, `${label}: ${fmtInt(p.count)} events — click to show only this ${tl.bucket}`));
    if (p.count) {
      const open = () => {
        const [since, until] = periodBounds(p.period, tl.bucket);
        ctx.navigate("timeline", { ...ctx.filters, since, until });
      };
      g.addEventListener("click", open);
      g.addEventListener("keydown", (ev) => { if (ev.key === "Enter") open(); });
    }
    root.append(g);
    if (i % labelEvery === 0) {
      root.append(svg("text", { x: left + i * step + step / 2, y: H - 6, class: "axis", "text-anchor": "middle" },
        tl.bucket === "day" ? p.period.slice(5) : fmtDate(p.period)));
    }
  });
  return h("div", { class: "chart" }, root);
}

function niceTicks(max) {
  const raw = max / 3;
  const mag = 10 ** Math.floor(Math.log10(raw || 1));
  const step = [1, 2, 5, 10].map((m) => m * mag).find((s) => s >= raw) || mag;
  const out = [];
  for (let v = 0; v <= max; v += step) out.push(v);
  return out;
}

function notes(tl) {
  const parts = [];
  if (tl.coarser) parts.push(`${fmtInt(tl.coarser)} events dated only to a ${tl.bucket === "day" ? "month or year" : "year"} are not in the bars`);
  if (tl.undated) parts.push(`${fmtInt(tl.undated)} undated`);
  return parts.length ? h("p", { class: "muted small" }, parts.join(" · ")) : null;
}

/** One row per event: date, type, who → whom, summary, where, how many sources. */
export function eventList(items, ctx) {
  if (!items.length) return h("p", { class: "empty" }, "No events match these filters.");
  return h("ol", { class: "events", id: "event-list" }, items.map((ev) => {
    const loc = ev.location;
    const href = `#/event/${encodeURIComponent(ev.id)}`;
    return h("li", { class: "event-row", dataset: { id: ev.id } },
      h("div", { class: "when" }, fmtDate(ev.date)),
      h("div", { class: "what" },
        h("span", { class: `badge q-${quadOf(ev.event)}` }, ev.event),
        (ev.mode || []).map((m) => h("span", { class: "tag" }, m))),
      h("div", { class: "body" },
        h("a", { class: "who", href },
          partiesLabel(ev.actor) || "unknown actor",
          ev.recipient && ev.recipient.length ? h("span", { class: "arrow" }, " → ") : null,
          partiesLabel(ev.recipient)),
        h("p", { class: "summary" }, ev.summary || ""),
        h("div", { class: "meta" },
          loc && (loc.resolved_place || loc.extracted_place)
            ? h("span", { class: "place" }, [loc.resolved_place || loc.extracted_place, loc.country].filter(Boolean).join(", "))
            : null,
          h("span", {}, `${ev.sources} source${ev.sources === 1 ? "" : "s"}`),
          ev.conflicts && ev.conflicts.length ? h("span", { class: "warn" }, `${ev.conflicts.length} conflict${ev.conflicts.length === 1 ? "" : "s"}`) : null)));
  }));
}

function pager(page, offset, ctx) {
  if (page.total <= PAGE) return null;
  const go = (to) => ctx.navigate(ctx.view, { ...ctx.filters, offset: to || "" });
  return h("div", { class: "pager" },
    h("button", { type: "button", disabled: offset <= 0, onclick: () => go(Math.max(0, offset - PAGE)) }, "← Newer"),
    h("span", { class: "muted" }, `${fmtInt(offset + 1)}–${fmtInt(Math.min(page.total, offset + PAGE))} of ${fmtInt(page.total)}`),
    h("button", { type: "button", disabled: offset + PAGE >= page.total, onclick: () => go(offset + PAGE) }, "Older →"));
}
