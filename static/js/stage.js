// The stage: systems as labelled SVG nodes, real ledger messages as dots moving between them.
//
// One requestAnimationFrame loop drives everything. Its clock runs at the chosen speed (1× to
// 0.1×), stops when paused, and "step" jumps it to the next departure or arrival. Speed and pause
// are the page's (clock.js): the buttons here and the room set them, and every other timer on the
// page obeys them too. Messages that arrive between two frames are handled together (a 200 msg/s
// stream costs one render a frame); a burst beyond MAX_DOTS travels as bundles marked "×N".
// Departures keep the recorded order and spacing, and a hop never leaves before the previous hop
// of its exchange has arrived.
//
// Legible at any size: the SVG is drawn in screen pixels (stage-layout.js), so labels keep their
// size on a projector and on a phone, and a narrow screen gets the plan turned on its side. Words
// never sit on the dots (crossing dots would pile their words up): each direction of an edge has
// one label spot that says what is travelling on it now, "×N" when several are.
//
// Failures happen where they happen: a message that never reached a system stops at that
// system's edge as a ✕ and is not counted there; a system's state (off, failing, paused…) is a
// badge on its node for as long as it holds.

import { after, clock } from "./clock.js";
import { prefersReducedMotion, svg } from "./dom.js";
import { LAYER, onKeys } from "./keys.js";
import { Caption, watchConnection } from "./stage-caption.js";
import { at, besidePath, boxExit, placeNodes, Spots, wrap } from "./stage-layout.js";

const FLIGHT_MS = 1100;
const MIN_GAP_MS = 90;
const MAX_GAP_MS = 1200;
const MAX_DOTS = 120;
const MAX_LAG_MS = 1500;
const LINGER_MS = 1800; // a stopped ✕ stays this long (page time) at the edge it could not pass
const PORTRAIT_BELOW = 560; // px: narrower than this, the plan is turned on its side
const SPEEDS = [1, 0.5, 0.25, 0.1];
const PULSE_MS = 350;
const TONE_ICON = { error: "✕", pending: "◐", paused: "❚❚" };
let keysTaken = false; // the page's first stage has the keys

const arrow = (p, q) => (Math.abs(q.x - p.x) >= Math.abs(q.y - p.y) ? (q.x > p.x ? "→" : "←") : q.y > p.y ? "↓" : "↑");

