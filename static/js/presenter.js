// Presenter mode, on every page: large type, a high-contrast theme, the stage across the whole
// screen, and keys. Turn it on with the "Presenter mode" button or ?present=1 (remembered per tab).
//
// Keys (any page, unless you are typing in a field), all through the page's one dispatcher
// (keys.js). This file takes the page's keys:
//   space  the page's main action ([data-main-action], else the first "Do" button)
//   f      the stage full screen         ?  list the keys (Esc closes the list)
// The stage takes its own (stage.js): → / ↓ step, ← / ↑ play, s slower, p pause / play; and an
// open tour takes → ← Enter Esc before either (tour-panel.js).

import { LAYER, onKeys } from "./keys.js";

const STORE = "playground.present";
const KEYS = [
  ["Space", "the page's main action (e.g. send a webhook)"],
  ["→ or ↓", "step: pause, then move one event on"],
  ["← or ↑", "play again"],
  ["s", "slower: 1× → 0.5× → 0.25× → 0.1× → 1×"],
  ["p", "pause / play"],
  ["f", "the stage full screen (Esc leaves)"],
  ["?", "this list"],
];

const stage = () => document.querySelector("[data-stage]");
const click = (el) => { if (el && !el.disabled) { el.click(); return true; } return false; };

function setPresenting(on) {
  document.body.classList.toggle("presenting", on);
  sessionStorage.setItem(STORE, on ? "1" : "0");
  const toggle = document.querySelector("[data-present-toggle]");
  toggle?.setAttribute("aria-pressed", String(on));
}

function mainAction() {
  return document.querySelector("[data-main-action]")
    || document.querySelector('[data-controls="do"] button:not([disabled])')
    || document.querySelector('[data-action="ping"]');
}

function helpDialog() {
  let dialog = document.querySelector("[data-keys-dialog]");
  if (!dialog) {
    dialog = document.createElement("dialog");
    dialog.dataset.keysDialog = "";
    dialog.className = "keys-dialog";
    dialog.setAttribute("aria-labelledby", "keys-title");
    const title = Object.assign(document.createElement("h2"), { id: "keys-title", textContent: "Keyboard shortcuts" });
    const list = document.createElement("dl");
    for (const [key, what] of KEYS) {
      list.append(Object.assign(document.createElement("dt"), { textContent: key }),
        Object.assign(document.createElement("dd"), { textContent: what }));
    }
    const close = Object.assign(document.createElement("button"), { type: "button", textContent: "Close" });
    close.addEventListener("click", () => dialog.close());
    // Give focus back at once: left on the hidden Close button, the next key (s, p, space…)
    // would land inside the closed dialog until the browser's own focus fix-up runs.
    dialog.addEventListener("close", () => {
      if (dialog.contains(document.activeElement)) document.activeElement.blur();
    });
    dialog.append(title, list, close);
    document.body.append(dialog);
  }
  dialog.open ? dialog.close() : dialog.showModal();
}

onKeys(LAYER.page, {
  // On a focused button or link, space is that control's own: leave it to the browser.
  " ": (event) => {
    if (event.target.closest?.("button, a, summary")) return false;
    // The class watches the stage, not the button: bring it into view if the page was scrolled.
    if (click(mainAction())) stage()?.scrollIntoView({ block: "nearest" });
  },
  f: () => (document.fullscreenElement ? document.exitFullscreen() : stage()?.requestFullscreen?.()),
  "?": helpDialog,
});

const param = new URLSearchParams(location.search).get("present");
setPresenting(param !== null ? param === "1" : sessionStorage.getItem(STORE) === "1");
document.querySelector("[data-present-toggle]")?.addEventListener("click", () => {
  setPresenting(!document.body.classList.contains("presenting"));
});
document.querySelector("[data-keys-toggle]")?.addEventListener("click", helpDialog);
