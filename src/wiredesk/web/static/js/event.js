// Event page (#/event/<id>): the record as a reader checks it. Summary with citations, the facts, the
// conflicts between sources and how each was resolved, and the sources grouped into near-copy families, each
// with its evidence sentence highlighted inside the article's clean text (mention start/end offsets).

import { getJSON } from "./api.js";
import { fmtDate, h, mount, safeUrl } from "./dom.js";
import { entityLabel, partiesLabel, quadOf } from "./plover.js";

const EAGER_TEXTS = 12; // article texts loaded with the page; the rest on demand

export async function render(root, ctx) {
  const ev = await getJSON(`events/${encodeURIComponent(ctx.arg || "")}`);
  if (ctx.stale()) return;
  const byArticle = new Map((ev.articles || []).map((a) => [a.id, a]));
  const citeNumber = new Map();
  for (const c of ev.summary_citations || []) if (!citeNumber.has(c.article_id)) citeNumber.set(c.article_id, citeNumber.size + 1);
  for (const a of ev.articles || []) if (!citeNumber.has(a.id)) citeNumber.set(a.id, citeNumber.size + 1);

  mount(root, h("article", { class: "event-page", id: "event-page", dataset: { id: ev.id } },
    h("div", { class: "crumbs" },
      h("a", { href: "#/timeline", onclick: (e) => { if (window.history.length > 1) { e.preventDefault(); window.history.back(); } } }, "← Events"),
      h("span", { class: "muted" }, ` · event ${ev.id}`)),
    head(ev),
    summary(ev, byArticle, citeNumber),
    h("div", { class: "two-col" }, facts(ev), conflicts(ev, byArticle, citeNumber)),
    sources(ev, citeNumber)));
  loadTexts(root, ev);
}

function head(ev) {
  const loc = ev.location;
  const where = loc && (loc.resolved_place || loc.extracted_place);
  return h("header", { class: "event-head" },
    h("div", { class: "kicker" },
      h("span", { class: `badge big q-${quadOf(ev.event)}`, id: "event-type" }, ev.event),
      (ev.mode || []).map((m) => h("span", { class: "tag" }, m)),
      (ev.flags || []).map((f) => h("span", { class: "tag flag" }, f)),
      h("span", { class: "date" }, fmtDate(ev.date)),
      ev.date_precision && ev.date_precision !== "day" ? h("span", { class: "muted" }, `(to the ${ev.date_precision})`) : null),
    h("h1", { id: "event-title" },
      partiesLabel(ev.actor) || "Unknown actor",
      ev.recipient && ev.recipient.length ? h("span", { class: "arrow" }, " → ") : null,
      partiesLabel(ev.recipient)),
    h("p", { class: "where" },
      where ? [h("span", { class: "pin", "aria-hidden": "true" }), [where, loc.admin1, loc.country].filter(Boolean).join(", "),
        loc.precision ? h("span", { class: "muted" }, ` · ${loc.precision}`) : null]
        : h("span", { class: "muted" }, "No location stated in the sources"),
      h("span", { class: "muted" }, ` · ${ev.sources} source${ev.sources === 1 ? "" : "s"} · confidence ${Number(ev.confidence || 0).toFixed(2)}`)));
}

function scrollToSource(articleId) {
  const card = document.getElementById(`src-${articleId}`);
  if (!card) return;
  card.scrollIntoView({ behavior: "smooth", block: "center" });
  card.classList.remove("flash");
  void card.offsetWidth; // restart the animation
  card.classList.add("flash");
}

function summary(ev, byArticle, citeNumber) {
  const cites = [];
  const seen = new Set();
  for (const c of ev.summary_citations || []) {
    if (seen.has(c.article_id)) continue;
    seen.add(c.article_id);
    const art = byArticle.get(c.article_id) || {};
    cites.push(h("button", { type: "button", class: "cite", title: `${art.publication || "source"}: ${art.title || c.article_id}`,
      onclick: () => scrollToSource(c.article_id) }, `[${citeNumber.get(c.article_id)}]`));
  }
  return h("section", { class: "panel summary-block" },
    h("h2", {}, "Summary"),
    h("p", { class: "lede", id: "event-summary" }, ev.summary || "No summary.", " ", cites),
    (ev.context || []).length ? h("p", { class: "muted small" }, "Context: ", ev.context.join(", ")) : null);
}

