// The fishing hook above Shop: it only moves when a fish bites (a webhook arrives).
// With reduced motion it changes colour instead of jerking.

import { after } from "../../clock.js";
import { svg } from "../../dom.js";

export function mountHook() {
  const stage = document.querySelector('[data-stage="stage"] [data-stage-svg]');
  const g = svg("g", { class: "wh-hook", "data-hook": "still", transform: "translate(930 28)" });
  g.append(svg("title", {}, "Shop's hook: it only moves when an event arrives"),
    svg("path", { d: "M0,-28 L0,40", class: "wh-hook-line" }),
    svg("path", { d: "M0,40 L0,56 Q0,70 -10,68 Q-18,66 -16,56 L-12,60", class: "wh-hook-metal" }));
  stage.append(g);
  let timer = null;
  return {
    bite() {
      g.setAttribute("data-hook", "bite");
      g.classList.remove("biting");
      void g.getBBox(); // restart the animation
      g.classList.add("biting");
      timer?.cancel();
      // Page time, like the dot that bit: paused it stays bitten, slowed it lingers.
      timer = after(900, () => { g.classList.remove("biting"); g.setAttribute("data-hook", "still"); }, { scaled: true });
    },
  };
}
