// The page's one clock: whether the page is paused and how fast it plays (1× to 0.1×).
//
// The stage's Pause and speed buttons set it, and so does the room (room.js), so an instructor's
// pause freezes every screen, pages without a stage included. Anything that
// moves by itself — a pulse, a countdown, a needle, a chart that polls — schedules through
// after() and every() here, never through setTimeout/setInterval, so it stops while paused and,
// where it is an animation (`scaled`), plays slower in slow motion. What the ledger brings still
// arrives while paused (the live log keeps filling, and the panels a new message refreshes are
// refreshed); only what moves on its own stands still. Network timers (reconnects, heartbeats,
// acks) and the health checks are not animations and stay on real time.

const state = { paused: false, speed: 1 };
const listeners = new Set();
const timers = new Set();

class Timer {
  constructor(ms, fn, { repeat = false, scaled = false } = {}) {
    Object.assign(this, { ms, fn, repeat, scaled, left: ms, id: null });
    timers.add(this);
    this.arm();
  }

  rate() {
    return this.scaled ? state.speed : 1;
  }

  arm() {
    if (state.paused || this.id !== null || !timers.has(this)) return;
    this.armedAt = performance.now();
    this.armedRate = this.rate();
    this.id = setTimeout(() => this.fire(), Math.max(0, this.left / this.armedRate));
  }

  /** Stop the real timeout, keeping how much page time is left. */
  disarm() {
    if (this.id === null) return;
    clearTimeout(this.id);
    this.id = null;
    this.left = Math.max(0, this.left - (performance.now() - this.armedAt) * this.armedRate);
  }

  fire() {
    this.id = null;
    if (this.repeat) { this.left = this.ms; this.arm(); } else timers.delete(this);
    this.fn();
  }

  cancel() {
    this.disarm();
    timers.delete(this);
  }
}

/** Run fn once after `ms` of page time (none passes while paused; with `scaled`, slow motion stretches it). */
export function after(ms, fn, options = {}) {
  return new Timer(ms, fn, options);
}

/** Run fn every `ms` of page time: never while paused. */
export function every(ms, fn, options = {}) {
  return new Timer(ms, fn, { ...options, repeat: true });
}

export const clock = {
  get paused() { return state.paused; },
  get speed() { return state.speed; },

  /** Change pause and/or speed: {paused?, speed?}. Timers keep the page time they had left. */
  set({ paused, speed } = {}) {
    const next = {
      paused: typeof paused === "boolean" ? paused : state.paused,
      speed: typeof speed === "number" && speed > 0 ? speed : state.speed,
    };
    if (next.paused === state.paused && next.speed === state.speed) return;
    for (const timer of timers) timer.disarm();
    Object.assign(state, next);
    for (const timer of timers) timer.arm();
    for (const listener of listeners) listener({ ...state });
  },

  /** listener({paused, speed}) after every change. */
  onChange(listener) {
    listeners.add(listener);
    return () => listeners.delete(listener);
  },
};