function entityRows(role, list) {
  return (list || []).map((e) => h("tr", {},
    h("th", {}, role),
    h("td", {}, h("b", {}, e.code || "?"), e.sector ? ` ${e.sector}` : "", " · ", entityLabel(e),
      e.entity_text && e.entity_text !== e.name ? h("span", { class: "muted" }, ` (“${e.entity_text}”)`) : null,
      e.office ? h("span", { class: "muted" }, ` · ${e.office}`) : null)));
}

function facts(ev) {
  const loc = ev.location || {};
  const rows = [
    ["Event", `${ev.event}${(ev.mode || []).length ? ` · ${ev.mode.join(", ")}` : ""}`],
    ["Date", `${ev.date || "unknown"}${ev.date_precision ? ` (${ev.date_precision})` : ""}`],
  ];
  const locRows = ev.location ? [
    ["Place", [loc.resolved_place || loc.extracted_place, loc.admin1, loc.country].filter(Boolean).join(", ")],
    ["As written", loc.extracted_place || ""],
    ["GeoNames", loc.geonameid ? String(loc.geonameid) : "—"],
    ["Coordinates", loc.lat != null ? `${Number(loc.lat).toFixed(3)}, ${Number(loc.lon).toFixed(3)} (${loc.precision || "?"})` : "—"],
  ] : [["Place", "none stated"]];
  return h("section", { class: "panel" }, h("h2", {}, "Record"),
    h("table", { class: "table facts", id: "event-facts" }, h("tbody", {},
      rows.map(([k, v]) => h("tr", {}, h("th", {}, k), h("td", {}, v))),
      entityRows("Actor", ev.actor),
      entityRows("Recipient", ev.recipient),
      locRows.map(([k, v]) => h("tr", {}, h("th", {}, k), h("td", {}, v))),
      ev.story_id ? h("tr", {}, h("th", {}, "Story"), h("td", {}, ev.story_id)) : null)));
}

function conflicts(ev, byArticle, citeNumber) {
  const list = ev.conflicts || [];
  return h("section", { class: "panel", id: "event-conflicts" }, h("h2", {}, "Where sources disagree"),
    !list.length ? h("p", { class: "muted" }, "The sources agree on every field.")
      : list.map((c) => h("div", { class: "conflict" },
        h("div", { class: "conflict-head" }, h("b", {}, c.field), " — chose ", h("span", { class: "chosen-value" }, c.chosen)),
        h("table", { class: "table compact" }, h("tbody", {},
          Object.entries(c.values || {}).sort((a, b) => b[1].length - a[1].length).map(([value, ids]) =>
            h("tr", { class: value === c.chosen ? "chosen" : "" },
              h("td", { class: "mark-cell" }, value === c.chosen ? "✓" : ""),
              h("td", {}, value),
              h("td", {}, ids.map((id) => h("button", { type: "button", class: "cite", onclick: () => scrollToSource(id),
                title: (byArticle.get(id) || {}).publication || id }, `[${citeNumber.get(id) || "?"}]`)),
              h("span", { class: "muted" }, ` ${ids.length} source${ids.length === 1 ? "" : "s"}`)))))),
        h("p", { class: "why" }, "Why: ", c.why || "not recorded"))));
}

