// The poller panel: start or stop it, and its honest counters — requests made, how many found
// something, how long new orders waited before the poller noticed them.

import { every } from "../../clock.js";
import { formatMs, h, postJSON } from "../../dom.js";

export class Poller {
  constructor(root) {
    this.root = root;
    this.every = root.querySelector("[data-poller-every]");
    this.state = root.querySelector("[data-poller-state]");
    this.verdict = root.querySelector("[data-poller-verdict]");
    root.querySelector("[data-poller-start]").addEventListener("click", () => this.control({ action: "start", every: Number(this.every.value) }));
    root.querySelector("[data-poller-stop]").addEventListener("click", () => this.control({ action: "stop" }));
    this.refresh();
    every(4000, () => { if (this.running) this.refresh(); }); // the counters stand still while paused
  }

  async control(body) {
    const { ok, body: state } = await postJSON("/api/api/poller", body);
    if (ok) this.render(state);
    else this.verdict.textContent = `Refused: ${state.detail}`;
  }

  refreshSoon() {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.refresh(), 600);
  }

  async refresh() {
    try {
      const response = await fetch("/api/api/poller");
      if (response.ok) this.render(await response.json());
    } catch { /* shown by the feed badge */ }
  }

  render(s) {
    this.running = s.running;
    this.state.className = `status status-${s.running ? "ok" : "pending"}`;
    this.state.textContent = s.running ? `polling ${s.every_text}` : "stopped";
    for (const name of ["requests", "found", "empty", "failed", "orders"]) this.root.querySelector(`[data-poller-count="${name}"]`).textContent = String(s[name]);
    const wait = this.root.querySelector('[data-poller-count="wait"]');
    if (s.average_wait_ms === null) wait.textContent = "—";
    else wait.replaceChildren(formatMs(s.average_wait_ms), h("small", {}, ` real · ${s.average_wait_text.split(" (story)")[0]} story`));
    if (!s.requests) { this.verdict.textContent = s.running ? "Polling… press “Place an order” now and then." : "Start the poller, then press “Place an order” now and then."; return; }
    const pct = Math.round((100 * s.empty) / s.requests);
    let text = `${s.empty} of ${s.requests} requests (${pct}%) found nothing new.`;
    if (s.orders) text += ` A webhook would have made ${s.pushes_instead} request${s.pushes_instead === 1 ? "" : "s"} — one per new order, each within milliseconds; the poller noticed them ${formatMs(s.average_wait_ms)} late on average (${s.average_wait_text.split(" (story)")[0]} in story time).`;
    this.verdict.textContent = text;
  }
}
