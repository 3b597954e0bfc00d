// A guided tour, as a side panel over a style's own page (loaded when the URL has ?tour=<style>).
//
// The script (steps, narration, actions, expected ledger hops) comes from GET /api/tours/<style>.
// Arriving at a step fires its actions through the style's public API — the same endpoints the
// page's buttons use — so the stage, the log and the inspector show the real traffic; the panel
// then watches the ledger until the step's messages are there. Nothing moves on by itself:
// Enter or → goes on, ← goes back, Esc leaves (and puts the style back as it was). While the panel
// is open those four keys are the tour's alone (keys.js): → does not also step the stage.
// In a room the tour is the instructor's: their steps fire (the step is kept in the address, so the
// students' pages follow it, room.js); a student's panel shows the same step and does not fire.

import { csrfToken, h, prefersReducedMotion } from "./dom.js";
import { LAYER, onKeys } from "./keys.js";
import { currentRoom, roomHeaders, roomKey } from "./room-state.js";

const POLL_MS = 500;
const WAIT_LIMIT_MS = 60000;
const style = new URLSearchParams(location.search).get("tour");
const room = currentRoom();
const watching = Boolean(room) && !roomKey(room); // a student: the instructor fires

async function call({ method, path, body }) {
  const init = { method, credentials: "same-origin", headers: { "X-CSRFToken": csrfToken(), ...roomHeaders() } };
  if (method !== "GET") {
    init.headers["Content-Type"] = "application/json";
    init.body = JSON.stringify(body ?? {});
  }
  try {
    const response = await fetch(path, init);
    let data = null;
    try { data = await response.json(); } catch { /* not JSON */ }
    return { status: response.status, ok: response.ok, body: data };
  } catch (error) {
    return { status: 0, ok: false, body: { detail: error.message } };
  }
}

async function lastLedgerId() {
  const answer = await call({ method: "GET", path: "/api/stats" });
  return answer.body?.last_id ?? 0;
}

/** Count this style's messages after ledger id `after` by hop, into `counts`, reading every page
 *  (one pickup of many waiting files records thousands). Returns how many were read and the id to
 *  go on from; `alive()` false stops it between pages. */
async function countHopsAfter(after, counts, alive) {
  const inRoom = room ? `&room=${encodeURIComponent(room)}` : "";
  let read = 0;
  while (alive()) {
    const answer = await call({ method: "GET", path: `/api/messages?style=${encodeURIComponent(style)}&after=${after}&limit=1000${inRoom}` });
    const messages = answer.body?.messages ?? [];
    for (const m of messages) counts[m.hop] = (counts[m.hop] || 0) + 1;
    read += messages.length;
    if (messages.length) after = messages[messages.length - 1].id;
    if (!answer.body?.has_more) break;
  }
  return { read, after };
}

class Tour {
  constructor(script) {
    this.script = script;
    this.index = 0;
    this.fired = new Set();
    this.recorded = 0; // ledger messages the tour's actions produced
    this.token = 0;
    this.build();
    this.bindKeys();
    const asked = Number.parseInt(new URLSearchParams(location.search).get("step"), 10);
    this.show(asked >= 1 && asked <= script.steps.length ? asked - 1 : 0);
  }

  /** In a room, keep the step in the address: the room's students follow it (room.js). */
  remember(index) {
    const url = new URL(location.href);
    if (index === null) { url.searchParams.delete("tour"); url.searchParams.delete("step"); }
    else if (room) url.searchParams.set("step", String(index + 1));
    if (url.href === location.href) return;
    history.replaceState(null, "", url);
    window.dispatchEvent(new CustomEvent("playground:page"));
  }

