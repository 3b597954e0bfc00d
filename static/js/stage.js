// The stage: systems as labelled SVG nodes, real ledger messages as dots moving between them.
//
// One requestAnimationFrame loop drives everything. Its clock runs at the chosen speed (1× to
// 0.1×), stops when paused, and "step" jumps it to the next departure or arrival. Speed and pause
// are the page's (clock.js): the buttons here and the room set them, and every other timer on the
// page obeys them too. Messages that
// arrive between two frames are handled together (a 200 msg/s stream costs one render a frame);
// a burst beyond MAX_DOTS travels as bundles marked "×N". Departures keep the recorded order and
// spacing, and a hop never leaves before the previous hop of its exchange has arrived.

import { after, clock } from "./clock.js";
import { prefersReducedMotion, svg } from "./dom.js";
import { LAYER, onKeys } from "./keys.js";

const FLIGHT_MS = 1100;
const MIN_GAP_MS = 90;
const MAX_GAP_MS = 1200;
const MAX_DOTS = 120;
const MAX_LAG_MS = 1500;
const NODE_W = 180;
const NODE_H = 78;
const SPEEDS = [1, 0.5, 0.25, 0.1];
const PULSE_MS = 350;
let keysTaken = false; // the page's first stage has the keys

/** Where the segment from the centre of `a` towards `b` leaves a's box. */
function boxExit(a, b, w = NODE_W, h = NODE_H) {
  const dx = b.x - a.x, dy = b.y - a.y;
  const scale = Math.min(dx ? (w / 2 + 6) / Math.abs(dx) : Infinity, dy ? (h / 2 + 6) / Math.abs(dy) : Infinity);
  return { x: a.x + dx * scale, y: a.y + dy * scale };
}

/** The point at t (0..1) on the line p→q, or on the quadratic curve p→q bent towards c. */
function at(p, q, c, t) {
  if (!c) return { x: p.x + (q.x - p.x) * t, y: p.y + (q.y - p.y) * t };
  const u = 1 - t;
  return { x: u * u * p.x + 2 * u * t * c.x + t * t * q.x, y: u * u * p.y + 2 * u * t * c.y + t * t * q.y };
}

class Stage {
  /**
   * root: the element holding [data-stage-svg], toolbar buttons and [data-stage-caption].
   * nodes: [{id, label, sub, x, y}] in a 1000-wide viewBox; edges: [{from, to, label, via?: {x, y}}]
   * (with `via`, the edge bends towards that point).
   * route(msg) -> {from, to, label} or null (not drawn); default: msg.source -> msg.target.
   * describe(msg) -> a sentence for the caption when the message arrives.
   */
  constructor(root, { nodes, edges = [], route, describe, onArrive } = {}) {
    this.root = root;
    this.svg = root.querySelector("[data-stage-svg]");
    this.caption = root.querySelector("[data-stage-caption]");
    this.nodes = new Map(nodes.map((n) => [n.id, { ...n, count: 0 }]));
    this.route = route || ((m) => ({ from: m.source, to: m.target, label: m.hop }));
    this.describe = describe || ((m) => `${this.label(m.source)} → ${this.label(m.target)}: ${m.kind} (${m.hop})`);
    this.onArrive = onArrive || (() => {});
    this.time = 0;
    this.pending = [];   // waiting to depart, in departure order
    this.flights = [];   // in the air
    this.incoming = [];  // received since the last frame
    this.arrivalOf = new Map(); // correlation id -> arrival time of its latest hop
    this.lastReal = null;
    this.lastDepart = -Infinity;
    this.draw(edges);
    this.bindControls();
    this.bindKeys();
    clock.onChange(() => this.syncUi());
    this.syncUi();
    // A room's instructor steps every stage in the room (room.js; speed and pause go to the clock).
    window.addEventListener("playground:room", (event) => { if (event.detail?.step) this.step(); });
    this.last = performance.now();
    requestAnimationFrame((t) => this.frame(t));
  }

  get speed() { return clock.speed; }

  get paused() { return clock.paused; }

  label(id) {
    return this.nodes.get(id)?.label || id;
  }

