// The owner link lands here as /owner/#key=…: the key is kept in this browser (every API call then
// carries it) and taken out of the address bar, so it is not left on the projector or in history.

import { ownerKey, rememberOwnerKey, roomHeaders } from "../room-state.js";

const state = document.querySelector("[data-owner-state]");
const forget = document.querySelector("[data-owner-forget]");

async function show() {
  const response = await fetch("/api/owner", { headers: roomHeaders() });
  const { served, owner } = response.ok ? await response.json() : { served: true, owner: false };
  if (!served) state.textContent = "This playground is not served to others: nobody needs a key, and you can change everything.";
  else if (owner) state.textContent = "This browser holds the owner key: you can change and reset the shared demo and what every room shares.";
  else if (ownerKey()) state.textContent = "The key in this browser is not this playground’s owner key. Open the owner link the server printed when it started.";
  else state.textContent = "This browser does not hold the owner key. Open the owner link the server printed when it started.";
  forget.hidden = !ownerKey();
}

const given = new URLSearchParams(location.hash.slice(1)).get("key");
if (given) {
  rememberOwnerKey(given.trim());
  history.replaceState(null, "", location.pathname);
}
forget.addEventListener("click", () => {
  rememberOwnerKey("");
  show();
});
show();
