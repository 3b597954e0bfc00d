// Wires a style page together: one feed (this style's messages) -> stage, live log, inspector,
// and the buttons. A style's script (static/js/patterns/<style>.js) only declares its parts:
//
//   mountStylePage({ style: "webhooks", nodes, edges, route, describe, onMessages });
//
// Buttons with data-post="/api/…" (and optional data-body='{"…"}') POST to the API when clicked
// and report the answer in [data-action-status]; anything else, the style wires itself.

import { postJSON } from "./dom.js";
import { Feed } from "./feed.js";
import { Inspector } from "./inspector.js";
import { LiveLog } from "./log.js";
import { mountStage } from "./stage.js";

export function reportStatus(text, kind = "ok") {
  const el = document.querySelector("[data-action-status]");
  if (!el) return;
  el.textContent = text;
  el.dataset.kind = kind;
}

let pressed = 0; // the number of the page's latest action

/** POST to the API and say what happened, in words, in the page's status line. The line answers
 *  the latest action: a slower answer to an earlier one (pressed just before) does not overwrite
 *  it; what that earlier action did still shows on the stage and in the log. */
export async function act(url, body = {}, { method = "POST", done } = {}) {
  const mine = ++pressed;
  const say = (text, kind) => { if (mine === pressed) reportStatus(text, kind); };
  try {
    const result = await postJSON(url, body, method);
    if (result.ok) say(done ? done(result.body) : "Done.");
    else say(`Refused (${result.status}): ${result.body.detail || result.body.error}`, "error");
    return result;
  } catch (error) {
    say(`The playground cannot be reached: ${error.message}`, "error");
    return { ok: false, status: 0, body: null };
  }
}

export function mountStylePage({ style, stageId = "stage", filters = {}, backlog = 30, onMessages, logDescribe, ...stageOptions }) {
  const stage = mountStage(stageId, stageOptions);
  const inspector = new Inspector(document.querySelector("[data-inspector]"));
  const log = new LiveLog(document.querySelector("[data-log]"), {
    describe: logDescribe,
    onSelect: (id) => inspector.show(id),
  });
  const feed = new Feed({
    filters: { style, ...filters },
    backlog,
    onMessages(messages, frame) {
      // The backlog fills the log, but only news flies across the stage.
      if (!frame.initial) stage.add(messages);
      log.add(messages);
      onMessages?.(messages, frame);
    },
  }).start();
  for (const button of document.querySelectorAll("[data-post]")) {
    button.addEventListener("click", async () => {
      button.disabled = true;
      try {
        await act(button.dataset.post, button.dataset.body ? JSON.parse(button.dataset.body) : {});
      } finally {
        button.disabled = false;
      }
    });
  }
  return { stage, log, inspector, feed };
}
