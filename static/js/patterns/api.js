// Request/response: callers (your console, the poller, other apps) ask Shop's API; every dot is
// a real HTTP request or response recorded in the ledger. This file declares the stage and wires
// the buttons; the console, its sequence diagram and the poller live in ./api/.

import { formatMs, postJSON } from "../dom.js";
import { mountStylePage, reportStatus } from "../stylepage.js";
import { Console, shortPath } from "./api/console.js";
import { Poller } from "./api/poller.js";

const WHO = { client: "Your console", poller: "The poller", app: "Another app" };

/** A path as people read it: %3A back to ":" (shown as text, never as HTML). */
function readable(path) {
  try { return decodeURIComponent(path); } catch { return path; }
}

function describe(m) {
  const who = WHO[m.source] || WHO[m.target] || m.source;
  const h = m.headers || {};
  switch (m.hop) {
    case "request":
      if (neverArrived(m)) return `${who} tried to reach Shop, but it never arrived: ${m.error.replace(/^never arrived: /, "")}.`;
      return `${who} asked Shop: ${h[":method"] || ""} ${readable(h[":path"] || "")}` + (m.valid === false ? ` — but the body breaks the contract (${m.error.replace(/^contract [^:]+: /, "")}).` : ".");
    case "response":
      return `Shop answered ${m.status_code} in ${formatMs(m.duration_ms)}` + (m.status_code >= 400 ? `: ${m.payload?.detail || m.error || "an error"}.` : ".");
    case "timeout": return `No answer within the time limit: ${who.toLowerCase()} gave up (a timeout).`;
    case "refused": return "Connection refused: nothing is listening at Shop's address.";
    case "abandoned": return "Shop finished too late: the client had already hung up, so the answer was never sent.";
    default: return `${m.source} → ${m.target}: ${m.hop}`;
  }
}

/** A request the client sent that Shop never got (Shop is off): it stops at Shop's door. */
const neverArrived = (m) => m.hop === "request" && m.status === "error" && m.valid !== false;

/** Only what travelled is drawn as travelling: a refused request stops at Shop's edge (and the
 *  "refused" hop is its sentence, not a second dot); a timeout or an answer never sent stops at
 *  the caller's edge — nothing reached it. */
function route(m) {
  if (m.hop === "refused") return null;
  const nothingCame = m.hop === "timeout" || m.hop === "abandoned";
  return { from: m.source, to: m.target, label: label(m), reached: !neverArrived(m) && !nothingCame };
}

function label(m) {
  const h = m.headers || {};
  if (m.hop === "request") return `${h[":method"] || ""} ${shortPath(h[":path"] || "")}`;
  if (m.hop === "response") return String(m.status_code || "");
  return m.hop === "abandoned" ? "gave up" : m.hop;
}

const SHORT = { client: "Console", poller: "Poller", app: "An app" };

function logLine(m) {
  const h = m.headers || {};
  const who = SHORT[m.source === "shop" ? m.target : m.source] || m.source;
  if (m.hop === "request") return `${who} asks ${h[":method"] || ""} ${readable(shortPath(h[":path"] || ""))}`;
  if (m.hop === "response") return `Shop answers ${who.toLowerCase()}: ${m.status_code}`;
  if (m.hop === "timeout") return `${who} gave up waiting`;
  if (m.hop === "refused") return `${who}: connection refused`;
  if (m.hop === "abandoned") return "Shop's late answer, never sent";
  return `${m.hop} · ${who}`;
}

const page = mountStylePage({
  style: "api",
  nodes: [
    { id: "app", label: "Other apps", sub: "scripts, dashboards", x: 170, y: 62 },
    { id: "client", label: "Your console", sub: "this page's client", x: 170, y: 170 },
    { id: "poller", label: "Poller", sub: "asks on a timer", x: 170, y: 278 },
    { id: "shop", label: "Shop's API", sub: "/api/shop/", x: 820, y: 170 },
  ],
  edges: [
    { from: "app", to: "shop", label: "HTTP" },
    { from: "client", to: "shop", label: "HTTP" },
    { from: "poller", to: "shop", label: "HTTP" },
  ],
  route,
  describe,
  logDescribe: logLine,
  onMessages: (messages) => {
    consoleView.onMessages(messages);
    if (messages.some((m) => m.source === "poller" || m.target === "poller")) poller.refreshSoon();
  },
});