  build() {
    const s = this.script;
    this.counter = h("p", { class: "tour-count", "data-tour-count": "" });
    this.bar = h("div", { class: "tour-bar", role: "progressbar", "aria-valuemin": 1, "aria-valuemax": s.steps.length });
    this.title = h("h2", { class: "tour-title", id: "tour-step-title", tabindex: "-1" });
    this.say = h("p", { class: "tour-say", "data-tour-say": "" });
    this.actions = h("ul", { class: "tour-actions", "aria-label": "What this step sends" });
    this.check = h("ul", { class: "tour-check", "aria-label": "Messages this step should put in the ledger" });
    this.state = h("p", { class: "tour-state", role: "status", "aria-live": "polite", "data-tour-state": "idle" });
    this.again = h("button", { type: "button", class: "secondary", hidden: true, onclick: () => this.fire(true), title: "Send this step's messages once more" }, "Again ↻");
    this.back = h("button", { type: "button", class: "secondary", "data-tour-back": "", onclick: () => this.go(-1) }, "← Back");
    this.next = h("button", { type: "button", "data-tour-next": "", onclick: () => this.go(1) }, "Next →");
    this.panel = h("aside", { class: "tour-panel", "data-tour": style, role: "region", "aria-label": `Guided tour: ${s.title}` },
      h("div", { class: "tour-head" },
        h("p", { class: "tour-kicker" }, `Guided tour · ${s.style_name}`),
        h("button", { type: "button", class: "tour-close", "aria-label": "Leave the tour (Esc)", title: "Leave the tour (Esc)", onclick: () => this.leave() }, "✕")),
      this.counter, this.bar,
      // Only the step's text scrolls: Back and Next stay in sight on a short screen.
      h("div", { class: "tour-body" }, this.title, this.say, this.actions, this.check, this.state),
      h("div", { class: "tour-nav" }, this.back, this.again, this.next),
      h("p", { class: "tour-keys muted" }, "Keys: Enter or → next · ← back · Esc leave"));
    document.body.append(this.panel);
    document.body.classList.add("touring");
  }

  bindKeys() {
    this.offKeys = onKeys(LAYER.tour, {
      Escape: () => this.leave(),
      ArrowRight: () => this.go(1),
      ArrowLeft: () => this.go(-1),
      Enter: ({ target: t }) => {
        // Enter on another control (or on Back / Again) presses that control, not Next.
        const otherControl = t.closest?.("button, a, summary") && !this.panel.contains(t);
        if (otherControl || t === this.back || t === this.again) return false;
        this.go(1);
      },
    });
  }

  go(delta) {
    if (this.finished) return;
    const target = this.index + delta;
    if (target < 0) return;
    if (target >= this.script.steps.length) { this.finish(); return; }
    this.show(target);
  }

  show(index) {
    this.index = index;
    this.token += 1;
    const step = this.script.steps[index];
    const total = this.script.steps.length;
    this.panel.dataset.tourStep = String(index + 1);
    this.counter.textContent = `Step ${index + 1} of ${total}`;
    this.bar.setAttribute("aria-valuenow", index + 1);
    this.bar.style.setProperty("--done", `${((index + 1) / total) * 100}%`);
    this.title.textContent = step.title;
    this.say.textContent = step.say;
    this.back.disabled = index === 0;
    this.next.textContent = index === total - 1 ? "Finish ✓" : "Next →";
    this.actions.replaceChildren(...step.actions.map((a) => h("li", { class: "mono" }, `${a.method} ${a.path}`)));
    this.actions.hidden = !step.actions.length;
    this.check.replaceChildren();
    this.again.hidden = true;
    this.setState(step.actions.length ? "idle" : "none", step.actions.length ? "" : "Read, look at the stage, then press Next.");
    this.highlight(step.highlight);
    this.title.focus({ preventScroll: true });
    if (watching) {
      this.again.hidden = true;
      this.setState("none", step.actions.length ? "Your instructor sends this step's messages: watch them on the stage and in the live log." : "Read, look at the stage; your instructor moves the tour on.");
      return;
    }
    this.remember(index);
    if (step.actions.length && !this.fired.has(index)) this.fire(false);
    else if (step.actions.length) { this.again.hidden = false; this.setState("idle", "Already done — press “Again ↻” to send it once more."); }
  }

  highlight(selector) {
    document.querySelector(".tour-highlight")?.classList.remove("tour-highlight");
    const el = selector && document.querySelector(selector);
    if (!el) return;
    el.classList.add("tour-highlight");
    el.scrollIntoView({ block: "nearest", behavior: prefersReducedMotion() ? "auto" : "smooth" });
  }

  setState(state, text) {
    this.state.dataset.tourState = state;
    this.panel.dataset.tourVerified = state;
    this.state.textContent = text;
  }

