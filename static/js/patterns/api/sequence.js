// A sequence diagram of the console's last exchange(s): Client and Shop as lifelines, the request
// and the answer as arrows — or the timeout and the refused connection where no answer came.

import { svg as el } from "../../dom.js";

const W = 660, CLIENT = 110, SHOP = 550, TOP = 58, ROW = 78, MAX_ROWS = 5;

function arrow(g, x1, x2, y, label, kind, dashed = false) {
  g.append(el("line", { x1, y1: y, x2, y2: y, class: `seq-arrow seq-${kind}`, "marker-end": `url(#seq-head-${kind})`, ...(dashed ? { "stroke-dasharray": "6 5" } : {}) }));
  g.append(el("text", { x: (x1 + x2) / 2, y: y - 8, "text-anchor": "middle", class: "seq-label" }, label));
}

function cross(g, x, y, label, anchor = "middle") {
  g.append(el("text", { x, y: y + 6, "text-anchor": "middle", class: "seq-cross" }, "✕"));
  g.append(el("text", { x: anchor === "start" ? x + 16 : x, y: y + 26, "text-anchor": anchor, class: "seq-note" }, label));
}

function row(g, x, y, timeout) {
  const short = x.path.replace(/^\/api\/shop/, "");
  if (x.failure === "refused") {
    arrow(g, CLIENT, (CLIENT + SHOP) / 2, y, `${x.method} ${short}`, "error");
    cross(g, (CLIENT + SHOP) / 2 + 14, y, "connection refused: nobody is listening");
    return;
  }
  arrow(g, CLIENT, SHOP, y, `${x.method} ${short}`, "ok");
  if (x.failure === "timeout") {
    g.append(el("rect", { x: CLIENT - 6, y, width: 12, height: 34, class: "seq-wait" }));
    cross(g, CLIENT, y + 40, `gave up after ${timeout} s: no answer`, "start");
    return;
  }
  const kind = x.status >= 400 ? "error" : "ok";
  arrow(g, SHOP, CLIENT, y + 34, `${x.status} ${x.reason} · ${Math.round(x.duration_ms)} ms`, kind);
}

export function drawSequence(svg, exchanges, { timeout }) {
  // A long burst: the first two and the last three, so how it began and how it ended both show.
  const skipped = Math.max(0, exchanges.length - MAX_ROWS);
  const shown = skipped ? [...exchanges.slice(0, 2), null, ...exchanges.slice(-3)] : exchanges;
  const height = TOP + shown.length * ROW + 10;
  svg.setAttribute("viewBox", `0 0 ${W} ${height}`);
  const defs = el("defs");
  for (const kind of ["ok", "error"]) {
    const marker = el("marker", { id: `seq-head-${kind}`, viewBox: "0 0 10 10", refX: 9, refY: 5, markerWidth: 7, markerHeight: 7, orient: "auto-start-reverse" });
    marker.append(el("path", { d: "M0,0 L10,5 L0,10 z", class: `seq-head-${kind}` }));
    defs.append(marker);
  }
  const g = el("g");
  for (const [x, name] of [[CLIENT, "Client (this console)"], [SHOP, "Shop's API"]]) {
    g.append(el("rect", { x: x - 95, y: 6, width: 190, height: 30, rx: 6, class: "seq-actor" }));
    g.append(el("text", { x, y: 26, "text-anchor": "middle", class: "seq-actor-label" }, name));
    g.append(el("line", { x1: x, y1: 36, x2: x, y2: height - 4, class: "seq-lifeline" }));
  }
  shown.forEach((x, i) => {
    const y = TOP + 12 + i * ROW;
    if (x) row(g, x, y, timeout);
    else g.append(el("text", { x: W / 2, y: y + 20, "text-anchor": "middle", class: "seq-gap" }, `⋮ ${skipped} more exchanges ⋮`));
  });
  svg.dataset.rows = String(exchanges.length);
  svg.replaceChildren(defs, g);
}

/** Shop finished after the client had gone: say so under the diagram. */
export function noteLateAnswer(svg) {
  if (svg.querySelector("[data-late]")) return;
  const { width, height } = svg.viewBox.baseVal; // a live object: read it before changing it
  svg.setAttribute("viewBox", `0 0 ${width} ${height + 30}`);
  svg.append(el("text", { x: W / 2, y: height + 16, "text-anchor": "middle", class: "seq-note", "data-late": "" },
    "Shop finished later, but the client had hung up: the answer was never sent."));
}
