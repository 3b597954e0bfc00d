// The Message queue page: real Celery jobs on the stage, the queue board, charts, worker controls,
// dead letters and the blocking-vs-queued comparison. Everything a button does goes to /api/queue/.

import { after } from "../clock.js";
import { formatMs } from "../dom.js";
import { act, mountStylePage, reportStatus } from "../stylepage.js";
import { DeadLetters, mountCompare } from "./queue-panels.js";
import { Board } from "./queue-board.js";
import { LineChart } from "./queue-chart.js";

const POLL_MS = 1000;
const id8 = (m) => String(m.correlation_id).slice(0, 8);
const fmt = (n) => Number(n).toLocaleString("en-GB");
const ACTIONS = { email: "A sign-up", thumbnail: "A photo upload", analytics: "A page view", noop: "The benchmark" };

const CAPTIONS = {
  queued: (m) => `${ACTIONS[m.kind] || "A user action"} put a ${m.kind} job in the queue — the user already has an answer.`,
  "sent-again": (m) => `The same ${m.kind} job ${id8(m)} was sent a second time (as a network retry would).`,
  "re-sent": (m) => `Job ${id8(m)} was sent but no worker ever started it and the broker no longer holds it: the outbox sent it again.`,
  started: (m) => (m.attempt > 1
    ? `Worker process ${m.payload.pid} started attempt ${m.attempt} of ${m.kind} job ${id8(m)}, ${formatMs(m.duration_ms)} after it was first queued.`
    : `Worker process ${m.payload.pid} took ${m.kind} job ${id8(m)} after it waited ${formatMs(m.duration_ms)} in the queue.`),
  redelivered: (m) => `The broker handed job ${id8(m)} to process ${m.payload.pid} again: its first process died before acknowledging it.`,
  duplicate: (m) => `Job ${id8(m)} arrived again, but its work was already done: the worker skipped it (no second ${m.kind === "email" ? "email" : "effect"}).`,
  done: (m) => `Job ${id8(m)} done on attempt ${m.attempt}: ${m.payload.effect}.`,
  failed: (m) => `Job ${id8(m)} failed on attempt ${m.attempt}: ${m.error}.`,
  "retry-scheduled": (m) => `Job ${id8(m)} will be retried in ${m.payload.retry_in_s} s — the wait doubles after each failure.`,
  dead: (m) => `Job ${id8(m)} gave up after ${m.attempt} attempts and moved to the dead-letter list.`,
  requeued: (m) => `Dead job ${id8(m)} was sent again (round ${m.payload.round}).`,
  "sent-in-request": () => "The web app sent the welcome email itself, while the user waited.",
  "answered-blocking": (m) => `The user got an answer after ${formatMs(m.duration_ms)} — after the email was sent.`,
  "answered-queued": (m) => `The user got an answer after ${formatMs(m.duration_ms)} — the email is a job in the queue.`,
};

function describe(m) {
  if (m.kind === "control") return m.payload.detail;
  return (CAPTIONS[m.hop] || (() => `${m.source} → ${m.target}: ${m.hop}`))(m);
}

const board = new Board(document.querySelector("[data-queue-board]"));
const charts = {
  depth: new LineChart(document.querySelector('[data-chart="depth"]'), { format: (v) => fmt(Math.round(v)) }),
  throughput: new LineChart(document.querySelector('[data-chart="throughput"]'), { format: (v) => `${v.toFixed(1)}/s` }),
  wait: new LineChart(document.querySelector('[data-chart="wait"]'), { format: (v) => formatMs(v) }),
};

const deadLetters = new DeadLetters(document.querySelector("[data-dead-list]"));

