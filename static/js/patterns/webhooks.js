// Webhooks page: Payments (and Shop's storefront) push signed events to Shop's endpoint and
// your endpoints; Shop's poller asks Payments instead. Every dot is a real HTTP request.

import { mountStylePage } from "../stylepage.js";
import { mountCompare } from "./webhooks/compare.js";
import { mountDeliveries } from "./webhooks/deliveries.js";
import { mountEditor } from "./webhooks/editor.js";
import { mountEndpoints } from "./webhooks/endpoints.js";
import { mountHook } from "./webhooks/hook.js";
import { mountReceiver } from "./webhooks/receiver.js";
import { mountSignatureCheck } from "./webhooks/check.js";
import { config } from "./webhooks/story.js";

// tall: on a phone, senders on top, receivers below them, the poller above Payments (whom it
// asks) and the attacker under Shop (whom it attacks), so no line crosses a box.
const NODES = [
  { id: "poller", label: "Shop's poller", sub: "asks “anything new?”", x: 500, y: 52, tall: { x: 250, y: 0 } },
  { id: "payments", label: "Payments", sub: "sends payment events", x: 130, y: 160, tall: { x: 250, y: 250 } },
  { id: "shop", label: "Shop", sub: "webhook endpoint", x: 860, y: 160, tall: { x: 250, y: 600 } },
  { id: "storefront", label: "Storefront", sub: "sends sign-ups, shipping", x: 130, y: 320, tall: { x: 750, y: 250 } },
  { id: "endpoints", label: "Your endpoints", sub: "added below", x: 860, y: 320, tall: { x: 750, y: 600 } },
  { id: "attacker", label: "Attacker", sub: "forges, replays", x: 500, y: 420, tall: { x: 250, y: 850 } },
];
const EDGES = [
  { from: "payments", to: "shop", label: "webhook (push)" },
  { from: "payments", to: "endpoints" },
  { from: "storefront", to: "shop" },
  { from: "storefront", to: "endpoints", label: "webhook (push)" },
  { from: "poller", to: "payments", label: "poll over the REST API" },
  { from: "attacker", to: "shop", label: "forged / replayed" },
];

const node = (id) => (id?.startsWith("endpoint-") ? "endpoints" : id);
const sender = (id) => NODES.find((n) => n.id === node(id))?.label || id;

function answerLabel(m) {
  if (m.target === "attacker") return `${m.status_code} refused`;
  if (m.status_code) return `${m.status_code}`;
  return m.error.includes("timeout") ? "timeout" : "no connection";
}

function route(m) {
  if (["attempt", "forge", "replay"].includes(m.hop)) return { from: node(m.source), to: node(m.target), label: m.hop === "attempt" ? `try ${m.attempt}` : m.hop };
  if (m.hop === "answer" && !m.status_code && m.target !== "attacker") {
    // No connection: the attempt never got there (it stops at the receiver's edge, uncounted).
    // A timeout: it got there, but no answer ever came back (that stops at the sender's edge).
    const timeout = m.error.includes("timeout");
    return { from: node(m.source), to: node(m.target), label: answerLabel(m), bounced: !timeout, reached: !timeout };
  }
  if (m.hop === "answer") return { from: node(m.source), to: node(m.target), label: answerLabel(m) };
  if (m.hop === "poll") return { from: "poller", to: "payments", label: "anything new?" };
  if (m.hop === "poll-answer") return { from: "payments", to: "poller", label: m.payload.found ? `${m.payload.found} new` : "nothing" };
  return null; // the event itself, Shop's verdicts and mode changes: told in the caption and the log
}