function sources(ev, citeNumber) {
  const families = ev.families || [];
  const n = (ev.articles || []).length;
  return h("section", { class: "panel", id: "event-sources" },
    h("div", { class: "panel-head" }, h("h2", {}, "Sources"),
      h("span", { class: "muted" }, `${n} article${n === 1 ? "" : "s"} in ${families.length} near-copy famil${families.length === 1 ? "y" : "ies"}`)),
    h("p", { class: "muted small" }, "Articles in one family are near-copies of each other (the same wire story re-published); independent families are independent confirmations."),
    families.map((fam, i) => h("div", { class: "family", dataset: { group: fam.group } },
      h("div", { class: "family-head" }, `Family ${i + 1}`,
        h("span", { class: "muted" }, fam.articles.length > 1 ? ` · ${fam.articles.length} near-copies` : " · independent")),
      fam.articles.map((art) => sourceCard(art, citeNumber)))));
}

function sourceCard(art, citeNumber) {
  const url = safeUrl(art.url);
  const evidence = art.evidence || [];
  return h("div", { class: "source", id: `src-${art.id}`, dataset: { article: art.id } },
    h("div", { class: "source-head" },
      h("span", { class: "cite-num" }, `[${citeNumber.get(art.id) || "?"}]`),
      h("span", { class: "outlet" }, art.publication || "unknown outlet"),
      h("a", { class: "title", href: `#/article/${encodeURIComponent(art.id)}` }, art.title || art.id),
      h("span", { class: "muted" }, fmtDate(art.published)),
      url ? h("a", { class: "ext", href: url, target: "_blank", rel: "noopener noreferrer nofollow" }, "original ↗") : null),
    h("div", { class: "evidence-text", dataset: { article: art.id } },
      evidence.length ? evidence.map((m) => h("p", { class: "evidence-fallback" }, h("mark", { class: "evidence" }, m.text || "")))
        : h("p", { class: "muted" }, "No evidence sentence recorded.")));
}

/** Replace each source's evidence sentence with the article text around it, evidence highlighted. */
async function loadTexts(root, ev) {
  const boxes = [...root.querySelectorAll(".evidence-text")];
  boxes.forEach((box, i) => {
    if (i < EAGER_TEXTS) fillText(box, ev);
    else {
      box.append(h("button", { type: "button", class: "link", onclick: () => fillText(box, ev) }, "Show in the article text"));
    }
  });
}

async function fillText(box, ev) {
  const id = box.dataset.article;
  let art;
  try {
    art = await getJSON(`articles/${encodeURIComponent(id)}`);
  } catch {
    return; // article not in this store (e.g. the store was pruned): keep the evidence sentence alone
  }
  const own = new Set((ev.mentions || []).filter((m) => m.article_id === id).map((m) => `${m.start}:${m.end}`));
  const spans = (art.mentions || [])
    .filter((m) => Number.isInteger(m.start) && Number.isInteger(m.end) && m.end > m.start)
    .map((m) => ({ ...m, own: own.has(`${m.start}:${m.end}`) || m.event_id === ev.id }))
    .sort((a, b) => a.start - b.start || (b.own - a.own));
  mount(box, highlighted(art.text || "", spans, ev.id));
  box.classList.add("loaded");
  const first = box.querySelector("mark.evidence");
  if (first) box.scrollTop = Math.max(0, first.offsetTop - box.offsetTop - 24);
}

/** The text as text nodes, with <mark> elements around evidence spans (never parsed as HTML). */
export function highlighted(text, spans, eventId) {
  const out = h("div", { class: "article-text" });
  let at = 0;
  for (const span of spans) {
    if (span.start < at) continue; // overlapping mention: the first one wins
    if (span.start > at) out.append(document.createTextNode(text.slice(at, span.start)));
    const mark = h("mark", { class: span.own ? "evidence" : "other", title: span.own ? `evidence for this ${span.event} event`
      : `${span.event} event ${span.event_id || ""}` }, text.slice(span.start, span.end));
    if (!span.own && span.event_id && span.event_id !== eventId) {
      mark.addEventListener("click", () => { window.location.hash = `#/event/${encodeURIComponent(span.event_id)}`; });
      mark.classList.add("clickable");
    }
    out.append(mark);
    at = span.end;
  }
  if (at < text.length) out.append(document.createTextNode(text.slice(at)));
  return out;
}
