// The request console: build a request (or pick an example), send it through the playground's
// HTTP client, and see the answer — status, headers, body, time — with a sequence diagram and the
// request as a curl command. Everything from the server is set as text.

import { formatMs, h, postJSON, statusBadge } from "../../dom.js";
import { drawSequence, noteLateAnswer } from "./sequence.js";

export const shortPath = (path) => path.replace(/^\/api\/shop/, "");

const EXPLAIN = {
  200: "OK: Shop found it and answered.",
  201: "Created: Shop placed the order; its address is in the Location header.",
  400: "Bad request: the question itself is malformed — Shop names the parameter at fault.",
  404: "Not found: there is no such thing. Nothing is broken; it just is not there.",
  405: "Method not allowed: this address does not take that method (the Allow header lists what it takes).",
  409: "Conflict: a valid request that is impossible right now — Shop says which moves are possible.",
  422: "Unprocessable: the JSON parsed, but it breaks the contract — Shop names the field.",
  429: "Too many requests: this client asked too often. Wait the Retry-After seconds, then ask again.",
  500: "Server error: Shop failed. The client did nothing wrong; asking again later may work.",
  503: "Unavailable: Shop is down for everyone who calls it.",
};

export function explain(x, timeout) {
  if (x.failure === "timeout") return `Timeout: no answer within ${timeout} s, so the client gave up. Shop may still have done the work — retry only if that is safe (an Idempotency-Key makes a retried POST safe).`;
  if (x.failure === "refused") return "Connection refused: nothing is listening at Shop's address. No HTTP was spoken at all, so there is no status code.";
  return EXPLAIN[x.status] || `${x.status} ${x.reason}`;
}

