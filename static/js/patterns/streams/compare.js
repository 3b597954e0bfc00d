// Ask vs stay connected: one side asks GET /api/streams/ticker every N seconds, the other shows
// what the WebSocket pushes. Both show the ACME price and how old it is right now.

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

  function restart() {
    clearInterval(timer);
    timer = setInterval(ask, Number(interval.value) * 1000);
  }

  toggle.addEventListener("click", () => {
    const on = toggle.getAttribute("aria-pressed") !== "true";
    toggle.setAttribute("aria-pressed", String(on));
    toggle.textContent = on ? "Stop asking" : "Start asking";
    if (on) { ask(); restart(); } else clearInterval(timer);
  });
  interval.addEventListener("change", () => toggle.getAttribute("aria-pressed") === "true" && restart());

  setInterval(() => {
    for (const s of [poll, push]) {
      if (s.shown) s.el.querySelector("[data-cmp-age]").textContent = formatMs(Math.max(0, Date.now() - s.shown.t));
    }
  }, 200);

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