const consoleView = new Console(document.querySelector("[data-console]"));
const poller = new Poller(document.querySelector("[data-poller]"));

// Shop's failure switches: a badge with a word and a shape, and the pressed button.
const MODE_LOOK = { healthy: ["ok", "healthy"], slow: ["pending", "slow"], erroring: ["error", "failing (500)"], down: ["error", "off (refuses connections)"] };
const MODE_BADGE = { slow: "SLOW", erroring: "500", down: "OFF" };
const modeBadge = document.querySelector("[data-shop-mode-badge]");
const modeText = document.querySelector("[data-shop-mode-text]");

function showMode(state) {
  const [kind, word] = MODE_LOOK[state.mode] || MODE_LOOK.healthy;
  modeBadge.className = `status status-${kind}`;
  modeBadge.textContent = word;
  modeText.textContent = state.explanation + (state.heals_in ? ` Heals by itself in ${Math.ceil(state.heals_in / 60)} min.` : "");
  for (const b of document.querySelectorAll("[data-shop-mode-set]")) b.setAttribute("aria-pressed", String(b.dataset.shopModeSet === state.mode));
  document.querySelector("[data-stage]").dataset.shopMode = state.mode;
  page.stage.setState("shop", MODE_BADGE[state.mode] && { badge: MODE_BADGE[state.mode], tone: kind, title: `Shop is ${word}` });
}

async function refreshMode() {
  try {
    const response = await fetch("/api/api/shop-mode");
    if (response.ok) showMode(await response.json());
  } catch { /* the feed badge already says the playground is unreachable */ }
}

for (const button of document.querySelectorAll("[data-shop-mode-set]")) {
  button.addEventListener("click", async () => {
    const { ok, body } = await postJSON("/api/api/shop-mode", { mode: button.dataset.shopModeSet }, "PUT");
    if (ok) { showMode(body); reportStatus(`Shop is now ${MODE_LOOK[body.mode][1]}: ${body.explanation}`, body.mode === "healthy" ? "ok" : "error"); }
    else reportStatus(`Refused: ${body.detail}`, "error");
  });
}
refreshMode();
setInterval(refreshMode, 10000); // someone else in the room may flip a switch

async function run(button, url, body, done) {
  button.disabled = true;
  try {
    const result = await postJSON(url, body);
    if (!result.ok) { reportStatus(`Refused (${result.status}): ${result.body.detail}`, "error"); return; }
    consoleView.show(result.body);
    reportStatus(done(result.body), "ok");
  } catch (error) {
    reportStatus(`The playground cannot be reached: ${error.message}`, "error");
  } finally {
    button.disabled = false;
  }
}

document.querySelector('[data-api-action="place-order"]').addEventListener("click", (event) =>
  run(event.currentTarget, "/api/api/orders", { client_id: consoleView.clientId }, (r) => {
    const x = r.exchanges[0];
    return x.status === 201 ? `Order ${x.body.id} placed (${x.body.total} €) — watch it travel.` : `Shop did not place it: ${x.status || x.failure}.`;
  }));

document.querySelector('[data-api-action="break-contract"]').addEventListener("click", (event) =>
  run(event.currentTarget, "/api/api/break-contract", { client_id: consoleView.clientId }, (r) => {
    const x = r.exchanges[0];
    const who = x.status ? `Shop's API rejected it with ${x.status}: ${x.body?.detail || ""}` : `it never reached Shop (${x.failure})`;
    return `Sent an order with ${r.broken.what}; ${who}`;
  }));
