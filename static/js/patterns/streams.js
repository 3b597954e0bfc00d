// Streaming page: the ticker, the match and people chatting publish to the stream server, which
// pushes every message down a held-open WebSocket to every viewer. The ledger dots are the real
// publishes; the "pushed" dots are the real frames this page received.

import { every } from "../clock.js";
import { formatMs } from "../dom.js";
import { Feed } from "../feed.js";
import { ownerKey, roomKey } from "../room-state.js";
import { act, mountStylePage, reportStatus } from "../stylepage.js";
import { mountCompare } from "./streams/compare.js";
import { StreamConnection } from "./streams/connection.js";
import { ActivityPanel, ChatPanel, MatchPanel, TickerPanel, updateTable } from "./streams/panels.js";

const $ = (selector) => document.querySelector(selector);
const NODES = [
  { id: "ticker", label: "Ticker", sub: "prices, a random walk", x: 140, y: 55 },
  { id: "match", label: "Match", sub: "goals, cards, minutes", x: 140, y: 165 },
  { id: "viewer", label: "People chatting", sub: "lines and comments", x: 140, y: 275 },
  { id: "hub", label: "Stream server", sub: "stores, then pushes", x: 500, y: 165 },
  { id: "viewers", label: "Every viewer", sub: "connection held open", x: 860, y: 165 },
];
const EDGES = [
  { from: "ticker", to: "hub", label: "" }, { from: "match", to: "hub" }, { from: "viewer", to: "hub" },
  { from: "hub", to: "viewers", label: "WebSockets, held open" },
];
const KIND_LABEL = { "ticker.price": (m) => `${m.payload.symbol} ${m.payload.price}`, "chat.message": () => "chat line",
  "match.event": (m) => m.payload.event, "match.comment": () => "comment" };

const MANY = { "ticker.price": "prices", "chat.message": "chat lines", "match.event": "match events", "match.comment": "comments" };

function route(m) {
  if (m.hop === "published") return { from: m.source, to: "hub", label: (KIND_LABEL[m.kind] || (() => m.kind))(m), many: MANY[m.kind] };
  if (m.hop === "delivered") return { from: "hub", to: "viewers", label: "pushed", many: "pushes" };
  return null; // start / stop: told in the log
}

function describe(m) {
  const p = m.payload;
  if (m.hop === "delivered") return `This page got ${m.kind} #${p.seq} pushed down its open WebSocket — it never asked.`;
  if (m.kind === "ticker.price") return `The ticker published ${p.symbol} at ${p.price} (#${p.seq}); the server stores it, then pushes it to every viewer.`;
  if (m.kind === "chat.message") return `${p.nick} said something (chat #${p.seq}): everyone connected gets it at once.`;
  if (m.kind === "match.event") return `Match, ${p.minute}′: ${p.text}`;
  if (m.kind === "match.comment") return `${p.nick} commented on the match (#${p.seq}).`;
  return `${m.kind}: ${m.hop}`;
}

function logLine(m) {
  const p = m.payload;
  if (m.kind === "control") return `${p.stream} ${p.action}${p.rate ? ` at ${p.rate}/s` : ""}`;
  if (m.kind === "ticker.price") return `ticker #${p.seq} · ${p.symbol} ${p.price}`;
  if (m.kind === "chat.message") return `chat #${p.seq} · ${p.nick}: ${p.text}`;
  if (m.kind === "match.event") return `match #${p.seq} · ${p.minute}′ ${p.event}`;
  if (m.kind === "match.comment") return `match #${p.seq} · ${p.nick}: ${p.text}`;
  return `${m.kind} · ${m.hop}`;
}

const page = mountStylePage({ style: "streams", nodes: NODES, edges: EDGES, route, describe, logDescribe: logLine, backlog: 30 });
const panels = { ticker: new TickerPanel($('[data-panel="ticker"]')), chat: new ChatPanel($('[data-panel="chat"]')),
  match: new MatchPanel($('[data-panel="match"]')) };
const activity = new ActivityPanel($('[data-panel="activity"]'));
const compare = mountCompare($("[data-compare]"), $('[data-controls="compare"]'));
const resumeNote = $("[data-resume-note]");
let resume = null; // what came back after a reconnect, summed for a moment, then told

const connection = new StreamConnection({
  onEvents(batches) {
    for (const { stream, events, replay } of batches) {
      panels[stream].show(events);
      if (stream === "ticker") { compare.pushed(events); panels.ticker.say(replay ? "Latest prices." : "Live: each price is pushed the moment it exists."); }
      if (resume && replay) resume.replayed[stream] = (resume.replayed[stream] || 0) + events.length;
      if (!replay) page.stage.add(events.slice(-20).map((e) => ({ id: `${stream}-${e.seq}`, correlation_id: `${stream}-${e.seq}`,
        source: "hub", target: "viewers", hop: "delivered", kind: stream, status: "ok", payload: { seq: e.seq },
        created_at: new Date(e.t).toISOString() })));
    }
  },
  onSkipped(frame) {
    if (resume) resume.skipped = frame.count;
    panels.ticker.say(`Skipped ${frame.count} older prices (#${frame.after + 1}–#${frame.resume_at - 1}): only the latest price matters.`);
  },
  onState(state, text) {
    const el = $("[data-conn-state]");
    el.dataset.connState = state;
    el.querySelector("[data-conn-text]").textContent = text;
    if (state === "live" && connection.everConnected) startResumeReport();
  },
  onFrame(frame) {
    if (frame.type === "error") {
      const where = $(`[data-post-error="${lastPost}"]`) || $('[data-post-error="chat"]');
      where.textContent = frame.detail;
    } else if (frame.type === "sent") {
      for (const el of document.querySelectorAll("[data-post-error]")) el.textContent = "";
    }
  },
});
connection.start();

