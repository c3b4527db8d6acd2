// Actor network: who interacts with whom. Nodes are actor codes (countries, IGOs...), edges carry counts per
// event type and take the colour of their commonest quad. A small deterministic force layout (no library):
// the same data always gives the same picture, which matters when analysts compare screenshots.

import { getJSON } from "./api.js";
import { fmtInt, h, mount, svg } from "./dom.js";
import { QUADS, quadOf } from "./plover.js";
import { legend } from "./timeline.js";

const W = 860, H = 560;

export async function render(root, ctx) {
  const data = await getJSON("network", { ...ctx.filters, max_edges: 120 });
  if (ctx.stale()) return;
  if (!data.edges.length) {
    mount(root, h("section", { class: "panel" }, h("h2", {}, "Actor network"),
      h("p", { class: "empty" }, "No interactions between coded actors match these filters.")));
    return;
  }
  const pos = layout(data.nodes, data.edges);
  const side = h("aside", { class: "panel side", id: "network-side" });
  const picture = drawGraph(data, pos, (code) => showNode(side, data, code, ctx));
  showTop(side, data, ctx);
  mount(root, h("div", { class: "split" },
    h("section", { class: "panel graph-panel" },
      h("div", { class: "panel-head" }, h("h2", {}, "Actor network"),
        h("span", { class: "muted" }, `${data.nodes.length} actors · ${fmtInt(data.edges.length)} of ${fmtInt(data.edges_total)} links`),
        legend()),
      picture,
      h("p", { class: "muted small" }, "Arrows point from actor to recipient; plain lines join parties of talks or calls with no host. Line width grows with the number of events. Click an actor to see its partners.")),
    side));
}

function dominant(edge) {
  const byQuad = {};
  for (const [type, n] of Object.entries(edge.by_event)) byQuad[quadOf(type)] = (byQuad[quadOf(type)] || 0) + n;
  return Object.entries(byQuad).sort((a, b) => b[1] - a[1])[0][0];
}

/** Fruchterman–Reingold on a circle start; fixed iteration count, no randomness. */
function layout(nodes, edges) {
  const n = nodes.length;
  const pos = new Map();
  nodes.forEach((node, i) => {
    const a = (2 * Math.PI * i) / n;
    pos.set(node.code, { x: W / 2 + (W / 3) * Math.cos(a), y: H / 2 + (H / 3) * Math.sin(a), dx: 0, dy: 0 });
  });
  const k = Math.sqrt((W * H) / Math.max(n, 1)) * 0.55;
  const maxW = Math.max(...edges.map((e) => e.total));
  let temp = W / 8;
  for (let iter = 0; iter < 300; iter++) {
    for (const p of pos.values()) { p.dx = 0; p.dy = 0; }
    const list = [...pos.values()];
    for (let i = 0; i < list.length; i++) {
      for (let j = i + 1; j < list.length; j++) {
        const a = list[i], b = list[j];
        let dx = a.x - b.x, dy = a.y - b.y;
        const d = Math.max(Math.hypot(dx, dy), 0.01);
        const f = (k * k) / d;
        dx /= d; dy /= d;
        a.dx += dx * f; a.dy += dy * f; b.dx -= dx * f; b.dy -= dy * f;
      }
    }
    for (const e of edges) {
      const a = pos.get(e.source), b = pos.get(e.target);
      let dx = a.x - b.x, dy = a.y - b.y;
      const d = Math.max(Math.hypot(dx, dy), 0.01);
      const f = ((d * d) / k) * (0.4 + 0.6 * Math.sqrt(e.total / maxW));
      dx /= d; dy /= d;
      a.dx -= dx * f; a.dy -= dy * f; b.dx += dx * f; b.dy += dy * f;
    }
    for (const p of pos.values()) {
      // a weak pull to the centre keeps disconnected pairs on screen
      p.dx += (W / 2 - p.x) * 0.02 * k / 10; p.dy += (H / 2 - p.y) * 0.02 * k / 10;
      const d = Math.max(Math.hypot(p.dx, p.dy), 0.01);
      p.x += (p.dx / d) * Math.min(d, temp);
      p.y += (p.dy / d) * Math.min(d, temp);
      p.x = Math.min(W - 40, Math.max(40, p.x));
      p.y = Math.min(H - 30, Math.max(30, p.y));
    }
    temp = Math.max(1, temp * 0.985);
  }
  // Fit the result to the frame: the forces fix the shape, not the scale.
  const xs = [...pos.values()].map((p) => p.x), ys = [...pos.values()].map((p) => p.y);
  const [x0, x1, y0, y1] = [Math.min(...xs), Math.max(...xs), Math.min(...ys), Math.max(...ys)];
  for (const p of pos.values()) {
    p.x = x1 > x0 ? 70 + ((p.x - x0) / (x1 - x0)) * (W - 140) : W / 2;
    p.y = y1 > y0 ? 40 + ((p.y - y0) / (y1 - y0)) * (H - 90) : H / 2;
  }
  return pos;
}

