// The tours index: each card counts the messages its style records while the page is open,
// so a class sees the playground is alive before starting a tour.

import { Feed } from "../feed.js";

const seen = {};
new Feed({
  onMessages(messages, frame) {
    if (frame.initial) return;
    for (const m of messages) seen[m.style] = (seen[m.style] || 0) + 1;
    for (const [style, n] of Object.entries(seen)) {
      const el = document.querySelector(`[data-tour-card="${style}"] [data-live-count]`);
      if (el) el.textContent = `${n} message${n === 1 ? "" : "s"} since you opened this page`;
    }
  },
}).start();
