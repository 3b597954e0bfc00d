// "One order, six ways": start a run (POST /api/compare/runs), then read it back every half
// second (GET /api/compare/runs/<id>) — every figure is measured by the server from the ledger.
// The summary can be printed (print CSS) or downloaded as an image: an SVG drawn here from the
// same figures, or a PNG rendered from that SVG on a canvas.

import { after, every } from "../clock.js";
import { formatMs, h, postJSON, prefersReducedMotion, svg as svgEl } from "../dom.js";
import { Feed } from "../feed.js";

const POLL_MS = 1000; // and at once when the ledger's doorbell rings (below)
const progress = document.querySelector("[data-compare-progress]");
const startButton = document.querySelector("[data-compare-start]");
const tbody = document.querySelector("[data-summary] tbody");
const caption = document.querySelector("[data-summary-caption]");
let current = null;
let polling = null;

function fresh(lane) {
  if (!lane.built) return "not built yet";
  if (lane.freshness_ms == null) return lane.state === "never" ? "never (within the run)" : "not yet";
  return `${formatMs(lane.freshness_ms)} (story: ${lane.freshness_story})`;
}

function calls(lane) {
  return lane.built ? `${lane.calls} · ${lane.messages}` : "—";
}

function broke(lane, run) {
  if (!lane.built) return "—";
  if (lane.broke) return lane.broke;
  return run.faults.includes(lane.key) ? "nothing visible yet" : "nothing (no failure injected)";
}

function statusWord(lane) {
  return { learned: ["ok", "✓ learned"], waiting: ["pending", "… waiting"], never: ["error", "✕ never learned"] }[lane.state] || ["pending", lane.state];
}

function renderTrack(el, lane, run) {
  const span = run.max_seconds * 1000;
  const parts = [];
  for (let s = 5; s < run.max_seconds; s += 5) parts.push(h("span", { class: "tick", style: `left:${(s * 1000 / span) * 100}%` }));
  if (lane.faulted) {
    const until = run.lifted_at && run.shipped_at ? Date.parse(run.lifted_at) - Date.parse(run.shipped_at) : run.fault_seconds * 1000;
    parts.push(h("span", { class: "fault-band", style: `width:${Math.min(100, (until / span) * 100)}%`, title: "failure injected" }));
  }
  const elapsed = run.shipped_at ? (lane.freshness_ms ?? ((run.finished_at ? Date.parse(run.finished_at) : Date.now()) - Date.parse(run.shipped_at))) : 0;
  const at = Math.min(100, (elapsed / span) * 100);
  parts.push(h("span", { class: "fill", style: `width:${at}%;${lane.freshness_ms == null ? "background:transparent;border-right-color:var(--pending)" : ""}` }));
  if (lane.freshness_ms != null) {
    parts.push(h("span", { class: "marker", style: `left:${Math.min(94, Math.max(6, (lane.freshness_ms / span) * 100))}%` }, `✓ ${formatMs(lane.freshness_ms)}`));
  }
  // The order itself, travelling along the lane until this consumer learns of it (then it stops there).
  if (run.shipped_at) parts.push(h("span", { class: "lane-dot", style: `left:clamp(0px, calc(${at}% - 8px), calc(100% - 16px))`, dataset: { laneDot: lane.state } }));
  el.replaceChildren(...parts);
}

function renderLanes(run) {
  for (const lane of run.lanes) {
    const card = document.querySelector(`[data-lane="${lane.key}"]`);
    if (!card || !lane.built) continue;
    const [kind, word] = statusWord(lane);
    card.dataset.state = lane.state;
    const badge = card.querySelector("[data-lane-status]");
    badge.className = `status status-${kind}`;
    badge.textContent = word + (lane.faulted ? " · broken on purpose" : "");
    card.querySelector("[data-lane-fresh]").textContent = lane.freshness_ms == null ? (lane.state === "never" ? "never" : "…") : formatMs(lane.freshness_ms);
    card.querySelector("[data-lane-fresh]").title = lane.freshness_story ? `in story time: ${lane.freshness_story}` : "";
    card.querySelector("[data-lane-calls]").textContent = calls(lane);
    card.querySelector("[data-lane-broke]").textContent = lane.broke;
    renderTrack(card.querySelector("[data-lane-track]"), lane, run);
  }
}

