// The queue board under the stage: the line of waiting jobs (depth from the broker), the worker
// lanes (the job each process is on), the counters, and a progress bar while a backlog drains.

import { formatMs, h } from "../dom.js";

const MAX_TOKENS = 80;
const RECENT_MS = 2000;
const fmt = (n) => Number(n || 0).toLocaleString("en-GB");

export class Board {
  constructor(root) {
    this.root = root;
    this.depthEl = root.querySelector("[data-depth]");
    this.tokens = root.querySelector("[data-queue-tokens]");
    this.lanesEl = root.querySelector("[data-lanes]");
    this.processesEl = root.querySelector("[data-processes]");
    this.progress = root.querySelector("[data-progress]");
    this.bar = root.querySelector("[data-progress-bar]");
    this.progressText = root.querySelector("[data-progress-text]");
    this.pausedNote = root.querySelector("[data-paused-note]");
    this.busy = new Map(); // pid -> {job_id, kind, since}: from the feed, between two polls
    this.doneBy = new Map(); // pid -> jobs this process finished while the page was open
    this.lastHop = new Map(); // pid -> when the feed last saw it start or finish a job
    this.depth = 0;
    this.peak = 0;
    this.lastNodes = [];
  }

  /** A fresh /api/queue/stats answer. */
  update(stats) {
    this.root.dataset.queueDepth = String(stats.depth);
    this.depth = stats.depth;
    this.depthEl.textContent = fmt(stats.depth);
    this.drawTokens(stats.depth);
    for (const el of this.root.querySelectorAll("[data-count]")) el.textContent = fmt(stats[el.dataset.count]);
    for (const el of this.root.querySelectorAll("[data-effect]")) el.textContent = fmt(stats.effects[el.dataset.effect]);
    this.pausedNote.hidden = !stats.workers.paused;
    this.root.dataset.paused = String(stats.workers.paused);
    this.busy.clear();
    for (const node of stats.workers.nodes) for (const job of node.jobs) this.busy.set(job.pid, { ...job, since: Date.now() - job.running_s * 1000 });
    this.lastNodes = stats.workers.nodes;
    this.drawLanes();
    this.drawProgress(stats);
    this.reconcile(stats);
  }

  /** Nothing lost: once the queue is still, every job sent is either done or dead. */
  reconcile(stats) {
    const el = this.root.querySelector("[data-reconcile]");
    const open = stats.jobs - stats.done - stats.dead;
    const still = !stats.depth && !stats.in_flight && !stats.waiting_retry;
    el.dataset.state = !stats.jobs ? "empty" : !still ? "moving" : open === 0 ? "ok" : "missing";
    el.textContent = !stats.jobs ? ""
      : !still ? `Counting: ${fmt(open)} of ${fmt(stats.jobs)} jobs are still in the queue, at a worker or waiting to retry.`
      : open === 0 ? `✓ Every job accounted for: ${fmt(stats.jobs)} sent = ${fmt(stats.done)} done + ${fmt(stats.dead)} dead. Nothing lost, nothing done twice.`
      : `✕ ${fmt(open)} of ${fmt(stats.jobs)} jobs are neither done nor dead.`;
  }

  drawTokens(depth) {
    const shown = Math.min(depth, MAX_TOKENS);
    const tokens = [];
    for (let i = 0; i < shown; i++) tokens.push(h("span", { class: "q-token" }));
    if (depth > shown) tokens.push(h("span", { class: "q-more" }, `+ ${fmt(depth - shown)} more`));
    if (!depth) tokens.push(h("span", { class: "muted" }, "Empty: every job has been taken by a worker."));
    this.tokens.replaceChildren(...tokens);
  }

  drawLanes() {
    const lanes = [];
    for (const node of this.lastNodes) {
      const host = node.name.split("@")[0];
      for (const pid of node.processes) {
        const job = this.busy.get(pid);
        // Jobs of a few milliseconds end between two polls: a process that just finished one
        // while jobs wait has already taken the next, so it counts as busy, not idle.
        const streaming = !job && this.depth > 0 && node.consuming && Date.now() - (this.lastHop.get(pid) || 0) < RECENT_MS;
        const what = job
          ? [h("span", { class: "status status-pending" }, "busy"), ` ${job.kind} job ${String(job.job_id).slice(0, 8)}`,
            h("span", { class: "muted" }, ` · ${formatMs(Date.now() - job.since)}`)]
          : streaming
            ? [h("span", { class: "status status-pending" }, "busy"), " one quick job after another"]
            : [h("span", { class: "status status-ok" }, "idle"), h("span", { class: "muted" }, " waiting for a job")];
        const done = this.doneBy.get(pid) || 0;
        lanes.push(h("li", { dataset: { pid, busy: String(Boolean(job || streaming)) } }, h("span", { class: "mono" }, `process ${pid}`), " ", ...what,
          h("span", { class: "muted q-small" }, ` (${host}${node.consuming ? "" : ", paused"}${done ? ` · ${fmt(done)} done` : ""})`)));
      }
    }
    if (!lanes.length) lanes.push(h("li", { class: "notice error" }, "No worker answers. Start one: python manage.py playground"));
    this.lanesEl.replaceChildren(...lanes);
    this.processesEl.textContent = String(this.lastNodes.reduce((n, node) => n + (node.size ?? node.processes.length), 0));
  }

  /** From the feed, between polls: a process took a job, or finished one. */
  onHop(m) {
    const pid = m.payload?.pid;
    if (!pid) return;
    if (m.hop === "started" || m.hop === "redelivered") this.busy.set(pid, { job_id: m.correlation_id, kind: m.kind, since: Date.now() });
    else if (["done", "failed", "duplicate", "dead"].includes(m.hop)) {
      // The feed trails the polls: an old job's end must not idle a process the poll saw on a new one.
      if ([undefined, m.correlation_id].includes(this.busy.get(pid)?.job_id)) this.busy.delete(pid);
      if (m.hop === "done") this.doneBy.set(pid, (this.doneBy.get(pid) || 0) + 1);
    }
    else return;
    this.lastHop.set(pid, Date.now());
    if (!this.laneTimer) this.laneTimer = requestAnimationFrame(() => { this.laneTimer = null; this.drawLanes(); });
  }

  drawProgress(stats) {
    const left = stats.depth + stats.in_flight;
    if (left > this.peak) this.peak = left;
    if (this.peak < 20) {  // small batches drain too fast for a bar; "Drained" stays up a few seconds
      this.progress.hidden = Date.now() - (this.drainedAt || 0) > 6000;
      if (!left) this.peak = 0;
      return;
    }
    this.progress.hidden = false;
    const done = this.peak - left;
    this.bar.value = Math.round((done / this.peak) * 100);
    if (!left) {
      // The peak is what the polls saw waiting at most, not what was sent: a fast start is missed.
      this.progressText.textContent = `Drained ✓ — nothing waits; at most ${fmt(this.peak)} jobs waited at once.`;
      this.peak = 0;
      this.drainedAt = Date.now();
      return;
    }
    const rate = stats.throughput;
    const eta = stats.workers.paused ? "paused: nothing is being taken" : rate > 0 ? `about ${formatMs((left / rate) * 1000)} left at ${rate.toFixed(1)} jobs/s` : "no job finishing right now — are the workers paused?";
    this.progressText.textContent = `${fmt(left)} of ${fmt(this.peak)} jobs still to do · ${eta}`;
  }
}
