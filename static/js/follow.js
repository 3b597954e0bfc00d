// Follow the instructor (room.js uses it): the instructor's page says where it is, every student
// page of the room goes there too, unless the student ticked "Stay here" (kept for the tab).
//
// The instructor's page posts its path on load and whenever it changes the address itself (a tour
// step sends "playground:page"); the room announces it over every page's feed socket. A path is
// followed only if it stays on this site: the server refuses others, and this page checks again.

import { csrfToken } from "./dom.js";
import { roomKey } from "./room-state.js";

const STAY = (code) => `playground.stay.${code}`;
const MOVED = "playground.followed";

/** This page's address without the room (each student's page adds its own). */
export function herePath() {
  const url = new URL(location.href);
  url.searchParams.delete("room");
  return url.pathname + url.search;
}

function hereLabel() {
  const title = document.title.split(" · ")[0].trim() || location.pathname;
  const step = document.querySelector("[data-tour-step]")?.dataset.tourStep;
  return step ? `${title} — tour, step ${step}` : title;
}

let announced = Promise.resolve();
let lastSaid = null;

/** Instructor: tell the room this page is where the class is. One at a time, in order: two
 * requests in flight may arrive the other way round, leaving the room on the older page. */
export function announceHere(code) {
  if (document.body.dataset.noFollow !== undefined) return announced;
  announced = announced.then(() => say(code)).catch((error) => console.warn("follow:", error));
  return announced;
}

async function say(code) {
  const body = JSON.stringify({ path: herePath(), label: hereLabel() });
  if (body === lastSaid) return;
  const response = await fetch(`/api/rooms/${code}/follow`, {
    method: "POST",
    headers: { "Content-Type": "application/json", "X-CSRFToken": csrfToken(), "X-Room-Key": roomKey(code) },
    body,
    credentials: "same-origin",
  });
  if (response.ok) lastSaid = body;
  else console.warn("follow:", response.status, await response.text());
}

export function staying(code) {
  return sessionStorage.getItem(STAY(code)) === "yes";
}

export function setStaying(code, yes) {
  if (yes) sessionStorage.setItem(STAY(code), "yes");
  else sessionStorage.removeItem(STAY(code));
}

/** Where a followed path leads, with the room; null if it is not a page on this site. */
export function followTarget(code, path) {
  if (typeof path !== "string" || !path.startsWith("/") || path.startsWith("//") || path.includes("\\")) return null;
  const url = new URL(path, location.origin);
  if (url.origin !== location.origin) return null;
  url.searchParams.set("room", code);
  return url;
}

/** Go there, noting that this page was left to follow: the instructor may move on while the next
 * page loads (before its socket is up), so that page checks the room's page once more. */
export function goFollow(target) {
  sessionStorage.setItem(MOVED, "yes");
  location.assign(target);
}

/** Did this page come from following (then check once where the class is now)? */
export function arrivedByFollowing() {
  const moved = sessionStorage.getItem(MOVED) === "yes";
  sessionStorage.removeItem(MOVED);
  return moved;
}

/** Student: go where the instructor is. Returns the target if this page should move, else null. */
export function shouldFollow(code, follow) {
  const target = followTarget(code, follow?.path);
  if (!target) return null;
  const there = new URL(target);
  there.searchParams.delete("room");
  return there.pathname + there.search === herePath() ? null : target;
}

/** Links followed from a room's page stay in the room (a new tab has no memory of it). */
export function keepRoomInLinks(code) {
  const addRoom = (event) => {
    const link = event.target.closest?.("a[href]");
    if (!link || link.hasAttribute("download") || link.getAttribute("href").startsWith("#")) return;
    const url = new URL(link.href, location.href);
    if (url.origin !== location.origin || url.searchParams.has("room") || !["http:", "https:"].includes(url.protocol)) return;
    if (url.pathname.startsWith("/api/") || url.pathname.startsWith("/static/")) return;
    url.searchParams.set("room", code);
    link.href = url.toString();
  };
  document.addEventListener("click", addRoom, true);
  document.addEventListener("auxclick", addRoom, true);
}