  draw(edges) {
    this.edgeLayer = svg("g", { class: "edges" });
    this.dotLayer = svg("g", { class: "dots" });
    const nodeLayer = svg("g", { class: "nodes" });
    this.edges = new Map();
    for (const edge of edges) {
      this.edges.set(`${edge.from}|${edge.to}`, edge);
      this.edges.set(`${edge.to}|${edge.from}`, edge);
      const { p, q, c } = this.geometry(edge.from, edge.to, 0);
      const d = c ? `M${p.x},${p.y} Q${c.x},${c.y} ${q.x},${q.y}` : `M${p.x},${p.y} L${q.x},${q.y}`;
      this.edgeLayer.append(svg("path", { class: "edge", d }));
      if (edge.label) {
        const m = at(p, q, c, 0.5);
        const vertical = !c && Math.abs(q.y - p.y) > Math.abs(q.x - p.x);
        this.edgeLayer.append(svg("text", {
          class: "edge-label", x: m.x + (vertical ? 12 : 0), y: m.y + (c ? 22 : vertical ? 0 : -14),
          "text-anchor": vertical ? "start" : "middle",
        }, edge.label));
      }
    }
    for (const node of this.nodes.values()) {
      const g = svg("g", { class: "node", "data-node": node.id });
      node.box = svg("rect", { class: "node-box", x: node.x - NODE_W / 2, y: node.y - NODE_H / 2, width: NODE_W, height: NODE_H, rx: 12 });
      g.append(node.box, svg("text", { class: "node-label", x: node.x, y: node.y - 4, "text-anchor": "middle" }, node.label));
      if (node.sub) g.append(svg("text", { class: "node-sub", x: node.x, y: node.y + 22, "text-anchor": "middle" }, node.sub));
      node.counter = svg("text", { class: "node-count", x: node.x, y: node.y + NODE_H / 2 + 22, "text-anchor": "middle", "data-node-count": node.id }, "");
      g.append(node.counter);
      nodeLayer.append(g);
    }
    this.svg.append(this.edgeLayer, nodeLayer, this.dotLayer);
  }

  bindControls() {
    const speedButtons = this.root.querySelectorAll("[data-speed]");
    for (const button of speedButtons) {
      button.addEventListener("click", () => {
        this.setSpeed(Number(button.dataset.speed));
        this.announce({ speed: this.speed });
      });
    }
    this.pauseButton = this.root.querySelector("[data-stage-pause]");
    this.stepButton = this.root.querySelector("[data-stage-step]");
    this.pauseButton?.addEventListener("click", () => {
      this.paused ? this.resume() : this.pause();
      this.announce({ paused: this.paused });
    });
    this.stepButton?.addEventListener("click", () => {
      this.step();
      this.announce({ step: true });
    });
  }

  /** Keys (keys.js): → ↓ step, ← ↑ play, s slower, p pause / play — by pressing this stage's own
   *  buttons, so a key does exactly what a click does (in a room, the instructor's key moves every
   *  screen). Only the page's first stage takes them. */
  bindKeys() {
    if (keysTaken) return;
    keysTaken = true;
    const click = (el) => { if (el && !el.disabled) el.click(); };
    const step = () => {
      if (!this.paused) click(this.pauseButton);
      click(this.stepButton);
    };
    const play = () => { if (this.paused) click(this.pauseButton); };
    const slower = () => click(this.root.querySelector(`[data-speed="${SPEEDS[(SPEEDS.indexOf(this.speed) + 1) % SPEEDS.length]}"]`));
    onKeys(LAYER.stage, {
      ArrowRight: step, ArrowDown: step, ArrowLeft: play, ArrowUp: play,
      s: slower, p: () => click(this.pauseButton),
    });
  }

  /** Tell the page a person changed speed/pause/step here (room.js passes it on to the room). */
  announce(change) {
    window.dispatchEvent(new CustomEvent("playground:stage-control", { detail: change }));
  }

  setSpeed(speed) {
    clock.set({ speed });
  }

  pause() {
    clock.set({ paused: true });
  }

  resume() {
    clock.set({ paused: false });
  }

  /** Show the page's speed and pause on this stage's buttons (and data-speed / data-paused). */
  syncUi() {
    for (const b of this.root.querySelectorAll("[data-speed]")) {
      b.setAttribute("aria-pressed", String(Number(b.dataset.speed) === this.speed));
    }
    this.root.dataset.speed = String(this.speed);
    this.root.dataset.paused = String(this.paused);
    if (this.pauseButton) {
      this.pauseButton.setAttribute("aria-pressed", String(this.paused));
      this.pauseButton.textContent = this.paused ? "Play" : "Pause";
    }
    if (this.stepButton) this.stepButton.disabled = !this.paused;
  }

  /** While paused: advance to the next departure or arrival, whichever comes first. */
  step() {
    if (!this.paused) return;
    const times = [...this.pending.map((d) => d.depart), ...this.flights.map((d) => d.arrive)].filter((t) => t > this.time);
    if (times.length) this.time = Math.min(...times);
    this.update();
  }

  /** Queue ledger messages (in id order) for the stage; drawn on the next frame. */
  add(messages) {
    this.incoming.push(...messages);
  }

