// The delivery log (Pending / Delivered / Failed tabs), the countdown to the next retry, Resend.
// Rows come from the API; live messages refresh them (at most once a second) and update the
// countdown at once.

import { every } from "../../clock.js";
import { formatTime, h, statusBadge } from "../../dom.js";
import { roomHeaders } from "../../room-state.js";
import { act } from "../../stylepage.js";
import { storyText } from "./story.js";

const STATUS = { pending: "pending", delivered: "ok", failed: "error" };
const WORD = { pending: "pending", delivered: "delivered", failed: "failed" };

export function mountDeliveries() {
  const list = document.querySelector("[data-delivery-list]");
  const countdown = document.querySelector("[data-countdown-text]");
  let rows = [], tab = "pending", due = new Map(), timer = null, fetchedAt = performance.now();

  async function refresh() {
    timer = null;
    const response = await fetch("/api/webhooks/deliveries?limit=100", { headers: roomHeaders() });
    if (!response.ok) return;
    rows = await response.json();
    fetchedAt = performance.now();
    due = new Map(rows.filter((d) => d.next_attempt_in_ms !== null && !d.endpoint_disabled).map((d) => [d.id, fetchedAt + d.next_attempt_in_ms]));
    render();
  }

  // A room of pages must not refetch in step: a jittered, coalesced refresh, only for new rows.
  const soon = () => { if (!timer) timer = setTimeout(refresh, 500 + Math.random() * 1000); };

  /** An answer hop updates its delivery in place: no request to the server. */
  function apply(m) {
    const d = rows.find((r) => r.id === m.payload.delivery);
    if (!d) return false;
    d.state = { delivered: "delivered", retrying: "pending", failed: "failed" }[m.payload.outcome] || d.state;
    d.attempts = Math.max(d.attempts, m.attempt);
    d.last_status_code = m.status_code;
    d.last_error = m.error;
    if (!d.attempt_log.some((a) => a.number === m.attempt)) {
      d.attempt_log.push({ number: m.attempt, ok: m.status === "ok", status_code: m.status_code, error: m.error });
    }
    if (m.payload.retry_in_ms !== null) due.set(d.id, performance.now() + m.payload.retry_in_ms);
    else due.delete(d.id);
    return true;
  }

  function attemptsText(d) {
    return d.attempt_log.map((a) => (a.ok ? `● ${a.status_code}` : `✕ ${a.status_code ?? (a.error.includes("timeout") ? "timeout" : "no connection")}`)).join("  ");
  }

  function row(d) {
    const waiting = due.get(d.id);
    const resend = h("button", { type: "button", class: "secondary", "data-resend": d.id,
      title: "Send it again now: same webhook-id, new timestamp and signature",
      onclick: () => act(`/api/webhooks/deliveries/${d.id}/resend`, {}, { done: () => `Resending delivery #${d.id} (same webhook-id ${d.event_id}).` }).then(soon) },
    d.state === "pending" ? "Retry now" : "Resend");
    return h("li", { dataset: { deliveryId: d.id, state: d.state } },
      h("div", { class: "wh-delivery-head" }, statusBadge(STATUS[d.state], WORD[d.state]),
        h("b", {}, d.type), " → ", d.endpoint, h("span", { class: "muted mono" }, ` #${d.id} · ${formatTime(d.created_at)}`)),
      h("div", { class: "wh-delivery-body" },
        h("span", {}, `${d.attempts} of ${d.max_attempts} attempts made`),
        h("span", { class: "mono", "aria-label": "answers" }, attemptsText(d) || "sending…"),
        // The button before the countdown: the countdown's text changes ten times a second, and a
        // button after it would move under the pointer.
        resend,
        waiting ? h("span", { class: "wh-due", "data-due": d.id }, "") : null,
        d.state === "pending" && d.endpoint_disabled ? h("span", { class: "wh-due" }, "paused: its endpoint is disabled") : null),
      d.last_error ? h("div", { class: "wh-delivery-error" }, d.last_error) : null);
  }

  function render() {
    const counts = { pending: 0, delivered: 0, failed: 0 };
    for (const d of rows) counts[d.state] += 1;
    for (const [state, n] of Object.entries(counts)) document.querySelector(`[data-tab-count="${state}"]`).textContent = String(n);
    const shown = rows.filter((d) => d.state === tab).slice(0, 40);
    const empty = { pending: "Nothing waiting. Set Shop's receiver to “Broken” and send an event to watch retries.",
      delivered: "Nothing delivered yet — press a Send button.", failed: "Nothing failed: every event got through (or is still being retried)." };
    list.replaceChildren(...(shown.length ? shown.map(row) : [h("li", { class: "empty" }, empty[tab])]));
    tick();
  }

  function tick() {
    const now = performance.now();
    let next = null;
    for (const d of rows) {
      const at = due.get(d.id);
      if (d.state !== "pending" || at === undefined) continue;
      const left = Math.max(0, (at - now) / 1000);
      const el = list.querySelector(`[data-due="${d.id}"]`);
      if (el) el.textContent = left > 0 ? `next try in ${storyText(left)}` : "due now, on its way";
      if (!next || at < next.at) next = { d, at, left };
    }
    const when = next && (next.left > 0 ? `in ${storyText(next.left)}` : "due now, on its way");
    countdown.textContent = next
      ? `${next.d.type} → ${next.d.endpoint}, attempt ${next.d.attempts + 1} of ${next.d.max_attempts}, ${when}`
      : "none waiting.";
  }

  for (const button of document.querySelectorAll("[data-tab]")) {
    button.addEventListener("click", () => {
      tab = button.dataset.tab;
      for (const b of document.querySelectorAll("[data-tab]")) b.setAttribute("aria-selected", String(b === button));
      render();
    });
  }
  every(100, tick); // the countdown stands still while the page is paused
  refresh();
  return {
    onMessages(messages) {
      let changed = false, unknown = false;
      for (const m of messages) {
        if (m.hop === "event") unknown = true;
        if (m.hop === "answer" && m.payload.delivery) {
          if (apply(m)) changed = true;
          else unknown = true;
        }
      }
      if (unknown) soon();
      else if (changed) render();
    },
  };
}
