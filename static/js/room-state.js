// Which room this browser tab is in, and whether it holds the room's control key.
//
// The room comes from the address (?room=CODE, or the join page /r/CODE) and is remembered for
// the tab (sessionStorage), so following links keeps you in the room. The control key is kept in
// localStorage under the room's code, only in the instructor's browser: the join link never has it.

const ROOM = "playground.room";
const KEY = (code) => `playground.roomKey.${code}`;
const CODE = /^[A-Z0-9]{3,16}$/;

function fromAddress() {
  const param = new URLSearchParams(location.search).get("room");
  const joined = document.body?.dataset.joinRoom;
  const code = (param ?? joined ?? "").trim().toUpperCase();
  return param === "" ? "" : CODE.test(code) ? code : null;
}

export function currentRoom() {
  const named = fromAddress();
  if (named !== null) {
    if (named) sessionStorage.setItem(ROOM, named);
    else sessionStorage.removeItem(ROOM);
    return named;
  }
  return sessionStorage.getItem(ROOM) || "";
}

export function leaveRoom() {
  sessionStorage.removeItem(ROOM);
}

export function roomKey(code = currentRoom()) {
  return code ? localStorage.getItem(KEY(code)) || "" : "";
}

export function rememberKey(code, key) {
  localStorage.setItem(KEY(code), key);
}

// The owner's key (from the owner link printed by `playground` when it serves others): it opens
// the shared demo and what every room shares (the worker pool, Shop's schema).
const OWNER = "playground.ownerKey";

export function ownerKey() {
  return localStorage.getItem(OWNER) || "";
}

export function rememberOwnerKey(key) {
  if (key) localStorage.setItem(OWNER, key);
  else localStorage.removeItem(OWNER);
}

/** Headers that put an API request in the current room (and prove the instructor or the owner). */
export function roomHeaders() {
  const code = currentRoom();
  const owner = ownerKey() ? { "X-Owner-Key": ownerKey() } : {};
  if (!code) return owner;
  const key = roomKey(code);
  return key ? { ...owner, "X-Room": code, "X-Room-Key": key } : { ...owner, "X-Room": code };
}

/** A same-origin address with the current room in its query (for links to server pages). */
export function inRoom(path) {
  const code = currentRoom();
  if (!code) return path;
  const url = new URL(path, location.href);
  url.searchParams.set("room", code);
  return url.pathname + url.search + url.hash;
}

// Every call this page makes to its own API names the page's room (and carries the owner's key
// where this browser holds it), reads as well as changes: a
// GET that named no room would read the shared demo's messages, not the room's. One wrapper here
// instead of the room's headers added by hand at every fetch (and forgotten at some).
const plainFetch = window.fetch.bind(window);
window.fetch = (resource, init = {}) => {
  const url = new URL(resource instanceof Request ? resource.url : String(resource), location.href);
  const extra = roomHeaders();
  if (url.origin !== location.origin || !url.pathname.startsWith("/api/") || !Object.keys(extra).length) {
    return plainFetch(resource, init);
  }
  const headers = new Headers(init.headers ?? (resource instanceof Request ? resource.headers : undefined));
  for (const [name, value] of Object.entries(extra)) if (!headers.has(name)) headers.set(name, value);
  return plainFetch(resource, { ...init, headers });
};