  async fire(again) {
    const token = this.token;
    const step = this.script.steps[this.index];
    this.fired.add(this.index);
    this.setState("firing", "Sending…");
    const cursor = await lastLedgerId();
    const items = [...this.actions.children];
    for (const [i, action] of step.actions.entries()) {
      const answer = await call(action);
      if (token !== this.token) return;
      const detail = answer.ok ? "" : ` — ${answer.body?.detail || answer.body?.error || "no answer"}`;
      items[i].textContent = `${action.method} ${action.path} → ${answer.status || "unreachable"}${detail}`;
      items[i].dataset.status = answer.ok ? "ok" : "refused";
    }
    this.again.hidden = false;
    await this.watch(step.expect, cursor, token, step.wait_note);
    if (again) this.again.focus();
  }

  async watch(expect, cursor, token, waitNote) {
    const wanted = Object.entries(expect);
    const rows = new Map(wanted.map(([hop, n]) => {
      const li = h("li", { "data-hop": hop }, "");
      this.check.append(li);
      return [hop, { li, n }];
    }));
    const started = Date.now(), counts = {};
    const alive = () => token === this.token;
    let after = cursor, recorded = 0;
    while (alive()) {
      // Only what came since the last look: the ledger's writers commit in id order.
      const page = await countHopsAfter(after, counts, alive);
      if (!alive()) return;
      after = page.after;
      recorded += page.read;
      let met = true;
      for (const [hop, { li, n }] of rows) {
        const seen = counts[hop] || 0;
        li.textContent = `${seen >= n ? "✓" : "…"} ${hop}: ${Math.min(seen, n)} of ${n}`;
        li.dataset.met = String(seen >= n);
        met = met && seen >= n;
      }
      if (met) {
        this.recorded += recorded;
        this.setState("ok", `✓ ${recorded} message${recorded === 1 ? "" : "s"} recorded in the ledger — click one in the live log to inspect it. Press Next when ready.`);
        return;
      }
      const waited = Date.now() - started;
      if (waited > WAIT_LIMIT_MS) {
        this.setState("late", "Still not all there after a minute. The log shows what did happen; you can go on, or press “Again ↻”.");
        return;
      }
      this.setState("waiting", `${waitNote || "Waiting for the messages to be recorded…"} (${Math.round(waited / 1000)} s)`);
      await new Promise((r) => setTimeout(r, POLL_MS));
    }
  }

  async cleanup() {
    if (watching) return; // the instructor's tour puts the style back
    for (const action of this.script.cleanup || []) await call(action);
  }

  finish() {
    this.finished = true;
    this.token += 1;
    this.highlight("");
    this.cleanup();
    this.panel.dataset.tourDone = "true";
    this.panel.dataset.tourVerified = "done";
    this.counter.textContent = "Tour complete";
    this.bar.style.setProperty("--done", "100%");
    this.title.textContent = `✓ ${this.script.title}: done`;
    this.say.textContent = `You fired every step yourself: ${this.recorded} messages went into the ledger, and each one is in the live log. Keep playing with the buttons on this page, take another tour, or send one order through every style side by side.`;
    this.actions.hidden = true;
    this.check.replaceChildren();
    this.state.textContent = "";
    this.panel.querySelector(".tour-nav").replaceChildren(
      h("a", { class: "button secondary", href: "/tours/" }, "All tours"),
      h("a", { class: "button", href: "/compare/" }, "One order, six ways →"),
      h("button", { type: "button", class: "secondary", onclick: () => this.leave() }, "Close"));
    this.title.focus();
  }

  leave() {
    this.token += 1;
    if (!this.finished) this.cleanup();
    this.offKeys();
    this.highlight("");
    this.panel.remove();
    document.body.classList.remove("touring");
    this.remember(null);
  }
}

async function main() {
  const answer = await call({ method: "GET", path: `/api/tours/${encodeURIComponent(style)}` });
  if (!answer.ok) {
    document.body.append(h("aside", { class: "tour-panel", role: "alert", "data-tour": style },
      h("p", {}, `No guided tour here: ${answer.body?.detail || "it could not be loaded"}.`), h("a", { href: "/tours/" }, "See every tour")));
    return;
  }
  new Tour(answer.body);
}

if (style) main();
