// Ask vs stay connected: one side asks GET /api/streams/ticker every N seconds, the other shows
// what the WebSocket pushes. Both show the ACME price and how old it is right now.

import { every } from "../../clock.js";
import { formatMs } from "../../dom.js";

const SYMBOL = "ACME";

export function mountCompare(root, controls) {
  const side = (name) => root.querySelector(`[data-side="${name}"]`);
  const poll = { el: side("poll"), requests: 0, empty: 0, shown: null };
  const push = { el: side("stream"), pushed: 0, shown: null };
  const toggle = controls.querySelector("[data-poll-toggle]");
  const interval = controls.querySelector("[data-poll-interval]");
  let timer = null;

  const show = (s, frame) => {
    s.shown = frame;
    s.el.querySelector("[data-cmp-price]").textContent = `${SYMBOL} ${frame.data.price.toFixed(2)}`;
  };

  async function ask() {
    poll.requests += 1;
    poll.el.querySelector("[data-cmp-requests]").textContent = poll.requests;
    try {
      const answer = await (await fetch("/api/streams/ticker", { credentials: "same-origin" })).json();
      const frame = answer.prices?.[SYMBOL];
      if (!frame || frame.seq === poll.shown?.seq) {
        poll.empty += 1;
        poll.el.querySelector("[data-cmp-empty]").textContent = poll.empty;
      } else show(poll, frame);
    } catch { /* the next ask will tell */ }
  }

  // The asking side is a demo poller: like everything on the page that moves by itself, it stops
  // asking while the page is paused (clock.js), and so do the ages.
  function restart() {
    timer?.cancel();
    timer = every(Number(interval.value) * 1000, ask);
  }

  toggle.addEventListener("click", () => {
    const on = toggle.getAttribute("aria-pressed") !== "true";
    toggle.setAttribute("aria-pressed", String(on));
    toggle.textContent = on ? "Stop asking" : "Start asking";
    if (on) { ask(); restart(); } else timer?.cancel();
  });
  interval.addEventListener("change", () => toggle.getAttribute("aria-pressed") === "true" && restart());

  every(200, () => {
    for (const s of [poll, push]) {
      if (s.shown) s.el.querySelector("[data-cmp-age]").textContent = formatMs(Math.max(0, Date.now() - s.shown.t));
    }
  });

  return {
    pushed(events) {
      const mine = events.filter((e) => e.data.symbol === SYMBOL);
      if (!mine.length) return;
      push.pushed += mine.length;
      push.el.querySelector("[data-cmp-pushed]").textContent = push.pushed;
      show(push, mine[mine.length - 1]);
    },
  };
}
