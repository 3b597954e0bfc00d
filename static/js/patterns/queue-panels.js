// Two panels of the Message queue page: blocking vs queued sign-ups, and the dead-letter list.

import { formatMs, h, postJSON } from "../dom.js";
import { act, reportStatus } from "../stylepage.js";

const fmt = (n) => Number(n).toLocaleString("en-GB");

/** Blocking vs queued: the same sign-up, timed as the user feels it (in the browser). */
export function mountCompare() {
  const compare = document.querySelector("[data-compare]");
  const button = document.querySelector("[data-signup]");
  const times = {};
  button.addEventListener("click", async () => {
    const mode = document.querySelector("[data-mode]:checked").value;
    button.disabled = true;
    reportStatus(mode === "blocking" ? "Signing up… the page waits while the email is sent." : "Signing up…");
    const began = performance.now();
    try {
      const result = await postJSON("/api/queue/signup", { mode });
      const waited = performance.now() - began;
      if (!result.ok) { reportStatus(`Refused (${result.status}): ${result.body.detail}`, "error"); return; }
      times[mode] = { waited, server: result.body.response_ms };
      const slowest = Math.max(...Object.values(times).map((t) => t.waited));
      for (const [name, t] of Object.entries(times)) {
        const row = compare.querySelector(`[data-compare-row="${name}"]`);
        row.querySelector("[data-compare-ms]").textContent = `${formatMs(t.waited)} (server: ${formatMs(t.server)})`;
        row.querySelector("[data-compare-bar]").style.width = `${Math.max(2, (t.waited / slowest) * 100)}%`;
      }
      reportStatus(`Signed up (${mode}): the user waited ${formatMs(waited)}.`);
    } catch (error) {
      reportStatus(`The playground cannot be reached: ${error.message}`, "error");
    } finally {
      button.disabled = false;
    }
  });
}

/** Dead letters: jobs that failed every attempt, each with a Requeue button. */
export class DeadLetters {
  constructor(list) {
    this.list = list;
    this.empty = list.querySelector("[data-dead-empty]");
    this.count = document.querySelector("[data-dead-count]");
  }

  async load() {
    const response = await fetch("/api/queue/dead");
    if (!response.ok) return;
    const { dead, count } = await response.json();
    this.count.textContent = fmt(count);
    const rows = dead.map((d) => h("li", { dataset: { deadId: d.id } },
      h("span", { class: "status status-error" }, "dead"),
      h("span", {}, ` ${d.kind} job `, h("span", { class: "mono" }, d.job_id.slice(0, 8)), ` after ${d.attempts} attempts: ${d.error}`),
      h("button", { type: "button", class: "secondary", onclick: (e) => this.requeue(d.id, e.currentTarget) }, "Requeue")));
    this.list.replaceChildren(...(rows.length ? rows : [this.empty]));
  }

  async requeue(id, button) {
    button.disabled = true;
    const result = await act(`/api/queue/dead/${id}/requeue`, {}, { done: (b) => `Job ${b.job_id.slice(0, 8)} requeued (round ${b.round}).` });
    if (!result.ok) button.disabled = false;
    this.load();
  }
}
