// The page's one live connection to the ledger (/ws/feed/).
//
// The ledger is the truth; broadcasts are only a doorbell. The feed keeps the cursor (the last
// ledger id the server confirmed) and sends it whenever it (re)connects, so the server replays
// whatever this page missed: after a network blip, a sleeping laptop or a dropped broadcast, the
// page still sees every message exactly once, in order.

import { currentRoom } from "./room-state.js";
import { ReconnectingSocket } from "./socket.js";

// Acknowledgements only let the server send more (it keeps at most 2,000 messages in flight to a
// page), so one ack can cover many frames: once ACK_DELAY_MS after the first unacknowledged one,
// or at once past ACK_AT_ONCE messages. An ack per frame doubled the frames the web process
// handled for a room of 200 pages (bench/classroom.py: p95 from seconds to about 100 ms).
const ACK_DELAY_MS = 250;
const ACK_AT_ONCE = 500;
const STATE_TEXT = {
  connecting: "Connecting…",
  live: "Live",
  reconnecting: "Reconnecting…",
  offline: "Offline — will retry",
  refused: "Not connected",
};
// The server closes a socket it refuses after one error frame saying why; these are said on the page.
const REFUSALS = {
  unknown_room: () => `No room ${currentRoom()} — check the code`,
  too_many_guesses: () => "Too many wrong room codes from here — wait a minute, then check the code",
};

export class Feed {
  /**
   * filters: {style, kind, status, correlation_id, room}; backlog: how many recent messages to
   * show on first connect; count: ask for the number of matching messages.
   * onMessages(list, frame) is called with new messages in ledger order.
   */
  constructor({ filters = {}, backlog = 0, count = false, cursor = null, onMessages, onReset } = {}) {
    // In a room, a page follows that room's feed only (its messages, its speed and pause).
    this.filters = Object.fromEntries(Object.entries({ room: currentRoom(), ...filters }).filter(([, v]) => v));
    this.backlog = backlog;
    this.count = count;
    this.cursor = cursor;
    this.maxSeen = cursor ?? 0;
    this.onMessages = onMessages || (() => {});
    this.onReset = onReset || (() => {});
    this.stateEls = document.querySelectorAll("[data-feed-state]");
    this.socket = new ReconnectingSocket({
      url: () => this.url(),
      onFrame: (frame) => this.handle(frame),
      onLive: () => this.resume(),
      onState: (state, delay) => this.setState(state, delay),
    });
  }

  start() {
    this.socket.start();
    return this;
  }

  stop() {
    clearTimeout(this.ackTimer);
    this.socket.stop();
  }

  url() {
    const proto = location.protocol === "https:" ? "wss" : "ws";
    const query = new URLSearchParams(this.filters).toString();
    return `${proto}://${location.host}/ws/feed/${query ? "?" + query : ""}`;
  }

  /** The resume hook: on every (re)connect, ask for everything after the cursor. */
  resume() {
    clearTimeout(this.ackTimer); // a new connection starts with nothing in flight
    this.ackTimer = null;
    this.unacked = 0;
    const resume = { type: "resume", after: this.cursor, count: this.count && this.cursor === null };
    if (this.cursor === null) resume.backlog = this.backlog;
    this.expectBacklog = this.cursor === null;
    this.send(resume);
    // A room's events are not in the ledger: what came while this page was not connected is gone,
    // so room.js asks the room where the class is now.
    window.dispatchEvent(new CustomEvent("playground:feed-live", { detail: { first: this.expectBacklog } }));
  }

  handle(frame) {
    if (frame.type === "messages") {
      // The answer to a first connect holds recent history (the backlog), not news.
      frame.initial = Boolean(this.expectBacklog);
      this.expectBacklog = false;
      if (frame.reset) { this.maxSeen = 0; this.onReset(frame); }
      // Exactly once even if a frame were repeated: ids only ever grow.
      const fresh = frame.messages.filter((m) => m.id > this.maxSeen);
      if (fresh.length) this.maxSeen = fresh[fresh.length - 1].id;
      this.cursor = Math.max(this.cursor ?? 0, frame.cursor);
      if (fresh.length || frame.total !== undefined) this.onMessages(fresh, frame);
      if (frame.messages.length) this.ackLater(frame.cursor, frame.messages.length);
    } else if (frame.type === "room") {
      // The instructor changed the room's speed, pause, step or reset: room.js and the stages listen.
      window.dispatchEvent(new CustomEvent("playground:room-frame", { detail: frame }));
    } else if (frame.type === "error" && REFUSALS[frame.error]) {
      this.refusal = REFUSALS[frame.error]();
      window.dispatchEvent(new CustomEvent("playground:feed-refused", { detail: { ...frame, text: this.refusal } }));
    } else if (frame.type === "error") {
      console.warn("feed:", frame.error, frame.detail);
    }
  }

  ackLater(cursor, count) {
    this.ackCursor = cursor;
    this.unacked = (this.unacked || 0) + count;
    if (this.unacked >= ACK_AT_ONCE) this.ackNow();
    else if (!this.ackTimer) this.ackTimer = setTimeout(() => this.ackNow(), ACK_DELAY_MS);
  }

  ackNow() {
    clearTimeout(this.ackTimer);
    this.ackTimer = null;
    this.unacked = 0;
    this.send({ type: "ack", cursor: this.ackCursor });
  }

  send(frame) {
    return this.socket.send(frame);
  }

  setState(state, delay) {
    this.state = state;
    const said = state === "refused" && this.refusal;
    const text = said || STATE_TEXT[state] + (delay ? ` (in ${Math.ceil(delay / 1000)} s)` : "");
    for (const el of this.stateEls) {
      el.hidden = false; // hidden on pages that open no live connection
      el.dataset.feedState = state;
      el.textContent = text;
    }
  }
}
