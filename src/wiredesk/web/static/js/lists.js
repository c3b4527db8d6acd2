// Sources (articles), one article's text with every coded sentence marked, and the ingest errors.

import { getJSON } from "./api.js";
import { fmtDate, fmtInt, h, mount, safeUrl } from "./dom.js";
import { highlighted } from "./event.js";
import { quadOf } from "./plover.js";

const PAGE = 50;

function pager(page, offset, ctx) {
  if (page.total <= PAGE) return null;
  const go = (to) => ctx.navigate(ctx.view, { offset: to || "" });
  return h("div", { class: "pager" },
    h("button", { type: "button", disabled: offset <= 0, onclick: () => go(Math.max(0, offset - PAGE)) }, "← Previous"),
    h("span", { class: "muted" }, `${fmtInt(offset + 1)}–${fmtInt(Math.min(page.total, offset + PAGE))} of ${fmtInt(page.total)}`),
    h("button", { type: "button", disabled: offset + PAGE >= page.total, onclick: () => go(offset + PAGE) }, "Next →"));
}

export async function renderArticles(root, ctx) {
  const offset = Math.max(0, Number(ctx.params.get("offset") || 0));
  const page = await getJSON("articles", { limit: PAGE, offset });
  if (ctx.stale()) return;
  mount(root, h("section", { class: "panel" },
    h("div", { class: "panel-head" }, h("h2", {}, `${fmtInt(page.total)} articles`),
      h("span", { class: "muted" }, "every input article, with its near-copy group")),
    h("table", { class: "table", id: "article-table" },
      h("thead", {}, h("tr", {}, h("th", {}, "Published"), h("th", {}, "Outlet"), h("th", {}, "Title"),
        h("th", { class: "num" }, "Events"), h("th", {}, "Near-copies"))),
      h("tbody", {}, page.items.map((a) => h("tr", {},
        h("td", { class: "nowrap" }, fmtDate(a.published), a.published_basis === "corrected" ? h("span", { class: "tag flag", title: a.correction || "" }, "corrected") : null),
        h("td", {}, a.publication || ""),
        h("td", {}, h("a", { href: `#/article/${encodeURIComponent(a.id)}` }, a.title || a.path || a.id)),
        h("td", { class: "num" }, fmtInt(a.n_mentions)),
        h("td", { class: "muted" }, (a.near_duplicates || []).length ? `${a.near_duplicates.length}` : "—"))))),
    pager(page, offset, ctx)));
}

export async function renderArticle(root, ctx) {
  const art = await getJSON(`articles/${encodeURIComponent(ctx.arg || "")}`);
  if (ctx.stale()) return;
  const url = safeUrl(art.url);
  const spans = (art.mentions || []).filter((m) => Number.isInteger(m.start) && Number.isInteger(m.end))
    .map((m) => ({ ...m, own: true })).sort((a, b) => a.start - b.start);
  const text = highlighted(art.text || "", spans, null);
  for (const mark of text.querySelectorAll("mark")) mark.classList.add("clickable");
  spans.forEach((m, i) => {
    const mark = text.querySelectorAll("mark")[i];
    if (mark && m.event_id) mark.addEventListener("click", () => ctx.navigate("event", {}, m.event_id));
  });
  mount(root, h("article", { class: "panel article-page", id: "article-page" },
    h("div", { class: "crumbs" }, h("a", { href: "#/articles" }, "← Sources")),
    h("p", { class: "kicker" }, h("span", { class: "outlet" }, art.publication || "unknown outlet"), " · ",
      fmtDate(art.published), art.published_basis ? h("span", { class: "muted" }, ` (${art.published_basis})`) : null,
      url ? [" · ", h("a", { href: url, target: "_blank", rel: "noopener noreferrer nofollow" }, "original ↗")] : null),
    h("h1", { id: "article-title" }, art.title || art.id),
    spans.length ? h("div", { class: "chips" }, spans.map((m) => h("button", { type: "button", class: `chip q-${quadOf(m.event)}`,
      onclick: () => m.event_id && ctx.navigate("event", {}, m.event_id) }, h("span", {}, m.event), h("b", {}, m.event_id ? "open" : "—"))))
      : h("p", { class: "muted" }, "No events were coded in this article."),
    h("div", { class: "reader" }, text)));
}

export async function renderErrors(root, ctx) {
  const offset = Math.max(0, Number(ctx.params.get("offset") || 0));
  const page = await getJSON("errors", { limit: PAGE, offset });
  if (ctx.stale()) return;
  mount(root, h("section", { class: "panel" },
    h("div", { class: "panel-head" }, h("h2", {}, `${fmtInt(page.total)} inputs not read`),
      h("span", { class: "muted" }, "kept so nothing is dropped silently")),
    page.items.length ? h("table", { class: "table", id: "error-table" },
      h("thead", {}, h("tr", {}, h("th", {}, "File"), h("th", {}, "Stage"), h("th", {}, "Reason"))),
      h("tbody", {}, page.items.map((e) => h("tr", {}, h("td", { class: "path" }, e.path), h("td", {}, e.stage),
        h("td", {}, e.reason)))))
      : h("p", { class: "empty" }, "No errors."),
    pager(page, offset, ctx)));
}
