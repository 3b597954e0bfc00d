// The words under the stage: what is moving now, how busy the fast streams are, and whether the
// page has lost its live connection.
//
// The caption is one polite live region. Its first line tells the message that just moved (left,
// stepped or arrived); a stream of many messages a second would bury everything else there, so
// once a route runs faster than FAST_PER_S its messages only feed a one-line summary ("Ticker: 20
// prices/s"), refreshed once a second, and the first line stays free for the rest.

import { every } from "./clock.js";

const FAST_PER_S = 4;
const WINDOW_MS = 2000;

/** "never arrived: never arrived: refused" -> "never arrived: refused" (a prefix said twice). */
export const once = (text) => String(text).replace(/(\b[^.:]{4,60}: )\1+/g, "$1");

export class Caption {
  constructor(root, label) {
    this.el = root.querySelector("[data-stage-caption]");
    this.now = this.el?.querySelector("[data-caption-now]") || this.el;
    this.ratesEl = this.el?.querySelector("[data-caption-rates]");
    this.label = label;
    this.seen = new Map(); // route key -> {times: [ms…], from, to, noun}
    every(1000, () => this.showRates());
  }

  say(text) {
    if (this.now && this.now.textContent !== text) this.now.textContent = once(text);
  }

  /** Count a message on its route; true if that route is now a fast stream (summarised only). */
  count(r, msg) {
    const key = `${r.from}>${r.to}:${msg.kind}`;
    const now = performance.now();
    let entry = this.seen.get(key);
    if (!entry) this.seen.set(key, (entry = { times: [], from: r.from, to: r.to, noun: r.many }));
    entry.times.push(now);
    while (entry.times.length && entry.times[0] < now - WINDOW_MS) entry.times.shift();
    return entry.times.length / (WINDOW_MS / 1000) > FAST_PER_S;
  }

  showRates() {
    if (!this.ratesEl) return;
    const now = performance.now(), parts = [];
    for (const [key, entry] of this.seen) {
      while (entry.times.length && entry.times[0] < now - WINDOW_MS) entry.times.shift();
      if (!entry.times.length) { this.seen.delete(key); continue; }
      const rate = Math.round(entry.times.length / (WINDOW_MS / 1000));
      if (rate <= FAST_PER_S) continue;
      parts.push(entry.noun ? `${this.label(entry.from)}: ${rate} ${entry.noun}/s`
        : `${this.label(entry.from)} → ${this.label(entry.to)}: ${rate} messages/s`);
    }
    const text = parts.join(" · ");
    if (this.ratesEl.textContent !== text) this.ratesEl.textContent = text;
  }
}

const LOST = {
  reconnecting: "Connection lost — reconnecting… Messages sent meanwhile will arrive when it is back.",
  offline: "Connection lost — it will retry by itself. Messages sent meanwhile will arrive when it is back.",
};

/** Show the page's lost live connection on the stage itself (feed.js reports it in the header). */
export function watchConnection(root) {
  const badge = document.querySelector("[data-feed-state]");
  const overlay = root.querySelector("[data-stage-offline]");
  if (!badge || !overlay) return;
  let wasLive = false;
  const show = () => {
    const state = badge.dataset.feedState;
    if (state === "live") wasLive = true;
    const lost = wasLive && LOST[state];
    overlay.hidden = !lost;
    if (lost) overlay.textContent = lost;
    root.dataset.connection = lost ? "lost" : state;
  };
  new MutationObserver(show).observe(badge, { attributes: true, attributeFilter: ["data-feed-state"] });
  show();
}