function drawGraph(data, pos, onPick) {
  const maxEdge = Math.max(...data.edges.map((e) => e.total));
  const maxNode = Math.max(...data.nodes.map((n) => n.total));
  const root = svg("svg", { viewBox: `0 0 ${W} ${H}`, class: "network", id: "network-svg", role: "img",
    "aria-label": "Actor network" });
  const defs = svg("defs", {});
  for (const [quad, spec] of Object.entries(QUADS)) {
    defs.append(svg("marker", { id: `arrow-${quad}`, viewBox: "0 0 10 10", refX: 9, refY: 5, markerWidth: 9,
      markerHeight: 9, markerUnits: "userSpaceOnUse", orient: "auto-start-reverse" }, svg("path", { d: "M0,0 L10,5 L0,10 z", fill: spec.color })));
  }
  root.append(defs);
  const edgeLayer = svg("g", { class: "edges" });
  const nodeLayer = svg("g", { class: "nodes" });
  const radius = (node) => 11 + 13 * Math.sqrt(node.total / maxNode); // the 3-letter code must fit inside
  const radii = new Map(data.nodes.map((n) => [n.code, radius(n)]));
  for (const e of data.edges) {
    const a = pos.get(e.source), b = pos.get(e.target);
    const quad = dominant(e);
    // Curve directed edges slightly so A→B and B→A do not sit on top of each other.
    const mx = (a.x + b.x) / 2, my = (a.y + b.y) / 2;
    const nx = -(b.y - a.y), ny = b.x - a.x;
    const len = Math.max(Math.hypot(nx, ny), 1);
    const bend = e.directed ? 18 : 0;
    const cx = mx + (nx / len) * bend, cy = my + (ny / len) * bend;
    // stop the line at the target's circle so the arrow head is visible
    const tx = b.x - cx, ty = b.y - cy, tl = Math.max(Math.hypot(tx, ty), 1);
    const rb = radii.get(e.target) + 2;
    const ex = b.x - (tx / tl) * rb, ey = b.y - (ty / tl) * rb;
    const types = Object.entries(e.by_event).sort((x, y) => y[1] - x[1]).map(([t, n]) => `${t} ${n}`).join(", ");
    edgeLayer.append(svg("path", {
      d: `M${a.x.toFixed(1)},${a.y.toFixed(1)} Q${cx.toFixed(1)},${cy.toFixed(1)} ${ex.toFixed(1)},${ey.toFixed(1)}`,
      class: "edge", stroke: QUADS[quad].color, "stroke-width": (0.8 + 4.5 * (e.total / maxEdge)).toFixed(2),
      "marker-end": e.directed ? `url(#arrow-${quad})` : null,
      dataset: { source: e.source, target: e.target },
    }, svg("title", {}, `${e.source} ${e.directed ? "→" : "–"} ${e.target}: ${e.total} events (${types})`)));
  }
  for (const node of data.nodes) {
    const p = pos.get(node.code);
    const g = svg("g", { class: "node", transform: `translate(${p.x.toFixed(1)},${p.y.toFixed(1)})`, tabindex: 0,
      dataset: { code: node.code }, role: "button", "aria-label": `${node.name}: ${node.total} events` },
    svg("circle", { r: radii.get(node.code).toFixed(1) }),
    svg("text", { class: "code", "text-anchor": "middle", dy: "0.35em" }, node.code),
    svg("text", { class: "name", "text-anchor": "middle", y: radii.get(node.code) + 13 }, node.name),
    svg("title", {}, `${node.name} (${node.code}): ${node.total} events in the links shown`));
    const pick = () => {
      for (const el of root.querySelectorAll(".node.selected")) el.classList.remove("selected");
      g.classList.add("selected");
      for (const el of root.querySelectorAll(".edge")) {
        const on = el.dataset.source === node.code || el.dataset.target === node.code;
        el.classList.toggle("dim", !on);
      }
      onPick(node.code);
    };
    g.addEventListener("click", pick);
    g.addEventListener("keydown", (ev) => { if (ev.key === "Enter") pick(); });
    nodeLayer.append(g);
  }
  root.append(edgeLayer, nodeLayer);
  return h("div", { class: "graph" }, root);
}

function edgeRow(e, ctx, highlight) {
  const types = Object.entries(e.by_event).sort((x, y) => y[1] - x[1]).slice(0, 3);
  return h("tr", {},
    h("td", { class: "nowrap" }, h("b", { class: highlight === e.source ? "hl" : "" }, e.source), e.directed ? " → " : " – ",
      h("b", { class: highlight === e.target ? "hl" : "" }, e.target)),
    h("td", { class: "num" }, fmtInt(e.total)),
    h("td", {}, types.map(([t, n]) => h("span", { class: `mini q-${quadOf(t)}`, title: `${t}: ${n}` }, `${t} ${n}`))));
}

function showTop(side, data, ctx) {
  mount(side, h("h3", {}, "Strongest links"),
    h("table", { class: "table compact" }, h("thead", {}, h("tr", {}, h("th", {}, "Link"), h("th", { class: "num" }, "Events"), h("th", {}, "Types"))),
      h("tbody", {}, data.edges.slice(0, 14).map((e) => edgeRow(e, ctx)))));
}

function showNode(side, data, code, ctx) {
  const node = data.nodes.find((n) => n.code === code);
  const edges = data.edges.filter((e) => e.source === code || e.target === code);
  mount(side,
    h("h3", { id: "node-title" }, `${node.name} (${code})`),
    h("p", { class: "muted" }, `${fmtInt(node.total)} events with ${edges.length} partners`),
    h("div", { class: "side-actions" },
      h("button", { type: "button", class: "primary", onclick: () => ctx.navigate("timeline", { ...ctx.filters, actor: code }) },
        `Events involving ${code}`),
      h("button", { type: "button", onclick: () => showTop(side, data, ctx) }, "All links")),
    h("table", { class: "table compact" }, h("thead", {}, h("tr", {}, h("th", {}, "Link"), h("th", { class: "num" }, "Events"), h("th", {}, "Types"))),
      h("tbody", {}, edges.map((e) => edgeRow(e, ctx, code)))));
}