  schedule(msg) {
    const r = this.route(msg);
    if (!r || !this.nodes.has(r.from) || !this.nodes.has(r.to)) return;
    const real = Date.parse(msg.created_at);
    // Keep the recorded spacing, unless the stage is already lagging: then catch up.
    const lagging = this.lastDepart - this.time > MAX_LAG_MS;
    const gap = this.lastReal === null || lagging ? 0 : Math.min(MAX_GAP_MS, Math.max(MIN_GAP_MS, real - this.lastReal));
    let depart = Math.max(this.time, this.lastDepart + gap);
    const previousHop = this.arrivalOf.get(msg.correlation_id);
    if (previousHop !== undefined) depart = Math.max(depart, previousHop);
    const flight = prefersReducedMotion() ? 0 : FLIGHT_MS;
    const crowded = lagging || this.pending.length + this.flights.length >= MAX_DOTS;
    const tail = crowded && this.pending.slice(-12).reverse().find((d) => d.from === r.from && d.to === r.to);
    if (tail) {
      tail.count += 1; // a burst: ride along with the previous dot on the same edge
      tail.msg = msg;
      if (msg.status === "error") tail.status = "error";
      depart = tail.depart;
    } else {
      this.pending.push({ msg, ...r, status: msg.status, count: 1, depart, arrive: depart + flight });
    }
    this.lastReal = real;
    this.lastDepart = depart;
    this.arrivalOf.set(msg.correlation_id, depart + flight);
    if (this.arrivalOf.size > 5000) this.arrivalOf.delete(this.arrivalOf.keys().next().value);
  }

  frame(now) {
    const dt = Math.min(now - this.last, 250); // a background tab does not fast-forward
    this.last = now;
    if (!this.paused) this.time += dt * this.speed;
    this.update();
    requestAnimationFrame((t) => this.frame(t));
  }

  update() {
    if (this.incoming.length) {
      for (const msg of this.incoming.splice(0)) this.schedule(msg);
    }
    while (this.pending.length && this.pending[0].depart <= this.time) this.launch(this.pending.shift());
    const landed = [];
    for (const dot of this.flights) {
      const span = dot.arrive - dot.depart;
      const t = span <= 0 ? 1 : Math.min(1, (this.time - dot.depart) / span);
      const { x, y } = at(dot.p, dot.q, dot.c, t);
      dot.el.setAttribute("transform", `translate(${x.toFixed(1)},${y.toFixed(1)})`);
      if (t >= 1) landed.push(dot);
    }
    for (const dot of landed) this.land(dot);
  }

  /** The path from node `from` to node `to`: ends on the boxes' edges, a curve if the edge has `via`,
   *  shifted sideways by `offset` so the two directions of one edge travel side by side. */
  geometry(from, to, offset = 9) {
    const a = this.nodes.get(from), b = this.nodes.get(to);
    const c = this.edges.get(`${from}|${to}`)?.via;
    const p = boxExit(a, c || b), q = boxExit(b, c || a);
    const len = Math.hypot(q.x - p.x, q.y - p.y) || 1;
    const ox = ((q.y - p.y) / len) * offset, oy = (-(q.x - p.x) / len) * offset;
    return { p: { x: p.x + ox, y: p.y + oy }, q: { x: q.x + ox, y: q.y + oy }, c: c && { x: c.x + ox, y: c.y + oy } };
  }

  launch(dot) {
    Object.assign(dot, this.geometry(dot.from, dot.to));
    dot.el = svg("g", { class: "dot", "data-message-id": dot.msg.id, "data-status": dot.status });
    const shape = dot.status === "error"
      ? svg("path", { class: "dot-error", d: "M-9,-5 L-5,-9 L0,-4 L5,-9 L9,-5 L4,0 L9,5 L5,9 L0,4 L-5,9 L-9,5 L-4,0 Z" })
      : svg("circle", { class: `dot-${dot.status}`, r: dot.count > 1 ? 11 : 8 });
    const text = (dot.count > 1 ? `×${dot.count} ` : "") + (dot.label || "");
    dot.el.append(shape, svg("text", { class: "dot-label", x: 14, y: -10 }, text));
    this.dotLayer.append(dot.el);
    this.flights.push(dot);
    // Until the first dot lands, say what is on its way: otherwise a stage paused (or slowed)
    // mid-flight goes on saying "Nothing has moved yet" under a dot that plainly has.
    if (this.caption && !this.landedOnce) this.caption.textContent = `On its way: ${this.describe(dot.msg)}`;
  }

  land(dot) {
    this.flights.splice(this.flights.indexOf(dot), 1);
    dot.el.remove();
    const node = this.nodes.get(dot.to);
    node.count += dot.count;
    node.counter.textContent = `${node.count} received`;
    this.landedOnce = true;
    node.box.classList.add("pulse");
    node.pulseTimer?.cancel();
    node.pulseTimer = after(PULSE_MS, () => node.box.classList.remove("pulse"), { scaled: true });
    if (this.caption) this.caption.textContent = this.describe(dot.msg) + (dot.count > 1 ? ` (and ${dot.count - 1} more like it)` : "");
    this.onArrive(dot.msg, dot);
  }
}

/** Find the stage markup by id and start a Stage on it. */
export function mountStage(id, options) {
  return new Stage(document.querySelector(`[data-stage="${id}"]`), options);
}
