// The fishing hook above Shop: it only moves when a fish bites (a webhook arrives).
// With reduced motion it changes colour instead of jerking.

import { svg } from "../../dom.js";

export function mountHook() {
  const stage = document.querySelector('[data-stage="stage"] [data-stage-svg]');
  const g = svg("g", { class: "wh-hook", "data-hook": "still", transform: "translate(930 28)" });
  g.append(svg("title", {}, "Shop's hook: it only moves when an event arrives"),
    svg("path", { d: "M0,-28 L0,40", class: "wh-hook-line" }),
    svg("path", { d: "M0,40 L0,56 Q0,70 -10,68 Q-18,66 -16,56 L-12,60", class: "wh-hook-metal" }));
  stage.append(g);
  let timer;
  return {
    bite() {
      g.setAttribute("data-hook", "bite");
      g.classList.remove("biting");
      void g.getBBox(); // restart the animation
      g.classList.add("biting");
      clearTimeout(timer);
      timer = setTimeout(() => { g.classList.remove("biting"); g.setAttribute("data-hook", "still"); }, 900);
    },
  };
}
