// The story clock on the page: the server says what story time it is and how fast it runs; the
// page moves the needle itself between syncs (no request per tick). While the page is paused
// (clock.js) the needle and the time stand still; they catch up with the server's clock on play.

import { clock, every } from "../../clock.js";

const DAY = 24 * 3600;
const two = (n) => String(n).padStart(2, "0");

export function label(story) {
  const s = Math.floor(story % DAY);
  return `Day ${Math.floor(story / DAY) + 1} · ${two(Math.floor(s / 3600))}:${two(Math.floor((s % 3600) / 60))}`;
}

function nextEvent(story, lateDay) {
  const day = Math.floor(story / DAY) + 1, t = story % DAY;
  const events = [];
  for (const d of [day, day + 1]) {
    events.push({ at: (d - 1) * DAY + (d === lateDay ? 10 : 0) * 3600, what: d === lateDay ? "Shop's export (late tonight: 10:00)" : "Shop's export" });
    events.push({ at: (d - 1) * DAY + 8 * 3600, what: "Accounting's pickup" });
  }
  return events.filter((e) => e.at > story).sort((a, b) => a.at - b.at)[0];
}

export function startClock(root) {
  const time = root.querySelector("[data-files-time]");
  const needle = root.querySelector("[data-files-needle]");
  const next = root.querySelector("[data-files-next]");
  const running = root.querySelector("[data-files-running]");
  const late = root.querySelector("[data-files-late]");
  const toggle = document.querySelector("[data-files-clock-toggle]");
  let state = { story: Number(root.dataset.story), scale: Number(root.dataset.scale), running: root.dataset.running === "true", lateDay: null, at: performance.now() };

  function now() {
    return state.running ? state.story + ((performance.now() - state.at) / 1000) * state.scale : state.story;
  }

  function draw() {
    const story = now();
    time.textContent = label(story);
    needle.style.left = `${((story % DAY) / DAY) * 100}%`;
    const day = Math.floor(story / DAY) + 1;
    late.hidden = state.lateDay !== day && state.lateDay !== day + 1;
    const e = nextEvent(story, state.lateDay);
    const inReal = (e.at - story) / state.scale;
    next.textContent = state.running
      ? `Next: ${e.what} at ${label(e.at)} — in ${inReal < 1 ? "under a second" : `${Math.round(inReal)} real seconds`}.`
      : "The clock is paused: nothing happens on schedule. Use the buttons, or start the clock.";
  }

  function sync(c) {
    state = { story: c.story_seconds, scale: c.scale, running: c.running, lateDay: c.late_day, at: performance.now() };
    running.textContent = c.running ? "running" : "paused";
    running.className = `status ${c.running ? "status-ok" : "status-pending"}`;
    toggle.setAttribute("aria-pressed", String(c.running));
    toggle.textContent = c.running ? "Pause the story clock" : "Start the story clock";
    if (!clock.paused) draw();
  }

  every(250, draw);
  draw();
  return { sync };
}
