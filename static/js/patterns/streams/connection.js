// The page's stream connection (/ws/streams/): one WebSocket carrying the ticker, the chat and the match.
//
// The page keeps, per stream, the last sequence number it has seen and sends it whenever it
// (re)connects, so the server replays what it missed: chat and match with no gap and no
// duplicate, the ticker skipping to the latest prices (the server says how many). Frames that
// arrive between two animation frames are handed to the page together, so 200 messages a second
// cost one render a frame. Every events frame is acknowledged: that is the server's flow control.
// Reconnecting, the heartbeat and sleeping are the shared ReconnectingSocket's (../../socket.js).

import { currentRoom } from "../../room-state.js";
import { ReconnectingSocket } from "../../socket.js";

const STREAMS = ["ticker", "chat", "match"];
const STATE_TEXT = {
  connecting: "Connecting…", live: "Connected — messages are pushed", reconnecting: "Reconnecting…",
  sleeping: "Asleep (no connection)", offline: "Offline — will retry",
  refused: "Not connected — the server refused this page; reload it",
};

export class StreamConnection {
  constructor({ onEvents, onSkipped, onState, onFrame } = {}) {
    this.cursor = Object.fromEntries(STREAMS.map((s) => [s, null]));
    this.stats = Object.fromEntries(STREAMS.map((s) => [s, { live: 0, replayed: 0, skipped: 0, gaps: 0, duplicates: 0 }]));
    this.onEvents = onEvents || (() => {});
    this.onSkipped = onSkipped || (() => {});
    this.onState = onState || (() => {});
    this.onFrame = onFrame || (() => {});
    this.queue = [];
    this.latencies = [];
    this.arrivals = [];
    this.viewers = null;
    // The server greets first ("welcome"): the connection is live, and resumes, from then on.
    this.socket = new ReconnectingSocket({
      // In a room, the page watches (and chats in) that room's streams; else the shared demo's.
      url: () => {
        const room = currentRoom();
        const query = room ? `?room=${encodeURIComponent(room)}` : "";
        return `${location.protocol === "https:" ? "wss" : "ws"}://${location.host}/ws/streams/${query}`;
      },
      welcome: true,
      onFrame: (frame) => this.handle(frame),
      onLive: () => this.subscribe(),
      onState: (state, delay) => this.setState(state, delay),
    });
  }

  start() { this.socket.start(); return this; }

  subscribe() {
    const streams = {};
    for (const s of STREAMS) streams[s] = { after: this.cursor[s], replay: s === "ticker" ? "latest" : "all" };
    this.resumedFrom = this.everConnected ? { ...this.cursor } : null;
    this.everConnected = true;
    this.send({ type: "subscribe", streams });
  }

  handle(frame) {
    if (frame.type === "welcome") {
      this.viewers = frame.viewers;
      this.socket.live();
    } else if (frame.type === "events") {
      this.receive(frame);
    } else if (frame.type === "skipped") {
      this.cursor[frame.stream] = frame.resume_at - 1;
      this.stats[frame.stream].skipped += frame.count;
      this.onSkipped(frame, this.resumedFrom !== null);
    } else if (frame.type === "presence" || frame.type === "pong") {
      this.viewers = frame.viewers;
    }
    this.onFrame(frame);
  }

  receive(frame) {
    const { stream } = frame;
    const stats = this.stats[stream];
    const fresh = [];
    for (const event of frame.events) {
      const last = this.cursor[stream];
      if (last !== null && event.seq <= last) { stats.duplicates += 1; continue; }
      if (last !== null && event.seq > last + 1) stats.gaps += 1;
      this.cursor[stream] = event.seq;
      fresh.push(event);
    }
    this.send({ type: "ack", stream, seq: frame.events[frame.events.length - 1].seq });
    const now = Date.now();
    if (frame.replay) stats.replayed += fresh.length;
    else {
      stats.live += fresh.length;
      for (const e of fresh) { this.latencies.push(now - e.t); this.arrivals.push(now); }
      if (this.latencies.length > 200) this.latencies.splice(0, this.latencies.length - 200);
    }
    if (!fresh.length) return;
    if (!this.queue.length) requestAnimationFrame(() => this.flush());
    this.queue.push({ stream, events: fresh, replay: frame.replay });
  }

  flush() {
    const batches = this.queue.splice(0);
    this.onEvents(batches);
  }

  /** Messages received live in the last second. */
  rate() {
    const since = Date.now() - 1000;
    while (this.arrivals.length && this.arrivals[0] < since) this.arrivals.shift();
    return this.arrivals.length;
  }

  medianLatency() {
    if (!this.latencies.length) return null;
    const sorted = [...this.latencies].sort((a, b) => a - b);
    return Math.max(0, sorted[Math.floor(sorted.length / 2)]);
  }

  send(frame) {
    return this.socket.send(frame);
  }

  drop() { this.socket.drop(); }

  /** As if the laptop lid closed: no connection for `seconds`, then resume. */
  sleep(seconds) { this.socket.sleep(seconds); }

  setState(state, delay) {
    this.state = state;
    this.onState(state, STATE_TEXT[state] + (delay ? ` (in ${(delay / 1000).toFixed(1)} s)` : ""));
  }
}