class Stage {
  /**
   * root: the element holding [data-stage-svg], toolbar buttons and [data-stage-caption].
   * nodes: [{id, label, sub, x, y, tall?}] on a plan 1000 wide (tall: {x, y}, an own plan for a
   * narrow screen, x across 0..1000, y down; otherwise the plan is turned on its side); edges: [{from, to, label, via?: {x, y}}]
   * (with `via`, the edge bends towards that point).
   * route(msg) -> {from, to, label, reached?, bounced?, many?} or null (not drawn); default:
   *   msg.source -> msg.target. reached: false — it never got to `to` (stops at its edge);
   *   bounced: true — this hop reports that the exchange's previous hop, to→from, never arrived;
   *   many: a plural noun ("prices") for the caption's summary when the route runs fast.
   * describe(msg) -> a sentence for the caption.
   */
  constructor(root, { nodes, edges = [], route, describe, onArrive } = {}) {
    this.root = root;
    this.svg = root.querySelector("[data-stage-svg]");
    this.nodes = new Map(nodes.map((n) => [n.id, { ...n, plan: { x: n.x, y: n.y }, count: 0, state: null }]));
    this.edgeList = edges;
    this.route = route || ((m) => ({ from: m.source, to: m.target, label: m.hop }));
    this.describe = describe || ((m) => `${this.label(m.source)} → ${this.label(m.target)}: ${m.kind} (${m.hop})`);
    this.onArrive = onArrive || (() => {});
    this.captions = new Caption(root, (id) => this.label(id));
    this.caption = this.captions.now;
    this.time = 0;
    this.pending = [];   // waiting to depart, in departure order
    this.flights = [];   // in the air (and stopped ✕s, until they go)
    this.incoming = [];  // received since the last frame
    this.recent = [];    // the latest dots, for a later hop that says one never arrived
    this.arrivalOf = new Map(); // correlation id -> arrival time of its latest hop
    this.slots = new Map(); // "from>to" -> {dots: Set, el}
    this.lastReal = null;
    this.lastDepart = -Infinity;
    this.edgeLayer = svg("g", { class: "edges" });
    this.nodeLayer = svg("g", { class: "nodes" });
    this.dotLayer = svg("g", { class: "dots" });
    this.labelLayer = svg("g", { class: "slot-labels" });
    this.scratch = svg("text", { class: "node-label", "aria-hidden": "true", x: -9999, y: -9999 });
    this.svg.append(this.edgeLayer, this.nodeLayer, this.dotLayer, this.labelLayer, this.scratch);
    this.edges = new Map();
    this.spots = new Spots({ x: 0, y: 0, w: 0, h: 0 });
    for (const n of this.nodes.values()) Object.assign(n, { x: n.plan.x, y: n.plan.y, w: 1, h: 1 });
    this.layout();
    // Only a new width (or presenter mode's type) changes the layout; a caption's new line does not.
    new ResizeObserver(() => { if (this.svgWidth() !== this.W) this.relayoutSoon(); }).observe(this.root);
    new MutationObserver(() => this.relayoutSoon()).observe(document.body, { attributes: true, attributeFilter: ["class"] });
    this.bindControls();
    this.bindKeys();
    watchConnection(root);
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

  /** Say something on the caption's first line (a page's own news, e.g. "an event happened"). */
  say(text) {
    this.captions.say(text);
  }

  /** Show a system's state on its node while it holds: setState("shop", {badge: "OFF",
   *  tone: "error" | "pending" | "paused", title}) — or null when it is back to normal. */
  setState(id, state) {
    const node = this.nodes.get(id);
    if (!node || JSON.stringify(node.state) === JSON.stringify(state || null)) return;
    node.state = state || null;
    if (node.g) this.drawBadge(node);
  }

  /** Change a node's second line (e.g. "3 connected now"). */
  setSub(id, text) {
    const node = this.nodes.get(id);
    if (!node || node.sub === text) return;
    node.sub = text;
    const el = node.g?.querySelector(".node-sub");
    if (el && node.subLines?.length === 1 && this.width("node-sub", text) <= node.w - 16) el.textContent = text;
    else this.relayoutSoon();
  }

  /** A node's box in stage pixels (for a page's own decoration, e.g. the webhook hook). */
  box(id) {
    const n = this.nodes.get(id);
    return n && { x: n.x - n.w / 2, y: n.y - n.h / 2, w: n.w, h: n.h };
  }

  width(cls, text) {
    this.scratch.setAttribute("class", cls);
    this.scratch.textContent = text;
    return this.scratch.getComputedTextLength();
  }

  lineHeight(cls) {
    this.scratch.setAttribute("class", cls);
    return parseFloat(getComputedStyle(this.scratch).fontSize) * 1.25;
  }

  relayoutSoon() {
    if (this.relayoutPending) return;
    this.relayoutPending = true;
    requestAnimationFrame(() => { this.relayoutPending = false; this.layout(); });
  }

  /** Size every box to its words, place the boxes, then the edges and their labels. */
  svgWidth() {
    return Math.round(this.svg.getBoundingClientRect().width);
  }

  layout() {
    const W = this.svgWidth();
    if (!W) return;
    const portrait = W < PORTRAIT_BELOW;
    this.root.dataset.layout = portrait ? "portrait" : "landscape";
    this.root.dataset.layoutWidth = String(W); // tests wait for the layout to match the width
    this.W = W;
    this.sizeNodes(W, portrait);
    const presenting = document.body.classList.contains("presenting");
    // Presenting, the stage fits the screen below what is above it (the fold), if it can.
    const top = this.svg.getBoundingClientRect().top + window.scrollY;
    const maxH = presenting ? Math.max(300, window.innerHeight - top - 16) : Infinity;
    this.plan = placeNodes(this.nodes.values(), W, { portrait, maxH });
    this.drawNodes();
    this.drawEdges(W);
    for (const dot of this.flights) this.aim(dot);
    for (const key of this.slots.keys()) this.showSlot(key);
  }

  sizeNodes(W, portrait) {
    const nodes = [...this.nodes.values()];
    const own = portrait && nodes.every((n) => n.tall);
    const across = (n) => (own ? n.tall.y : portrait ? n.plan.x : n.plan.y); // rows: the same cross position
    const perRow = Math.max(...nodes.map((a) => nodes.filter((b) => Math.abs(across(a) - across(b)) <= 40).length));
    const maxW = Math.min(portrait ? 200 : 240, (W - 8 - (perRow - 1) * 14) / perRow);
    const lh = { name: this.lineHeight("node-label"), sub: this.lineHeight("node-sub"), count: this.lineHeight("node-count") };
    const countW = this.width("node-count", "000 received");
    for (const n of nodes) {
      n.nameLines = wrap(n.label, maxW - 16, (t) => this.width("node-label", t));
      n.subLines = n.sub ? wrap(n.sub, maxW - 16, (t) => this.width("node-sub", t)) : [];
      if (n.subLines.length > 2) n.subLines = []; // a narrow box keeps its name; the page tells the rest
      const widest = Math.max(countW, ...n.nameLines.map((t) => this.width("node-label", t)), ...n.subLines.map((t) => this.width("node-sub", t)));
      n.w = Math.min(maxW, widest + 24);
      n.lh = lh;
      n.h = 14 + n.nameLines.length * lh.name + n.subLines.length * lh.sub + lh.count + 6;
      n.x = n.plan.x;
      n.y = n.plan.y;
    }
  }

  drawNodes() {
    this.nodeLayer.replaceChildren();
    for (const n of this.nodes.values()) {
      const left = n.x - n.w / 2, top = n.y - n.h / 2;
      n.g = svg("g", { class: "node", "data-node": n.id });
      n.box = svg("rect", { class: "node-box", x: left, y: top, width: n.w, height: n.h, rx: 10 });
      n.g.append(n.box);
      let y = top + 14;
      const line = (cls, text, lh) => { n.g.append(svg("text", { class: cls, x: n.x, y: y + lh * 0.78, "text-anchor": "middle" }, text)); y += lh; };
      n.nameLines.forEach((t) => line("node-label", t, n.lh.name));
      n.subLines.forEach((t) => line("node-sub", t, n.lh.sub));
      n.counter = svg("text", { class: "node-count", x: n.x, y: y + n.lh.count * 0.78, "text-anchor": "middle", "data-node-count": n.id },
        n.count ? `${n.count} received` : "");
      n.g.append(n.counter);
      this.nodeLayer.append(n.g);
      this.drawBadge(n);
    }
  }

  /** The state badge: a word in a pill on the box's top edge, with a shape (colour is not enough). */
  drawBadge(n) {
    n.g.querySelector(".node-badge")?.remove();
    n.g.classList.remove("state-error", "state-pending", "state-paused");
    delete n.g.dataset.nodeState;
    if (!n.state) return;
    const tone = n.state.tone || "error";
    const text = `${TONE_ICON[tone] || ""} ${n.state.badge}`.trim();
    const w = this.width("node-badge-text", text) + 16, h = this.lineHeight("node-badge-text") + 2;
    const x = n.x + n.w / 2 - w - 8, y = n.y - n.h / 2 - h / 2;
    const g = svg("g", { class: `node-badge badge-${tone}`, "data-node-badge": n.id });
    if (n.state.title) g.append(svg("title", {}, n.state.title));
    g.append(svg("rect", { x, y, width: w, height: h, rx: h / 2 }),
      svg("text", { class: "node-badge-text", x: x + w / 2, y: y + h / 2, "text-anchor": "middle", "dominant-baseline": "central" }, text));
    n.g.append(g);
    n.g.classList.add(`state-${tone}`);
    n.g.dataset.nodeState = n.state.badge;
  }

  drawEdges(W) {
    this.edgeLayer.replaceChildren();
    this.edges = new Map();
    const nodes = [...this.nodes.values()];
    const top = Math.min(...nodes.map((n) => n.y - n.h / 2)) - 70, bottom = Math.max(...nodes.map((n) => n.y + n.h / 2)) + 70;
    this.spots = new Spots({ x: 0, y: top, w: W, h: bottom - top });
    for (const n of nodes) this.spots.take(`node:${n.id}`, { x: n.x - n.w / 2 - 4, y: n.y - n.h / 2 - 14, w: n.w + 8, h: n.h + 18 });
    const lh = this.lineHeight("edge-label");
    for (const edge of this.edgeList) {
      const e = { ...edge, via: edge.via && this.clearVia(edge) };
      this.edges.set(`${edge.from}|${edge.to}`, e);
      this.edges.set(`${edge.to}|${edge.from}`, e);
      const { p, q, c } = this.geometry(edge.from, edge.to, 0);
      this.edgeLayer.append(svg("path", { class: "edge", d: c ? `M${p.x},${p.y} Q${c.x},${c.y} ${q.x},${q.y}` : `M${p.x},${p.y} L${q.x},${q.y}` }));
      if (!edge.label) continue;
      const w = this.width("edge-label", edge.label) + 6;
      const spot = this.spots.place(`edge:${edge.from}|${edge.to}`, w, lh, besidePath(p, q, c, w, lh, 1));
      if (!spot) continue; // nowhere free: the edge goes unlabelled rather than covering a word
      e.labelEl = svg("text", { class: "edge-label", x: spot.x, y: spot.y, "text-anchor": "middle", "dominant-baseline": "central" }, edge.label);
      e.spot = spot;
      this.edgeLayer.append(e.labelEl);
    }
    this.fitHeight();
  }

  /** A curved edge's bend point in pixels, pushed out until the curve clears every other box. */
  clearVia(edge) {
    const a = this.nodes.get(edge.from), b = this.nodes.get(edge.to);
    const c = this.plan(edge.via), mid = { x: (a.x + b.x) / 2, y: (a.y + b.y) / 2 };
    const hits = (cc) => [...this.nodes.values()].some((n) => n !== a && n !== b && [0.3, 0.4, 0.5, 0.6, 0.7].some((t) => {
      const pt = at(a, b, cc, t);
      return Math.abs(pt.x - n.x) < n.w / 2 + 12 && Math.abs(pt.y - n.y) < n.h / 2 + 12;
    }));
    let cc = c;
    for (let k = 1.25; k < 4 && hits(cc); k += 0.25) cc = { x: mid.x + (c.x - mid.x) * k, y: mid.y + (c.y - mid.y) * k };
    return cc;
  }

  /** The SVG's viewBox: its width in pixels (1 unit = 1 px), tall enough for all that is drawn. */
  fitHeight() {
    const boxes = [...this.spots.taken.values()];
    for (const path of this.edgeLayer.querySelectorAll("path")) {
      const b = path.getBBox();
      boxes.push({ x: b.x, y: b.y, w: b.width, h: b.height });
    }
    const top = Math.min(...boxes.map((b) => b.y)) - 30, bottom = Math.max(...boxes.map((b) => b.y + b.h)) + 30;
    this.svg.setAttribute("viewBox", `0 ${top.toFixed(0)} ${this.W} ${(bottom - top).toFixed(0)}`);
    this.svg.style.height = `${(bottom - top).toFixed(0)}px`;
    this.spots.bounds = { x: 0, y: top, w: this.W, h: bottom - top };
  }

  bindControls() {
    for (const button of this.root.querySelectorAll("[data-speed]")) {
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
    const times = [...this.pending.map((d) => d.depart), ...this.flights.filter((d) => !d.landed).map((d) => d.arrive)].filter((t) => t > this.time);
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
    const fast = this.captions.count(r, msg);
    if (r.bounced) return this.bounce(msg, r);
    const real = Date.parse(msg.created_at);
    // Keep the recorded spacing, unless the stage is already lagging: then catch up.
    const lagging = this.lastDepart - this.time > MAX_LAG_MS;
    const gap = this.lastReal === null || lagging ? 0 : Math.min(MAX_GAP_MS, Math.max(MIN_GAP_MS, real - this.lastReal));
    let depart = Math.max(this.time, this.lastDepart + gap);
    const previousHop = this.arrivalOf.get(msg.correlation_id);
    if (previousHop !== undefined) depart = Math.max(depart, previousHop);
    const flight = prefersReducedMotion() ? 0 : FLIGHT_MS;
    const crowded = lagging || this.pending.length + this.flights.length >= MAX_DOTS;
    const reached = r.reached !== false;
    const tail = crowded && this.pending.slice(-12).reverse().find((d) => d.from === r.from && d.to === r.to && d.reached === reached);
    if (tail) {
      tail.count += 1; // a burst: ride along with the previous dot on the same edge
      tail.msg = msg;
      if (msg.status === "error") tail.status = "error";
      depart = tail.depart;
    } else {
      const dot = { msg, ...r, reached, fast, status: reached ? msg.status : "error", count: 1, depart, arrive: depart + flight };
      this.pending.push(dot);
      this.recent.push(dot);
      if (this.recent.length > 300) this.recent.shift();
    }
    this.lastReal = real;
    this.lastDepart = depart;
    this.arrivalOf.set(msg.correlation_id, depart + flight);
    if (this.arrivalOf.size > 5000) this.arrivalOf.delete(this.arrivalOf.keys().next().value);
  }

  /** A later hop says the exchange's previous hop (r.to -> r.from) never arrived: that dot stops
   *  at the edge instead — or, had it already landed, is taken back off the count. */
  bounce(msg, r) {
    const dot = [...this.recent].reverse().find((d) => d.msg.correlation_id === msg.correlation_id && d.from === r.to && d.to === r.from);
    if (!dot || dot.reached === false) return;
    Object.assign(dot, { reached: false, status: "error", label: r.label || dot.label, said: msg });
    if (dot.landed) {
      const node = this.nodes.get(dot.to);
      node.count -= dot.count;
      node.counter.textContent = node.count ? `${node.count} received` : "";
      dot.landed = false;
      dot.arrive = this.time;
      this.launch(dot);
    } else if (dot.el) {
      this.aim(dot);
      this.drawDot(dot);
      this.showSlot(`${dot.from}>${dot.to}`);
    }
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
    this.news = null;
    while (this.pending.length && this.pending[0].depart <= this.time) this.launch(this.pending.shift());
    const landed = [];
    for (const dot of this.flights) {
      if (dot.landed) continue;
      const span = dot.arrive - dot.depart;
      const t = span <= 0 ? 1 : Math.min(1, (this.time - dot.depart) / span);
      const { x, y } = at(dot.p, dot.q, dot.c, t);
      dot.el.setAttribute("transform", `translate(${x.toFixed(1)},${y.toFixed(1)})`);
      if (t >= 1) landed.push(dot);
    }
    for (const dot of landed) this.land(dot);
    if (this.news) this.say(this.news);
  }

  /** The path from node `from` to node `to`: ends on the boxes' edges, a curve if the edge has `via`,
   *  shifted sideways by `offset` so the two directions of one edge travel side by side. */
  geometry(from, to, offset = 7) {
    const a = this.nodes.get(from), b = this.nodes.get(to);
    const c = this.edges.get(`${from}|${to}`)?.via;
    const p = boxExit(a, c || b), q = boxExit(b, c || a);
    const len = Math.hypot(q.x - p.x, q.y - p.y) || 1;
    const ox = ((q.y - p.y) / len) * offset, oy = (-(q.x - p.x) / len) * offset;
    return { p: { x: p.x + ox, y: p.y + oy }, q: { x: q.x + ox, y: q.y + oy }, c: c && { x: c.x + ox, y: c.y + oy } };
  }

  /** Set a dot's path; one that never arrives ends a dot's width short of the box it missed. */
  aim(dot) {
    Object.assign(dot, this.geometry(dot.from, dot.to));
    if (dot.reached) return;
    const end = at(dot.p, dot.q, dot.c, 0.97), len = Math.hypot(dot.q.x - end.x, dot.q.y - end.y) || 1;
    dot.q = { x: dot.q.x + ((end.x - dot.q.x) / len) * 10, y: dot.q.y + ((end.y - dot.q.y) / len) * 10 };
  }

  drawDot(dot) {
    const r = this.root.dataset.layout === "portrait" ? 7 : 8;
    const s = r / 8;
    const shape = dot.status === "error"
      ? svg("path", { class: "dot-error", d: "M-9,-5 L-5,-9 L0,-4 L5,-9 L9,-5 L4,0 L9,5 L5,9 L0,4 L-5,9 L-9,5 L-4,0 Z", transform: `scale(${s})` })
      : svg("circle", { class: `dot-${dot.status}`, r: dot.count > 1 ? r + 3 : r });
    dot.el.replaceChildren(shape);
    dot.el.dataset.status = dot.status;
  }

  launch(dot) {
    this.aim(dot);
    dot.el = svg("g", { class: "dot", "data-message-id": dot.msg.id, "data-to": dot.to });
    this.drawDot(dot);
    this.dotLayer.append(dot.el);
    this.flights.push(dot);
    this.slotAdd(dot);
    if (!dot.fast) this.news = `On its way: ${this.describe(dot.msg)}`;
  }

  land(dot) {
    dot.landed = true;
    const said = this.describe(dot.said || dot.msg) + (dot.count > 1 ? ` (and ${dot.count - 1} more like it)` : "");
    if (!dot.fast) this.news = said; // an arrival outranks a departure in the same instant
    if (!dot.reached) return this.stop(dot);
    this.flights.splice(this.flights.indexOf(dot), 1);
    dot.el.remove();
    this.slotRemove(dot);
    const node = this.nodes.get(dot.to);
    node.count += dot.count;
    node.counter.textContent = `${node.count} received`;
    node.box.classList.add("pulse");
    node.pulseTimer?.cancel();
    node.pulseTimer = after(PULSE_MS, () => node.box.classList.remove("pulse"), { scaled: true });
    this.onArrive(dot.msg, dot);
  }

  /** A message that never arrived: its ✕ waits at the edge it could not pass, then goes. */
  stop(dot) {
    const { x, y } = dot.q;
    dot.el.setAttribute("transform", `translate(${x.toFixed(1)},${y.toFixed(1)})`);
    dot.el.dataset.stopped = "true";
    after(LINGER_MS, () => {
      this.flights.splice(this.flights.indexOf(dot), 1);
      dot.el.remove();
      this.slotRemove(dot);
    }, { scaled: true });
  }

  slotAdd(dot) {
    const key = `${dot.from}>${dot.to}`;
    if (!this.slots.has(key)) this.slots.set(key, { dots: new Set() });
    this.slots.get(key).dots.add(dot);
    this.showSlot(key);
  }

  slotRemove(dot) {
    const key = `${dot.from}>${dot.to}`;
    this.slots.get(key)?.dots.delete(dot);
    this.showSlot(key);
  }

  /** One label per direction of an edge: the latest message on it, "×N" when more are on it. */
  showSlot(key) {
    const slot = this.slots.get(key);
    if (!slot) return;
    slot.el?.remove();
    this.spots.free(`slot:${key}`);
    const dots = [...slot.dots];
    const latest = dots[dots.length - 1];
    if (!latest) return this.slots.delete(key);
    const n = dots.reduce((sum, d) => sum + d.count, 0);
    const word = (latest.label || "").trim() || "message";
    const dir = arrow(latest.p, latest.q);
    const text = `${dir === "←" || dir === "↑" ? `${dir} ` : ""}${word}${n > 1 ? ` ×${n}` : ""}${dir === "→" || dir === "↓" ? ` ${dir}` : ""}`;
    const cls = `slot-label slot-${latest.status}`;
    const w = this.width(cls, text) + 6, h = this.lineHeight(cls);
    const spot = this.spots.place(`slot:${key}`, w, h, besidePath(latest.p, latest.q, latest.c, w, h, 1));
    if (!spot) return; // no free spot: the caption still tells it
    slot.el = svg("text", { class: cls, x: spot.x, y: spot.y, "text-anchor": "middle", "dominant-baseline": "central", "data-slot": key }, text);
    this.labelLayer.append(slot.el);
  }
}

/** Find the stage markup by id and start a Stage on it. */
export function mountStage(id, options) {
  return new Stage(document.querySelector(`[data-stage="${id}"]`), options);
}