function renderSummary(run) {
  tbody.replaceChildren(...run.lanes.map((lane) => h("tr", { "data-summary-row": lane.key, "data-built": String(lane.built) },
    h("th", { scope: "row" }, lane.built ? `${lane.title} (${lane.style})` : lane.style),
    h("td", { class: "num" }, fresh(lane)),
    h("td", { class: "num" }, calls(lane)),
    h("td", {}, broke(lane, run)),
    h("td", {}, lane.built ? `${lane.coupling}/5 — ${lane.coupling_text}` : "—"),
    h("td", {}, lane.built ? lane.idle_cost : "—"))));
  const when = run.shipped_at ? new Date(run.shipped_at).toLocaleTimeString() : "—";
  caption.textContent = `Run #${run.id}: order ${run.order_id} shipped at ${when}` +
    (run.faults.length ? `; broken on purpose: ${run.faults.join(", ")}` : "; nothing broken on purpose") +
    (run.running ? " — still running." : ".");
  for (const b of document.querySelectorAll("[data-export]")) b.disabled = false;
}

function renderProgress(run) {
  const built = run.lanes.filter((l) => l.built);
  const known = built.filter((l) => l.freshness_ms != null).length;
  if (run.problem) { progress.textContent = `The run stopped: ${run.problem}`; return; }
  if (!run.shipped_at) { progress.textContent = "Shop is shipping the order…"; return; }
  const seconds = ((run.finished_at ? Date.parse(run.finished_at) : Date.now()) - Date.parse(run.shipped_at)) / 1000;
  progress.textContent = run.running
    ? `Running: ${seconds.toFixed(0)} s of at most ${run.max_seconds} s — ${known} of ${built.length} consumers know.`
    : `Done after ${seconds.toFixed(1)} s: ${known} of ${built.length} consumers learned that order ${run.order_id} shipped.`;
  progress.dataset.running = String(run.running);
}

// When a run starts, its lanes are what to watch: bring them into view (they sit below the fold).
function showLanes(run) {
  if (!run.running || current?.id === run.id) return;
  progress.scrollIntoView({ behavior: prefersReducedMotion() ? "auto" : "smooth", block: "start" });
}

function render(run) {
  showLanes(run);
  current = run;
  document.body.dataset.runId = run.id;
  document.body.dataset.runState = run.running ? "running" : "done";
  renderLanes(run);
  renderSummary(run);
  renderProgress(run);
  startButton.disabled = run.running;
}

let inFlight = false;

async function poll(id) {
  polling?.cancel();
  if (inFlight) return;
  inFlight = true;
  try {
    const response = await fetch(`/api/compare/runs/${id}`);
    if (response.ok) render(await response.json());
  } catch { /* the server is unreachable for a moment: the next poll tries again */
  } finally {
    inFlight = false;
  }
  // Page time: in a paused room the progress stands still (the ledger's doorbell still reads the run).
  if (!current || current.running) polling = after(POLL_MS, () => poll(id));
}

// New ledger messages while a run is going: read the run again now rather than at the next poll.
new Feed({ onMessages(messages, frame) {
  if (!frame.initial && messages.length && current?.running) poll(current.id);
} }).start();

startButton.addEventListener("click", async () => {
  startButton.disabled = true;
  const faults = [...document.querySelectorAll("[data-fault]:checked")].map((c) => c.value);
  progress.textContent = "Sending…";
  const result = await postJSON("/api/compare/runs", { order_id: 42, faults })
    .catch((error) => ({ ok: false, status: 0, body: { detail: `the playground cannot be reached (${error.message})` } }));
  if (!result.ok) {
    progress.textContent = `Refused (${result.status}): ${result.body?.detail || result.body?.error}`;
    startButton.disabled = false;
    return;
  }
  render(result.body);
  poll(result.body.id);
});

// --- export: the summary as an SVG (and a PNG rendered from it) ---

function wrap(text, width) {
  const words = String(text).split(/\s+/);
  const lines = [];
  let line = "";
  for (const word of words) {
    if ((line + " " + word).trim().length > width) { lines.push(line); line = word; } else line = (line + " " + word).trim();
  }
  if (line) lines.push(line);
  return lines;
}

