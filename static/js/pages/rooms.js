// The instructor's Rooms page: open a room, show its code, join link and QR code, and set what
// every screen in the room does (speed, pause, who may fire, reset).

import { csrfToken } from "../dom.js";
import { Feed } from "../feed.js";
import { currentRoom, rememberKey, roomKey } from "../room-state.js";

const $ = (selector) => document.querySelector(selector);
const STYLE_PAGES = [["Home (ping)", "/"], ["Message log", "/messages/"]];

async function call(url, method = "GET", body, key) {
  const headers = { "Content-Type": "application/json", "X-CSRFToken": csrfToken() };
  if (key) headers["X-Room-Key"] = key;
  const response = await fetch(url, { method, headers, body: body ? JSON.stringify(body) : undefined, credentials: "same-origin" });
  const data = await response.json().catch(() => ({ error: "not_json", detail: response.statusText }));
  return { ok: response.ok, status: response.status, body: data };
}

function say(selector, text, kind = "ok") {
  const el = $(selector);
  el.textContent = text;
  el.dataset.kind = kind;
}

$("[data-room-open-form]").addEventListener("submit", async (event) => {
  event.preventDefault();
  const button = $("[data-room-open]");
  button.disabled = true;
  const result = await call("/api/rooms", "POST", { title: $("#room-title").value });
  button.disabled = false;
  if (!result.ok) { say("[data-room-status]", `Refused: ${result.body.detail}`, "error"); return; }
  rememberKey(result.body.code, result.body.control_key);
  location.href = `/rooms/?room=${result.body.code}`;
});

function showSettings(room) {
  for (const b of document.querySelectorAll("[data-room-speed]")) b.setAttribute("aria-pressed", String(Number(b.dataset.roomSpeed) === room.speed));
  const pause = $("[data-room-pause]");
  pause.setAttribute("aria-pressed", String(room.paused));
  pause.textContent = room.paused ? "Play for everyone" : "Pause everyone";
  $("[data-room-fire]").checked = room.students_may_fire;
}

async function showRoom(code) {
  const result = await call(`/api/rooms/${code}`);
  if (!result.ok) { say("[data-room-status]", `No room ${code}: ${result.body.detail}`, "error"); return; }
  const room = result.body;
  const key = roomKey(code);
  $("[data-room-view]").hidden = false;
  $("[data-room-new]").hidden = Boolean(key); // one room at a time; "Leave room" opens another
  $("[data-room-title]").textContent = room.title ? `${code} — ${room.title}` : code;
  $("[data-room-code-big]").textContent = code;
  const link = $("[data-join-link]");
  link.href = room.join_url;
  link.textContent = room.join_url;
  $("[data-room-qr]").src = room.qr_url;
  $("[data-copy-link]").addEventListener("click", async () => {
    await navigator.clipboard?.writeText(room.join_url).catch(() => {});
    say("[data-room-view-status]", "Join link copied.");
  });
  $("[data-instructor-only]").hidden = !key;
  $("[data-student-only]").hidden = Boolean(key);
  $("[data-room-key]").textContent = key;
  const pages = $("[data-room-pages]");
  for (const a of document.querySelectorAll(".topnav a")) {
    if (a.getAttribute("href").startsWith("/") && !a.getAttribute("href").startsWith("/api")) STYLE_PAGES.push([a.textContent, a.getAttribute("href")]);
  }
  const seen = new Set();
  for (const [name, path] of STYLE_PAGES) {
    if (seen.has(path)) continue;
    seen.add(path);
    const li = document.createElement("li");
    li.append(Object.assign(document.createElement("a"), { className: "button secondary", href: `${path}?room=${code}`, textContent: name }));
    pages.append(li);
  }
  showSettings(room);
  const put = async (change) => {
    const r = await call(`/api/rooms/${code}/settings`, "PUT", change, key);
    if (r.ok) { showSettings(r.body); say("[data-room-view-status]", "Every screen in the room follows."); }
    else say("[data-room-view-status]", `Refused: ${r.body.detail}`, "error");
  };
  for (const b of document.querySelectorAll("[data-room-speed]")) b.addEventListener("click", () => put({ speed: Number(b.dataset.roomSpeed) }));
  $("[data-room-pause]").addEventListener("click", () => put({ paused: $("[data-room-pause]").getAttribute("aria-pressed") !== "true" }));
  $("[data-room-fire]").addEventListener("change", (e) => put({ students_may_fire: e.target.checked }));
  $("[data-room-reset]").addEventListener("click", async () => {
    const r = await call(`/api/rooms/${code}/reset`, "POST", {}, key);
    say("[data-room-view-status]", r.ok ? "The room’s demo is back to its defaults and every screen starts afresh." : `Refused: ${r.body.detail}`, r.ok ? "ok" : "error");
  });
  $("[data-key-form]").addEventListener("submit", (event) => {
    event.preventDefault();
    rememberKey(code, $("#room-key").value.trim());
    location.reload();
  });
  window.addEventListener("playground:room-frame", (event) => showSettings(event.detail));
}

const code = currentRoom();
if (code) showRoom(code);
// The room's feed: its settings as the instructor changes them (from any page or device).
new Feed({ backlog: 0 }).start();