function describe(m) {
  if (m.hop === "attempt") return `${sender(m.source)} → ${sender(m.target)}: attempt ${m.attempt} of ${m.kind}, a signed POST.`;
  if (m.hop === "answer" && m.target === "attacker") return `Shop refused the attacker's request with ${m.status_code}: ${m.payload.body}`;
  if (m.hop === "answer" && m.status === "ok") return `${sender(m.source)} answered ${m.status_code} in ${Math.round(m.duration_ms)} ms: delivered.`;
  if (m.hop === "answer" && !m.status_code && !m.error.includes("timeout")) return `${sender(m.target)} could not reach ${sender(m.source)}: ${m.error}. It will try again later.`;
  if (m.hop === "answer") return `${sender(m.source)}: ${m.error}`;
  if (m.hop === "poll") return "Shop's poller asked Payments: anything new?";
  if (m.hop === "poll-answer") return m.payload.found ? `Payments: ${m.payload.found} new event(s) since the last poll.` : "Payments: nothing new. A wasted request.";
  if (m.hop === "forge" || m.hop === "replay") return `The attacker sent ${m.error}.`;
  return `${m.kind}: ${m.hop}`;
}

function logLine(m) {
  const to = sender(m.target), from = sender(m.source);
  switch (m.hop) {
    case "event": return `${m.kind} happened at ${from}`;
    case "attempt": return `attempt ${m.attempt}: ${from} → ${to} (${m.kind})`;
    case "answer":
      if (m.target === "attacker") return `Shop refused the attacker (${m.status_code})`;
      return m.status_code ? `answer ${m.status_code} from ${from} (attempt ${m.attempt})` : `no answer from ${from} (attempt ${m.attempt})`;
    case "processed": return `Shop processed ${m.kind} ✓ (once)`;
    case "duplicate": return `Shop: ${m.kind} again — acknowledged, not processed twice`;
    case "rejected": case "refused": return `Shop ${m.hop}: ${m.payload.reason}`;
    case "stuck": return "Shop is stuck: no answer in time";
    case "poll": return "poll: “anything new?”";
    case "poll-answer": return m.payload.found ? `poll answer: ${m.payload.found} new` : "poll answer: nothing new";
    case "mode": return `Shop's receiver set to “${m.payload.mode}”`;
    case "forge": case "replay": return `attacker → Shop: ${m.hop === "forge" ? "forged" : "replayed"} ${m.kind}`;
    default: return `${from} → ${to} · ${m.kind} · ${m.hop}`;
  }
}

const hook = mountHook();
const deliveries = mountDeliveries();
const compare = mountCompare();
const endpoints = mountEndpoints();
const receiver = mountReceiver();

const page = mountStylePage({
  style: "webhooks",
  nodes: NODES,
  edges: EDGES,
  route,
  describe,
  logDescribe: logLine,
  onArrive: (m) => { if (m.hop === "attempt" && node(m.target) === "shop") hook.bite(); },
  onMessages(messages, frame) {
    if (frame.initial) return;
    for (const m of messages) {
      if (m.hop === "event") page.stage.say(`${sender(m.source)}: ${m.kind} happened. It goes into the outbox and out to every endpoint that asked for it.`);
      if (m.hop === "mode") { receiver.show(m.payload.mode); showMode(m.payload.mode); endpoints.refresh(); } // healthy heals Shop's endpoint
      if (m.hop === "answer" && m.payload.endpoint_disabled) endpoints.refresh();
    }
    deliveries.onMessages(messages);
    compare.onMessages(messages);
  },
});
// Shop's receiver mode, as a badge on Shop while it holds (the radios say it in full).
const MODE_BADGE = { error: ["500", "error"], hang: ["HANGS", "pending"], offline: ["OFF", "error"], gone: ["GONE", "error"],
  flaky: ["FLAKY", "pending"], busy: ["BUSY (429)", "pending"] };
function showMode(mode) {
  const [badge, tone] = MODE_BADGE[mode] || [];
  const text = document.querySelector(`[data-mode="${mode}"]`)?.parentElement.textContent.trim();
  page.stage.setState("shop", badge && { badge, tone, title: `Shop's receiver: ${text}` });
}
showMode(document.querySelector("[data-mode]:checked")?.value);
for (const radio of document.querySelectorAll("[data-mode]")) radio.addEventListener("change", () => { if (radio.checked) showMode(radio.value); });
hook.attach(page.stage);
mountEditor(config);
mountSignatureCheck(page.inspector);
