// Push vs poll: start/stop Shop's poller and keep both columns of counters current.

import { roomHeaders } from "../../room-state.js";
import { act } from "../../stylepage.js";

export function mountCompare() {
  const state = document.querySelector("[data-compare-state]");
  let timer = null;

  function fill(side, numbers) {
    for (const key of ["requests", "empty", "found", "staleness"]) {
      const cell = document.querySelector(`[data-${side}="${key}"]`);
      cell.textContent = numbers ? String(numbers[key]) : "—";
    }
  }

  let running = false;

  function show(body) {
    running = body.running;
    fill("push", body.push);
    fill("poll", body.poll);
    state.textContent = body.running
      ? `Polling every ${body.interval_text}. It stops by itself after a story day.`
      : body.poll ? "Polling stopped. The numbers cover the events since it started." : "Not polling. Press “Start polling”, then send a few payment events.";
  }

  async function refresh() {
    timer = null;
    const response = await fetch("/api/webhooks/compare", { headers: roomHeaders() });
    if (response.ok) show(await response.json());
  }

  document.querySelector("[data-poll-start]").addEventListener("click", async () => {
    const interval = Number(document.querySelector("[data-poll-interval]").value);
    const result = await act("/api/webhooks/compare/start", { interval }, { done: () => "Shop's poller started. Now send payment events." });
    if (result.ok) show(result.body);
  });
  document.querySelector("[data-poll-stop]").addEventListener("click", async () => {
    const result = await act("/api/webhooks/compare/stop", {}, { done: () => "Shop's poller stopped." });
    if (result.ok) show(result.body);
  });
  refresh();
  return {
    onMessages(messages) {
      // Only while a comparison runs, and jittered, so a room of pages does not ask in step.
      if (!timer && (running || messages.some((m) => m.hop === "poll-answer")) && messages.some((m) => m.hop === "poll-answer" || m.hop === "answer")) {
        timer = setTimeout(refresh, 600 + Math.random() * 900);
      }
    },
  };
}
