// Rooms on every page: the banner ("Room K7QXP · you are the instructor · 0.25× · paused"), the
// instructor's speed/pause/step passed on to the room, and the room's settings applied here.
//
// Flow: a stage button → "playground:stage-control" → (instructor) PUT /api/rooms/CODE/settings
// → the room's feed group → every page's Feed → "playground:room-frame" → here → the page's clock
// (clock.js: speed and pause, for the stage and every other timer) and "playground:room" (a step,
// for the stage). Students' own stage buttons still work, until the next instruction.
// The page the instructor opens, students' pages open too (follow.js), unless they stay here.

import { clock } from "./clock.js";
import { csrfToken, h } from "./dom.js";
import { announceHere, arrivedByFollowing, goFollow, keepRoomInLinks, setStaying, shouldFollow, staying } from "./follow.js";
import { currentRoom, leaveRoom, roomKey } from "./room-state.js";

const TAB = Math.random().toString(36).slice(2); // to recognise our own step coming back
const code = currentRoom();

function speedText(speed) {
  return speed === 1 ? "normal speed" : `slow motion ${speed}×`;
}

class RoomBanner {
  constructor(root) {
    this.root = root;
    this.instructor = Boolean(roomKey(code));
    root.hidden = false;
    root.dataset.role = this.instructor ? "instructor" : "student";
    root.replaceChildren();
    this.title = h("strong", { "data-room-code": code }, `Room ${code}`);
    this.who = h("span", {}, this.instructor ? "You are the instructor" : "You are following the instructor");
    this.fire = h("span", { "data-room-firing": "" });
    this.state = h("span", { class: "room-state", "data-room-state": "", role: "status", "aria-live": "polite" });
    const leave = h("button", { type: "button", class: "secondary small", "data-room-leave": "" }, "Leave room");
    leave.addEventListener("click", () => {
      leaveRoom();
      const url = new URL(location.href);
      url.searchParams.set("room", "");
      location.href = url.toString();
    });
    root.append(this.title, this.who, this.fire, this.state);
    if (this.instructor) root.append(h("a", { href: `/rooms/?room=${code}`, class: "room-link" }, "Room controls"));
    else root.append(this.stayControl());
    root.append(leave);
  }

  stayControl() {
    const box = h("input", { type: "checkbox", "data-room-stay": "", "aria-describedby": "room-stay-help" });
    box.checked = staying(code);
    box.addEventListener("change", () => {
      setStaying(code, box.checked);
      this.who.textContent = box.checked ? "You are looking around on your own" : "You are following the instructor";
      if (!box.checked && this.waiting) goFollow(this.waiting);
    });
    if (box.checked) this.who.textContent = "You are looking around on your own";
    // Where the instructor went while this page stayed: one link, replaced by the next move.
    this.elsewhere = h("a", { class: "room-elsewhere", "data-room-elsewhere": "", hidden: true });
    return h("span", { class: "room-stay" },
      h("label", {}, box, " Stay here"),
      h("span", { id: "room-stay-help", class: "visually-hidden" }, "Tick to stop your page from following the instructor's page"),
      this.elsewhere);
  }

  follow(frame) {
    const target = shouldFollow(code, frame.follow);
    if (!target) return;
    if (!staying(code)) { goFollow(target); return; }
    this.waiting = target.toString();
    this.elsewhere.href = this.waiting;
    this.elsewhere.textContent = `Your instructor is on: ${frame.follow.label} — go there`;
    this.elsewhere.hidden = false;
  }

  show(settings) {
    this.fire.textContent = settings.students_may_fire ? "Students may fire events" : "Only the instructor fires";
    const paused = settings.paused ? " · paused" : "";
    this.state.textContent = speedText(settings.speed) + paused;
    this.root.dataset.paused = String(settings.paused);
    this.root.dataset.speed = String(settings.speed);
  }
}

async function send(path, method, body) {
  const response = await fetch(`/api/rooms/${code}${path}`, {
    method,
    headers: { "Content-Type": "application/json", "X-CSRFToken": csrfToken(), "X-Room-Key": roomKey(code) },
    body: JSON.stringify(body || {}),
    credentials: "same-origin",
  });
  if (!response.ok) console.warn("room:", response.status, await response.text());
}

function apply(detail) {
  clock.set({ speed: detail.speed, paused: detail.paused });
  window.dispatchEvent(new CustomEvent("playground:room", { detail }));
}

/** A student's page asks where the class is whenever its feed (re)connects: a move announced while
 * it was not connected (a blip, or this page still loading after following) is not sent again. A
 * page the student opened themselves is left alone until the instructor's next move. */
function catchUpWhenLive(banner) {
  let pending = arrivedByFollowing();
  window.addEventListener("playground:feed-live", async ({ detail }) => {
    if (detail.first && !pending) return;
    pending = false;
    const response = await fetch(`/api/rooms/${code}`);
    if (!response.ok) return;
    const room = await response.json();
    if (room.page_path) banner.follow({ follow: { path: room.page_path, label: room.page_label } });
  });
}

async function start() {
  const root = document.querySelector("[data-room-banner]");
  if (!code) {
    // The shared demo's Reset (the owner's): every shared-demo page starts a fresh stage.
    window.addEventListener("playground:room-frame", (event) => {
      if (event.detail.reset !== undefined) location.reload();
    });
    return;
  }
  if (!root) return;
  const banner = new RoomBanner(root);
  keepRoomInLinks(code);
  if (!banner.instructor) catchUpWhenLive(banner);
  const response = await fetch(`/api/rooms/${code}`);
  if (!response.ok) {
    root.dataset.role = "unknown";
    banner.who.textContent = "";
    banner.state.textContent = response.status === 429
      ? `Too many wrong room codes from here — try again in ${response.headers.get("Retry-After") || 60} s, then check the code.`
      : `No room ${code} — check the code (or ask your instructor for the link).`;
    return;
  }
  const settings = await response.json();
  banner.show(settings);
  apply({ speed: settings.speed, paused: settings.paused });

  window.addEventListener("playground:room-frame", (event) => {
    const frame = event.detail;
    if (frame.reset !== undefined) { location.reload(); return; }
    if (frame.follow && !banner.instructor) banner.follow(frame);
    banner.show(frame);
    apply({ speed: frame.speed, paused: frame.paused, step: frame.step && frame.origin !== TAB });
  });
  if (banner.instructor) {
    announceHere(code);
    window.addEventListener("playground:page", () => announceHere(code));
    window.addEventListener("playground:stage-control", (event) => {
      const change = event.detail;
      if (change.step) send("/step", "POST", { origin: TAB });
      else send("/settings", "PUT", change);
    });
  }
}

start();
