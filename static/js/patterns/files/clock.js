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

/** Where a late night stands: what happens next, when (story seconds), or null once it is over. */
function latePhase(story, lateDay) {
  const base = (lateDay - 1) * DAY;
  const phases = [
    { until: base, say: `Day ${lateDay}'s export is late tonight: midnight passes with no file` },
    { until: base + 8 * 3600, say: "The file is late: Accounting looks at 08:00 and finds nothing…" },
    { until: base + 10 * 3600, say: "Accounting found nothing at 08:00 and said so. Shop's late file arrives at 10:00…" },
    { until: base + DAY + 8 * 3600, say: `The late file waits in the inbox since 10:00. Day ${lateDay + 1}'s 08:00 pickup catches up…` },
  ];
  return phases.find((p) => story < p.until) || null;
}

/** The late-file demo takes a story night (a minute or two): its countdown and progress, so
 *  something moves while the class waits for 08:00. */
function lateWatch(box) {
  if (!box) return () => {};
  const phase = box.querySelector("[data-files-late-phase]");
  const countdown = box.querySelector("[data-files-late-countdown]");
  const bar = box.querySelector("[data-files-late-progress]");
  let from = null; // story time when this page first saw the late night
  return (story, state) => {
    const now = state.lateDay ? latePhase(story, state.lateDay) : null;
    box.hidden = !now;
    if (!now) { from = null; return; }
    const end = (state.lateDay - 1) * DAY + DAY + 8 * 3600;
    if (from === null || from > story) from = story;
    if (phase.textContent !== now.say) phase.textContent = now.say;
    const inReal = Math.max(0, (now.until - story) / state.scale);
    countdown.textContent = state.running
      ? `${label(now.until)} — in ${inReal < 1 ? "under a second" : `${Math.ceil(inReal)} s`}.`
      : "The story clock is paused: start it to watch the night go by.";
    bar.value = Math.round(((story - from) / Math.max(1, end - from)) * 100);
  };
}

export function startClock(root) {
  const time = root.querySelector("[data-files-time]");
  const needle = root.querySelector("[data-files-needle]");
  const next = root.querySelector("[data-files-next]");
  const running = root.querySelector("[data-files-running]");
  const late = root.querySelector("[data-files-late]");
  const toggle = document.querySelector("[data-files-clock-toggle]");
  const watchLate = lateWatch(document.querySelector("[data-files-late-watch]"));
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
    watchLate(story, state);
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