const { stage } = mountStylePage({
  style: "queue",
  backlog: 40,
  nodes: [
    { id: "user", label: "User", sub: "waits for the page", x: 110, y: 60 },
    { id: "web", label: "Web app", sub: "sign-up, upload, view", x: 110, y: 235 },
    { id: "queue", label: "Queue", sub: document.querySelector("[data-broker-name]").textContent + " · jobs", x: 380, y: 235 },
    { id: "worker", label: "Workers", sub: "Celery processes", x: 650, y: 235 },
    { id: "mailer", label: "Mail server", sub: "welcome emails", x: 890, y: 60 },
    { id: "storage", label: "Photo storage", sub: "thumbnails", x: 890, y: 235 },
    { id: "analytics", label: "Analytics", sub: "page views", x: 890, y: 410 },
    { id: "deadletters", label: "Dead letters", sub: "in our database", x: 650, y: 430 },
  ],
  edges: [
    { from: "web", to: "user", label: "answer" },
    { from: "web", to: "queue", label: "job" },
    { from: "queue", to: "worker" },
    { from: "worker", to: "mailer" },
    { from: "worker", to: "storage" },
    { from: "worker", to: "analytics" },
    { from: "worker", to: "deadletters", label: "gave up" },
    { from: "deadletters", to: "queue", label: "requeue", via: { x: 380, y: 440 } },
    { from: "web", to: "mailer", label: "blocking: the web app sends it itself", via: { x: 500, y: 10 } },
    { from: "web", to: "worker", label: "remote control", via: { x: 380, y: 120 } },
  ],
  describe,
  logDescribe: (m) => (m.kind === "control" ? `${m.hop} (worker control)` : `${m.hop} · ${m.kind} ${id8(m)}`) + (m.attempt > 1 ? ` · try ${m.attempt}` : ""),
  onMessages(messages, frame) {
    if (frame.initial) return;
    for (const m of messages) board.onHop(m);
    if (messages.some((m) => ["dead", "requeued"].includes(m.hop))) deadLetters.load();
  },
});

async function poll() {
  try {
    const response = await fetch("/api/queue/stats");
    if (response.ok) {
      const stats = await response.json();
      board.update(stats);
      const { paused, nodes } = stats.workers;
      stage.setState("worker", !nodes.length ? { badge: "OFF", tone: "error", title: "No worker answers" }
        : paused ? { badge: "PAUSED", tone: "paused", title: "The workers take no new jobs: the queue fills up" } : null);
      const t = Date.now() / 1000;
      charts.depth.add(t, stats.depth);
      charts.throughput.add(t, stats.throughput);
      charts.wait.add(t, stats.wait_ms);
    }
  } catch { /* the feed's badge already says when the server is unreachable */ }
  // Page time: paused, the board and the charts stand still (and ask the broker nothing).
  after(document.visibilityState === "visible" ? POLL_MS : POLL_MS * 5, poll);
}

function failRate(kind) {
  return Number(document.querySelector(`[data-fail-rate-for="${kind}"]`)?.value || 0);
}

async function enqueue(button, kind, count, failRateOverride) {
  button.disabled = true;
  reportStatus(count > 1 ? `Sending ${fmt(count)} jobs…` : "Sending…");
  try {
    const fail_rate = failRateOverride ?? failRate(kind);
    await act("/api/queue/jobs", { kind, count, fail_rate }, {
      done: (b) => `${fmt(b.count)} ${kind} job${b.count > 1 ? "s" : ""} on the queue in ${formatMs(b.enqueue_ms)} — the workers take it from here.`,
    });
  } finally {
    button.disabled = false;
  }
}

for (const button of document.querySelectorAll("[data-enqueue]")) {
  button.addEventListener("click", () => enqueue(button, button.dataset.enqueue, Number(button.dataset.jobs),
    button.dataset.failRate !== undefined ? Number(button.dataset.failRate) : undefined));
}
document.querySelector("[data-custom-send]").addEventListener("click", (event) => {
  const count = Number(document.querySelector("[data-custom-count]").value);
  enqueue(event.currentTarget, document.querySelector("[data-custom-kind]").value, count);
});
document.querySelector("[data-duplicate]").addEventListener("click", () =>
  act("/api/queue/jobs/duplicate", {}, { done: (b) => `Job ${b.job_id.slice(0, 8)} sent twice — watch the second delivery be skipped.` }));

for (const button of document.querySelectorAll("[data-worker]")) {
  button.addEventListener("click", async () => {
    button.disabled = true;
    reportStatus("Asking the workers…");
    try {
      await act("/api/queue/workers", { action: button.dataset.worker }, { done: (b) => b.detail });
    } finally {
      button.disabled = false;
    }
  });
}

mountCompare();
poll();
deadLetters.load();

