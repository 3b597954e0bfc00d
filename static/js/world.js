// One "Reset demo" for the world this page is in, shown only to whoever holds its key: a room's
// instructor resets the room, the owner (anyone, on a laptop nobody else can reach) resets the
// shared demo. It sits in the footer: a Reset is rare, and must never be pressed by accident.

import { h, postJSON } from "./dom.js";
import { currentRoom, roomHeaders, roomKey } from "./room-state.js";

async function mayReset(code) {
  if (code) return Boolean(roomKey(code));
  try {
    const response = await fetch("/api/owner", { headers: roomHeaders() });
    return response.ok && (await response.json()).owner;
  } catch {
    return false;
  }
}

async function start() {
  const slot = document.querySelector("[data-world-reset]");
  const code = currentRoom();
  if (!slot || !(await mayReset(code))) return;
  const what = code ? `room ${code}’s demo` : "the shared demo";
  const button = h(
    "button",
    { type: "button", class: "secondary small", "data-world-reset-button": "" },
    code ? "Reset this room’s demo" : "Reset the demo",
  );
  const status = h("span", { role: "status", "aria-live": "polite", "data-world-reset-status": "" });
  button.title = "Every switch, mode and endpoint back to its default, and the stage cleared on every screen. The message log keeps its history.";
  button.addEventListener("click", async () => {
    if (!window.confirm(`Reset ${what}? Every switch and endpoint goes back to its default and every screen’s stage is cleared. The message log keeps its history.`)) return;
    button.disabled = true;
    status.textContent = "Resetting…";
    const response = await postJSON(code ? `/api/rooms/${code}/reset` : "/api/reset");
    button.disabled = false;
    status.textContent = response.ok ? "Back to the defaults." : `Not reset: ${response.body.detail}`;
  });
  slot.replaceChildren(button, " ", status);
  slot.hidden = false;
}

start();