function startResumeReport() {
  const from = { ...connection.cursor };
  resume = { replayed: {}, skipped: 0 };
  setTimeout(() => {
    const r = resume;
    resume = null;
    const parts = ["chat", "match"].map((s) => `${s} after #${from[s] ?? 0}: ${r.replayed[s] || 0} missed message(s) replayed from the database`);
    parts.push(r.skipped ? `ticker jumped to the latest prices (${r.skipped} skipped)` : "ticker: nothing skipped");
    const stats = Object.values(connection.stats);
    const clean = stats.every((s) => s.gaps === 0 && s.duplicates === 0);
    resumeNote.hidden = false;
    resumeNote.dataset.clean = String(clean);
    resumeNote.textContent = `Reconnected and resumed — ${parts.join("; ")}. ${clean ? "No gap, no duplicate." : "A gap or duplicate was seen: see the table."}`;
  }, 1500);
}

every(250, () => { // the figures stand still while the page is paused
  $("[data-viewers]").textContent = connection.viewers ?? "–";
  if (connection.viewers !== null) page.stage.setSub("viewers", `${connection.viewers} connected now`);
  $("[data-rate]").textContent = connection.rate();
  $("[data-latency]").textContent = formatMs(connection.medianLatency());
  updateTable($("[data-stream-table]"), connection);
});

// Posting: chat lines and comments go up the same WebSocket.
const nickInput = $("[data-nick]");
nickInput.value = localStorage.getItem("streams-nick") || `guest-${Math.random().toString(36).slice(2, 6)}`;
nickInput.addEventListener("change", () => localStorage.setItem("streams-nick", nickInput.value.trim()));
let lastPost = "chat";

function post(type, text) {
  lastPost = type;
  const id = Math.random().toString(36).slice(2, 12) + Date.now().toString(36);
  // The key proves the instructor (or the owner) to the server, as X-Room-Key does over HTTP.
  const key = roomKey() || ownerKey() || undefined;
  const ok = connection.send({ type, nick: nickInput.value.trim() || "guest", text, id, key });
  if (!ok) $(`[data-post-error="${type}"]`).textContent = "Not connected right now — it reconnects by itself; try again in a moment.";
  return ok;
}

for (const form of document.querySelectorAll("[data-post-form]")) {
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const input = form.querySelector('input[name="text"]');
    if (input.value.trim() && post(form.dataset.postForm, input.value)) input.value = "";
  });
}

// Controls
const rateInput = $("[data-rate-input]");
rateInput.addEventListener("input", () => ($("[data-rate-output]").textContent = rateInput.value));
for (const button of document.querySelectorAll("[data-ticker]")) {
  button.addEventListener("click", () => act("/api/streams/ticker", { action: button.dataset.ticker, rate: Number(rateInput.value) }, {
    done: (r) => (r.running ? `Ticker started: ${r.rate} prices a second, pushed to every viewer.` : "Ticker stopped."),
  }));
}
for (const button of document.querySelectorAll("[data-match]")) {
  button.addEventListener("click", () => act("/api/streams/match", { action: button.dataset.match }, {
    done: (r) => (r.running ? "Kick-off! 90 minutes in 60 seconds." : "Match stopped."),
  }));
}
for (const button of document.querySelectorAll("[data-drop]")) {
  button.addEventListener("click", () => { connection.drop(); reportStatus("Connection dropped on purpose; watch it come back and resume."); });
}
for (const button of document.querySelectorAll("[data-sleep]")) {
  button.addEventListener("click", () => { connection.sleep(Number(button.dataset.sleep)); reportStatus(`Asleep for ${button.dataset.sleep} s: messages keep coming to the server, not to this page.`); });
}
$("[data-flood]").addEventListener("click", () => {
  for (let n = 1; n <= 20; n++) post("chat", `flood ${n} of 20`);
  reportStatus("Sent 20 lines at once: the server let the first few through and refused the rest (see under the chat).");
});
$("[data-xss]").addEventListener("click", () => {
  post("chat", `<img src=x onerror="document.body.dataset.pwned='yes'">`);
  reportStatus("Sent a line of HTML: it is shown as text, so the image tag never runs.");
});

// Activity: the ledger of the other styles, streamed (a second feed with no style filter).
new Feed({ backlog: 20, onMessages: (messages) => activity.show(messages) }).start();

// Where the ticker and the match stand now.
fetch("/api/streams/status").then((r) => r.json()).then((s) => {
  if (s.ticker.running) { rateInput.value = s.ticker.rate; $("[data-rate-output]").textContent = s.ticker.rate; panels.ticker.say(`Running at ${s.ticker.rate} prices a second.`); }
  if (!s.producer) panels.ticker.say("The producer is not running: start the playground with “python manage.py playground”.");
}).catch(() => {});
