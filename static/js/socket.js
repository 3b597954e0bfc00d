// One WebSocket that comes back by itself: the page's feed (feed.js) and the streams page's
// connection (patterns/streams/connection.js) both ride on it.
//
// It reconnects with jittered back-off, sends a heartbeat and treats a connection that has said
// nothing for DEAD_AFTER_MS as dead even if the browser has not noticed, reconnects at once when
// the network or the tab comes back, and calls the owner's resume hook (`onLive`) every time it is
// live again, so the owner can ask the server for what it missed. These are network timers: they
// run on real time, whatever the page's pause (clock.js).

export const BACKOFF_MS = [500, 1000, 2000, 4000, 8000, 15000];
export const HEARTBEAT_MS = 15000;
// No frame at all for this long (a heartbeat's answer included): the connection is dead. One
// heartbeat plus ten seconds for its answer; both sockets used to disagree (25 s and 30 s).
export const DEAD_AFTER_MS = HEARTBEAT_MS + 10000;
const OFFLINE_AFTER = 3; // failed attempts before the page says "offline" rather than "reconnecting"
// The error frames the server sends just before it closes with 4400–4499 (rooms/sockets.py, the
// feed's filters): from that frame on, the socket is refused, whatever else happens meanwhile.
const REFUSALS = new Set(["unknown_room", "too_many_guesses", "bad_filter"]);

export class ReconnectingSocket {
  /**
   * url() -> the address to (re)connect to; onFrame(frame) for every parsed frame;
   * onLive() once live again (the resume hook); onState(state, delayMs) with state one of
   * connecting, live, reconnecting, offline, sleeping, refused (never retried). With `welcome`, the socket is live only
   * when the owner calls live() (the server greets first); otherwise as soon as it opens.
   */
  constructor({ url, onFrame, onLive, onState, welcome = false } = {}) {
    this.url = url;
    this.onFrame = onFrame || (() => {});
    this.onLive = onLive || (() => {});
    this.onState = onState || (() => {});
    this.welcome = welcome;
    this.attempt = 0;
    this.stopped = true;
    this.sleepingUntil = null;
    window.addEventListener("online", () => this.reconnectNow());
    document.addEventListener("visibilitychange", () => {
      if (document.visibilityState === "visible") this.reconnectNow();
    });
  }

  start() {
    this.stopped = false;
    this.connect();
    return this;
  }

  stop() {
    this.stopped = true;
    clearTimeout(this.retryTimer);
    clearInterval(this.heartbeat);
    this.ws?.close();
  }

  connect() {
    clearTimeout(this.retryTimer);
    this.setState(this.attempt ? "reconnecting" : "connecting");
    const ws = (this.ws = new WebSocket(this.url()));
    ws.onopen = () => { if (!this.welcome) this.live(); };
    ws.onmessage = (event) => {
      this.lastFrameAt = Date.now();
      const frame = JSON.parse(event.data);
      if (frame.type === "error" && REFUSALS.has(frame.error)) this.refused = true;
      this.onFrame(frame);
    };
    ws.onclose = (event) => {
      if (ws !== this.ws) return;
      clearInterval(this.heartbeat);
      if (this.stopped || this.sleepingUntil) return;
      // 4400–4499: the server refused this address (an unknown room, a bad filter); asking again
      // would be refused again. The owner has had the error frame that says why.
      if (this.refused || (event.code >= 4400 && event.code < 4500)) {
        this.stopped = true;
        this.setState("refused");
        return;
      }
      this.scheduleReconnect();
    };
  }

  /** The connection is usable: reset the back-off, say so, let the owner resume, keep it alive. */
  live() {
    this.attempt = 0;
    this.setState("live");
    this.onLive();
    this.startHeartbeat();
  }

  send(frame) {
    if (this.ws?.readyState === WebSocket.OPEN) { this.ws.send(JSON.stringify(frame)); return true; }
    return false;
  }

  startHeartbeat() {
    clearInterval(this.heartbeat);
    const ws = this.ws;
    this.lastFrameAt = Date.now();
    this.heartbeat = setInterval(() => {
      if (Date.now() - this.lastFrameAt > DEAD_AFTER_MS) { ws.close(); return; }
      this.send({ type: "sync" });
    }, HEARTBEAT_MS);
  }

  /** Drop the connection on purpose (the "drop my connection" demos); it comes back by itself. */
  drop() {
    this.ws?.close(4000, "dropped on purpose");
  }

  /** As if the laptop lid closed: no connection for `seconds`, then resume. */
  sleep(seconds) {
    this.sleepingUntil = Date.now() + seconds * 1000;
    clearTimeout(this.retryTimer);
    this.ws?.close(4001, "asleep");
    this.setState("sleeping");
    this.retryTimer = setTimeout(() => { this.sleepingUntil = null; this.connect(); }, seconds * 1000);
  }

  scheduleReconnect() {
    const base = BACKOFF_MS[Math.min(this.attempt, BACKOFF_MS.length - 1)];
    const delay = base / 2 + Math.random() * base / 2; // jitter: a room of laptops does not reconnect in step
    this.attempt += 1;
    this.setState(this.attempt > OFFLINE_AFTER ? "offline" : "reconnecting", delay);
    this.retryTimer = setTimeout(() => this.connect(), delay);
  }

  /** The network or the tab is back: reconnect at once, unless a socket is open or opening, or the
   * server refused this address (its error frame comes before the close, which may still be on
   * its way: a socket still closing is no longer live, but a refused one must not come back). */
  reconnectNow() {
    if (this.stopped || this.refused || this.sleepingUntil) return;
    if (this.ws && this.ws.readyState <= WebSocket.OPEN) return;
    this.connect();
  }

  setState(state, delay) {
    this.state = state;
    this.onState(state, delay);
  }
}
