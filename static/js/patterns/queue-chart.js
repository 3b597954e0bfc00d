// Small live line charts in plain SVG (no library): one per measure, the last few minutes.

import { svg as el } from "../dom.js";

const W = 300, H = 90, PAD = 4;

export class LineChart {
  /** figure: holds a [data-chart-now] value; format(v) -> text for the current value and the top. */
  constructor(figure, { windowS = 180, format = (v) => String(v) } = {}) {
    this.figure = figure;
    this.windowS = windowS;
    this.format = format;
    this.now = figure.querySelector("[data-chart-now]");
    this.svg = el("svg", { viewBox: `0 0 ${W} ${H}`, role: "img", "aria-label": figure.querySelector("figcaption").textContent });
    this.area = el("path", { class: "q-chart-area" });
    this.line = el("polyline", { class: "q-chart-line" });
    this.top = el("text", { class: "q-chart-top", x: PAD + 2, y: 14 });
    this.svg.append(el("line", { class: "q-chart-axis", x1: 0, y1: H - PAD, x2: W, y2: H - PAD }), this.area, this.line, this.top);
    figure.append(this.svg);
    this.points = [];
  }

  add(t, value) {
    this.points.push([t, value]);
    while (this.points.length && this.points[0][0] < t - this.windowS) this.points.shift();
    this.now.textContent = value === null ? "–" : this.format(value);
    this.draw(t);
  }

  draw(t) {
    const values = this.points.map(([, v]) => v ?? 0);
    const max = Math.max(1, ...values);
    const x = (pt) => W - ((t - pt) / this.windowS) * W;
    const y = (v) => H - PAD - ((v ?? 0) / max) * (H - 2 * PAD - 16);
    const coords = this.points.map(([pt, v]) => `${x(pt).toFixed(1)},${y(v).toFixed(1)}`);
    this.line.setAttribute("points", coords.join(" "));
    if (coords.length) {
      const first = x(this.points[0][0]).toFixed(1);
      this.area.setAttribute("d", `M${first},${H - PAD} L${coords.join(" L")} L${W},${H - PAD} Z`);
    }
    this.top.textContent = `top ${this.format(max)}`;
  }
}
