// Timeline histogram (stacked SVG bars per day or week and event type) with drag-to-select brushing.
import { clear, typeIndex } from "./dom.js";

const NS = "http://www.w3.org/2000/svg";
const H = 90;
const PAD = 18;

function svgEl(tag, attrs) {
  const n = document.createElementNS(NS, tag);
  for (const [k, v] of Object.entries(attrs)) n.setAttribute(k, String(v));
  return n;
}

export class Timeline {
  constructor(svg, { types, onBrush }) {
    this.svg = svg;
    this.types = types;
    this.onBrush = onBrush;
    this.buckets = [];
    this.brush = null; // {since, until}
    this.drag = null;
    svg.addEventListener("pointerdown", (e) => this.down(e));
    svg.addEventListener("pointermove", (e) => this.move(e));
    svg.addEventListener("pointerup", (e) => this.up(e));
    svg.addEventListener("pointercancel", () => { this.drag = null; this.draw(); });
  }

  width() {
    return Math.max(200, this.svg.clientWidth || this.svg.parentNode.clientWidth || 300);
  }

  set(data, brush) {
    this.buckets = data.buckets;
    this.brush = brush;
    this.draw();
  }

  x(i) {
    const w = this.width();
    return (i * w) / Math.max(1, this.buckets.length);
  }

  indexAt(clientX) {
    const r = this.svg.getBoundingClientRect();
    const i = Math.floor(((clientX - r.left) / r.width) * this.buckets.length);
    return Math.max(0, Math.min(this.buckets.length - 1, i));
  }

  draw() {
    const svg = clear(this.svg);
    const w = this.width();
    svg.setAttribute("viewBox", `0 0 ${w} ${H}`);
    svg.setAttribute("width", w);
    svg.setAttribute("height", H);
    if (!this.buckets.length) {
      const t = svgEl("text", { x: 8, y: H / 2, class: "tl-empty" });
      t.textContent = "No dated events";
      svg.append(t);
      return;
    }
    const max = Math.max(1, ...this.buckets.map((b) => b.total));
    const bw = w / this.buckets.length;
    const plotH = H - PAD;
    this.buckets.forEach((b, i) => {
      let y = plotH;
      for (const [type, n] of Object.entries(b.counts)) {
        const h = (n / max) * (plotH - 4);
        y -= h;
        const rect = svgEl("rect", {
          x: this.x(i) + 0.5, y, width: Math.max(1, bw - 1), height: h,
          class: `tl-bar t-${typeIndex(this.types, type)}`,
        });
        const title = svgEl("title", {});
        title.textContent = `${b.start}: ${n} ${type}`;
        rect.append(title);
        svg.append(rect);
      }
    });
    const first = svgEl("text", { x: 2, y: H - 4, class: "tl-axis" });
    first.textContent = this.buckets[0].start;
    const last = svgEl("text", { x: w - 2, y: H - 4, class: "tl-axis end" });
    last.textContent = this.buckets[this.buckets.length - 1].end;
    svg.append(first, last);
    const sel = this.drag ? this.dragRange() : this.brushRange();
    if (sel) {
      svg.append(svgEl("rect", {
        x: this.x(sel[0]), y: 0, width: this.x(sel[1] + 1) - this.x(sel[0]), height: plotH, class: "tl-brush",
      }));
    }
  }

  brushRange() {
    if (!this.brush || (!this.brush.since && !this.brush.until)) return null;
    const since = this.brush.since || this.buckets[0].start;
    const until = this.brush.until || this.buckets[this.buckets.length - 1].end;
    let a = this.buckets.findIndex((b) => b.end >= since);
    let z = -1;
    this.buckets.forEach((b, i) => { if (b.start <= until) z = i; });
    if (a < 0 || z < 0 || z < a) return null;
    return [a, z];
  }

  dragRange() {
    const { i0, i1 } = this.drag;
    return [Math.min(i0, i1), Math.max(i0, i1)];
  }

  down(e) {
    if (!this.buckets.length) return;
    this.svg.setPointerCapture(e.pointerId);
    const i = this.indexAt(e.clientX);
    this.drag = { x0: e.clientX, i0: i, i1: i };
  }

  move(e) {
    if (!this.drag) return;
    this.drag.i1 = this.indexAt(e.clientX);
    this.draw();
  }

  up(e) {
    if (!this.drag) return;
    const moved = Math.abs(e.clientX - this.drag.x0) > 3;
    const [a, z] = this.dragRange();
    this.drag = null;
    if (!moved) {
      this.onBrush(null);
      return;
    }
    this.onBrush({ since: this.buckets[a].start, until: this.buckets[z].end });
  }
}