const quote = (text) => `'${String(text).replaceAll("'", `'\\''`)}'`;

function asCurl({ method, path, headers, body }, origin = location.origin) {
  const parts = ["curl -i", `-X ${method}`, quote(origin + path)];
  for (const [name, value] of Object.entries(headers)) parts.push(`-H ${quote(`${name}: ${value}`)}`);
  if (body) parts.push(`-H ${quote("Content-Type: application/json")}`, `--data-raw ${quote(body)}`);
  return parts.join(" \\\n  ");
}

function pretty(value) {
  return typeof value === "string" ? value : JSON.stringify(value, null, 2);
}

export class Console {
  constructor(root) {
    this.root = root;
    this.timeout = Number(root.dataset.clientTimeout);
    this.clientId = `console-${Math.random().toString(16).slice(2, 10)}`;
    this.repeat = 1;
    this.late = new Set(); // exchanges Shop finished after the client left (may arrive before the answer)
    const $ = (sel) => root.querySelector(sel);
    this.el = {
      form: $("[data-console-form]"), method: $("[data-console-method]"), path: $("[data-console-path]"),
      headers: $("[data-console-headers]"), body: $("[data-console-body]"), send: $("[data-console-send]"),
      status: $("[data-console-status]"), repeatNote: $("[data-console-repeat-note]"), curl: $("[data-console-curl-text]"),
      result: $("[data-console-result]"), empty: $("[data-console-empty]"), line: $("[data-console-status-line]"),
      explain: $("[data-console-explain]"), body_: $("[data-console-response-body]"),
      respHeaders: $("[data-console-response-headers]"), sequence: $("[data-console-sequence]"),
    };
    for (const b of root.querySelectorAll("[data-example]")) b.addEventListener("click", () => this.useExample(b));
    this.el.form.addEventListener("submit", (e) => { e.preventDefault(); this.send(); });
    $("[data-console-curl]").addEventListener("click", () => this.copyCurl());
    for (const field of [this.el.method, this.el.path, this.el.body]) field.addEventListener("input", () => this.setRepeat(1));
  }

  useExample(button) {
    const { method, path, body, repeat } = button.dataset;
    Object.assign(this.el.method, { value: method });
    this.el.path.value = path;
    this.el.body.value = body;
    this.setRepeat(Number(repeat) || 1);
    this.send();
  }

  setRepeat(n) {
    this.repeat = n;
    this.el.repeatNote.hidden = n === 1;
    this.el.repeatNote.textContent = `sends it ${n} times in a row`;
    this.el.send.textContent = n === 1 ? "Send request" : `Send ${n} requests`;
  }

  headers() {
    const headers = {};
    for (const line of this.el.headers.value.split("\n").map((l) => l.trim()).filter(Boolean)) {
      const i = line.indexOf(":");
      if (i < 1) throw new Error(`“${line}” is not a header: write it as Name: value`);
      headers[line.slice(0, i).trim()] = line.slice(i + 1).trim();
    }
    return headers;
  }

  request() {
    return { method: this.el.method.value, path: this.el.path.value.trim(), headers: this.headers(),
             body: this.el.body.value.trim(), repeat: this.repeat, client_id: this.clientId };
  }

  async send() {
    let request;
    try { request = this.request(); } catch (error) { this.say(error.message, "error"); return; }
    this.el.send.disabled = true;
    this.say(this.repeat > 1 ? `Sending ${this.repeat} requests…` : "Sending…");
    try {
      const { ok, status, body } = await postJSON("/api/api/console", request);
      if (ok) this.show(body);
      else this.say(`The console refused it (${status}): ${body.detail}`, "error");
    } catch (error) {
      this.say(`The playground cannot be reached: ${error.message}`, "error");
    } finally {
      this.el.send.disabled = false;
    }
  }

  say(text, kind = "ok") {
    this.el.status.textContent = text;
    this.el.status.dataset.kind = kind;
  }

  show(result) {
    // In a burst the lesson is the first answer that refused (the 429 and its Retry-After), not
    // the last one, which a bucket that refilled meanwhile may have let through again.
    const all = result.exchanges;
    const refused = all.length > 1 ? all.findIndex((e) => e.failure || e.status >= 400) : -1;
    const at = refused >= 0 ? refused : all.length - 1, x = all[at];
    this.last = result;
    this.el.empty.hidden = true;
    this.el.result.hidden = false;
    const word = x.failure ? (x.failure === "timeout" ? "timeout" : "connection refused") : `${x.status} ${x.reason}`;
    const kind = x.failure || x.status >= 400 ? "error" : "ok";
    const summary = Object.entries(result.summary).map(([k, n]) => `${n} × ${k}`).join(", ");
    const shown = refused >= 0 ? "the first refused" : "the last";
    this.el.line.replaceChildren(statusBadge(kind, word), ` ${x.method} ${x.path} · ${formatMs(x.duration_ms)}`,
      all.length > 1 ? h("span", { class: "muted" }, ` · all ${all.length}: ${summary} · below: answer ${at + 1} of ${all.length}, ${shown}`) : "");
    this.el.line.dataset.status = x.status ?? x.failure;
    this.el.explain.textContent = explain(x, this.timeout);
    this.el.body_.textContent = x.failure ? `(no response: ${x.detail})` : pretty(x.body);
    this.el.respHeaders.textContent = x.failure ? "(none)" : Object.entries(x.response_headers).map(([k, v]) => `${k}: ${v}`).join("\n");
    drawSequence(this.el.sequence, all, { timeout: this.timeout });
    if (all.some((e) => this.late.has(e.correlation_id))) noteLateAnswer(this.el.sequence);
    this.say(all.length > 1 ? `Done: ${summary}.` : "Done — the answer is below.");
  }

  onMessages(messages) {
    for (const m of messages) if (m.hop === "abandoned") this.late.add(m.correlation_id);
    if (this.late.size > 200) this.late = new Set([...this.late].slice(-100));
    const mine = new Set((this.last?.exchanges || []).map((x) => x.correlation_id));
    if (messages.some((m) => m.hop === "abandoned" && mine.has(m.correlation_id))) noteLateAnswer(this.el.sequence);
  }

  copyCurl() {
    let request;
    try { request = this.request(); } catch (error) { this.say(error.message, "error"); return; }
    const text = asCurl({ ...request, headers: { "X-Client-Id": request.client_id, ...request.headers } });
    this.el.curl.textContent = text;
    this.el.curl.hidden = false;
    const copied = navigator.clipboard?.writeText(text);
    if (copied) copied.then(() => this.say("Copied as curl (also shown below)."), () => this.say("Shown below: select it to copy."));
    else this.say("Shown below: select it to copy.");
  }
}