function summarySvg(run) {
  const cols = [["Style", 26], ["Learned after", 24], ["Calls · msgs", 12], ["What broke", 40], ["Coupling", 30]];
  const charW = 8.2, lineH = 20, pad = 10;
  const widths = cols.map(([, c]) => c * charW + 2 * pad);
  const total = widths.reduce((a, b) => a + b, 0);
  const svg = svgEl("svg");
  const add = (tag, attrs, text) => svg.appendChild(svgEl(tag, attrs, text));
  add("rect", { x: 0, y: 0, width: "100%", height: "100%", fill: "#ffffff" });
  add("text", { x: pad, y: 30, "font-size": 22, "font-weight": 700, "font-family": "sans-serif", fill: "#16181d" }, `One order, six ways — order ${run.order_id} shipped`);
  add("text", { x: pad, y: 54, "font-size": 14, "font-family": "sans-serif", fill: "#4a4f5a" }, caption.textContent);
  let y = 70;
  const row = (cells, head) => {
    const lines = cells.map((text, i) => wrap(text, cols[i][1]));
    const height = Math.max(...lines.map((l) => l.length)) * lineH + pad;
    add("rect", { x: 0, y, width: total, height, fill: head ? "#eef1f7" : "#ffffff", stroke: "#c9ccd3" });
    let x = 0;
    lines.forEach((ls, i) => {
      ls.forEach((text, j) => add("text", { x: x + pad, y: y + lineH * (j + 1) - 4, "font-size": 14, "font-family": "sans-serif", "font-weight": head || i === 0 ? 700 : 400, fill: "#16181d" }, text));
      x += widths[i];
    });
    y += height;
  };
  row(cols.map(([name]) => name), true);
  for (const lane of run.lanes) {
    row([lane.built ? `${lane.title} (${lane.style})` : lane.style, fresh(lane), calls(lane), broke(lane, run),
      lane.built ? `${lane.coupling}/5 — ${lane.coupling_text}` : "—"], false);
  }
  svg.setAttribute("xmlns", svg.namespaceURI);
  svg.setAttribute("width", total);
  svg.setAttribute("height", y + pad);
  svg.setAttribute("viewBox", `0 0 ${total} ${y + pad}`);
  return new XMLSerializer().serializeToString(svg);
}

function download(blob, name) {
  const a = h("a", { href: URL.createObjectURL(blob), download: name });
  document.body.append(a);
  a.click();
  setTimeout(() => { URL.revokeObjectURL(a.href); a.remove(); }, 1000);
}

for (const button of document.querySelectorAll("[data-export]")) {
  button.addEventListener("click", () => {
    if (!current) return;
    const text = summarySvg(current);
    const name = `order-${current.order_id}-six-ways-run-${current.id}`;
    if (button.dataset.export === "svg") { download(new Blob([text], { type: "image/svg+xml" }), `${name}.svg`); return; }
    const img = new Image();
    img.onload = () => {
      const canvas = h("canvas", { width: img.width * 2, height: img.height * 2 });
      const ctx = canvas.getContext("2d");
      ctx.scale(2, 2);
      ctx.drawImage(img, 0, 0);
      canvas.toBlob((blob) => download(blob, `${name}.png`), "image/png");
    };
    img.src = "data:image/svg+xml;charset=utf-8," + encodeURIComponent(text);
  });
}
document.querySelector("[data-print]").addEventListener("click", () => window.print());

// Between polls, a running run's waiting lanes move on with the clock (their dots travel).
every(100, () => {
  if (!current?.running) return;
  for (const lane of current.lanes) {
    const track = lane.built && lane.freshness_ms == null && document.querySelector(`[data-lane="${lane.key}"] [data-lane-track]`);
    if (track) renderTrack(track, lane, current);
  }
});

// On arrival: show the newest run (and follow it if it is still going). No run yet is no error:
// the answer may be a 404 or an empty one, and either leaves the page as it is.
async function showLatest() {
  try {
    const response = await fetch("/api/compare/runs/latest");
    if (!response.ok || response.status === 204) return;
    const run = await response.json().catch(() => null);
    if (!run?.id || !Array.isArray(run.lanes)) return;
    render(run);
    if (run.running) poll(run.id);
  } catch { /* unreachable: the page stays as it is, ready to start a run */ }
}
showLatest();
