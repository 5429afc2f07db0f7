// DOM and API helpers. Untrusted text (articles, names) is only ever set with textContent / text nodes.

export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === null || v === undefined || v === false) continue;
    if (k === "class") node.className = v;
    else if (k === "dataset") Object.assign(node.dataset, v);
    else if (k.startsWith("on")) node.addEventListener(k.slice(2), v);
    else node.setAttribute(k, v === true ? "" : String(v));
  }
  for (const c of children.flat()) {
    if (c === null || c === undefined || c === false) continue;
    node.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return node;
}

export function clear(node) {
  while (node.firstChild) node.removeChild(node.firstChild);
  return node;
}

export class ApiError extends Error {
  constructor(body, status) {
    super(body && body.error ? body.error : `HTTP ${status}`);
    this.body = body || {};
    this.status = status;
  }
}

export async function api(path, options = {}) {
  const res = await fetch(path, { headers: { Accept: "application/json" }, ...options });
  let body = null;
  try {
    body = await res.json();
  } catch (_e) {
    body = null;
  }
  if (!res.ok) throw new ApiError(body, res.status);
  return body;
}

// Text split into segments by [start, end, className] ranges (non-overlapping, sorted), as DOM nodes.
export function highlighted(text, ranges, tag = "mark") {
  const out = [];
  let pos = 0;
  for (const [start, end, cls] of ranges) {
    if (start < pos || end > text.length || end <= start) continue;
    if (start > pos) out.push(document.createTextNode(text.slice(pos, start)));
    out.push(el(tag, { class: cls }, text.slice(start, end)));
    pos = end;
  }
  if (pos < text.length) out.push(document.createTextNode(text.slice(pos)));
  return out;
}

export const TYPE_COLOURS = [
  "#d7301f", "#fc8d59", "#7b3294", "#1a9850", "#e6ab02", "#2c7fb8", "#636363",
];

export function typeIndex(types, t) {
  const i = types.indexOf(t);
  return i < 0 ? TYPE_COLOURS.length - 1 : i % TYPE_COLOURS.length;
}

export function sizeClass(fatalities) {
  if (!fatalities) return "s0";
  if (fatalities < 10) return "s1";
  if (fatalities < 50) return "s2";
  return "s3";
}
