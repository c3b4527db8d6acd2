// DOM helpers. Every piece of data reaches the page as a text node or an attribute value set through the DOM
// API: nothing here (or anywhere in the desk) parses HTML from strings, so article text can never become markup.

const SVG_NS = "http://www.w3.org/2000/svg";

function build(el, attrs, children) {
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value === null || value === undefined || value === false) continue;
    if (key.startsWith("on")) {
      // Only real functions become listeners; a string "onclick" would be an inline handler, so it is dropped.
      if (typeof value === "function") el.addEventListener(key.slice(2), value);
      continue;
    }
    if (key === "class") el.setAttribute("class", value);
    else if (key === "dataset") Object.assign(el.dataset, value);
    else el.setAttribute(key, value === true ? "" : String(value));
  }
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return el;
}

/** An HTML element: h("a", {href: "#/x", onclick: fn}, "text", otherNode) */
export function h(tag, attrs = {}, ...children) {
  return build(document.createElement(tag), attrs, children);
}

/** An SVG element, same calling convention as h(). */
export function svg(tag, attrs = {}, ...children) {
  return build(document.createElementNS(SVG_NS, tag), attrs, children);
}

/** Replace an element's children. */
export function mount(root, ...children) {
  root.replaceChildren();
  for (const child of children.flat(Infinity)) {
    if (child !== null && child !== undefined && child !== false) root.append(child);
  }
  return root;
}

/** Only http(s) links from data are made clickable; anything else (javascript:, data:) stays plain text. */
export function safeUrl(url) {
  try {
    const parsed = new URL(String(url));
    return parsed.protocol === "http:" || parsed.protocol === "https:" ? parsed.href : null;
  } catch {
    return null;
  }
}

export function fmtInt(n) {
  return Number(n || 0).toLocaleString("en-US");
}

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/** "2024-03-05" -> "5 Mar 2024"; "2024-03" -> "Mar 2024"; "2024" -> "2024". */
export function fmtDate(value) {
  if (!value) return "undated";
  const [y, m, d] = String(value).split("-");
  if (!m) return y;
  const month = MONTHS[Number(m) - 1] || m;
  return d ? `${Number(d)} ${month} ${y}` : `${month} ${y}`;
}

export function clear(el) {
  el.replaceChildren();
}

export function loading(text = "Loading…") {
  return h("div", { class: "loading", role: "status" }, text);
}

export function errorBox(err) {
  return h("div", { class: "error-box", role: "alert" }, h("strong", {}, `Error ${err.status || ""}`), " ",
    err.message || String(err));
}
