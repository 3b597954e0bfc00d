// Home: the live message count, and a ping that travels browser → web → queue → worker → browser.

import { formatMs, postJSON } from "../dom.js";
import { Feed } from "../feed.js";
import { Inspector } from "../inspector.js";
import { LiveLog } from "../log.js";
import { mountStage } from "../stage.js";

const CAPTIONS = {
  request: () => "A browser asked the web server for a ping (an HTTP request).",
  enqueued: () => "The web server put a job in the queue and answered the browser at once.",
  "picked-up": () => "A background worker took the job from the queue.",
  reply: (m) => `The worker answered through the live connection: round trip ${formatMs(m.payload.round_trip_ms)}.`,
};

const stage = mountStage("ping-stage", {
  nodes: [
    { id: "browser", label: "Browser", sub: "you (and the room)", x: 110, y: 110 },
    { id: "web", label: "Web server", sub: "Django + daphne", x: 370, y: 110 },
    { id: "queue", label: "Queue", sub: "Redis", x: 630, y: 110 },
    { id: "worker", label: "Worker", sub: "Celery", x: 890, y: 110 },
  ],
  edges: [
    { from: "browser", to: "web", label: "HTTP" },
    { from: "web", to: "queue", label: "job" },
    { from: "queue", to: "worker", label: "job" },
    { from: "worker", to: "browser", label: "answer, over the page's live connection", via: { x: 500, y: 330 } },
  ],
  route: (m) => ({ from: m.source, to: m.target, label: m.hop }),
  describe: (m) => (CAPTIONS[m.hop] || (() => `${m.source} → ${m.target}: ${m.hop}`))(m),
});

const inspector = new Inspector(document.querySelector("[data-inspector]"));
const log = new LiveLog(document.querySelector("[data-log]"), {
  describe: (m) => `${m.hop}: ${stage.label(m.source)} → ${stage.label(m.target)}`,
  onSelect: (id) => inspector.show(id),
});
const counter = document.querySelector("[data-total-count]");
let total = Number(counter.textContent) || 0;

new Feed({
  count: true,
  onMessages(messages, frame) {
    total = frame.total !== undefined ? frame.total : total + messages.length;
    counter.textContent = String(total);
    const pings = messages.filter((m) => m.style === "ping");
    stage.add(pings);
    log.add(pings);
  },
}).start();

const button = document.querySelector('[data-action="ping"]');
const status = document.querySelector("[data-ping-status]");
const note = document.querySelector("[data-ping-note]");
button.addEventListener("click", async () => {
  button.disabled = true;
  status.textContent = "Sending…";
  try {
    const { ok, body } = await postJSON("/api/ping", { note: note.value });
    status.textContent = ok ? "Sent — watch it travel." : `Not sent: ${body.detail}`;
  } catch (error) {
    status.textContent = `Not sent: the web server cannot be reached (${error.message}).`;
  } finally {
    button.disabled = false;
  }
});
