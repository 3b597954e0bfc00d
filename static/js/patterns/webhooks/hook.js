// The fishing hook above Shop: it only moves when a fish bites (a webhook arrives).
// With reduced motion it changes colour instead of jerking.

import { after } from "../../clock.js";
import { svg } from "../../dom.js";

export function mountHook() {
  const stage = document.querySelector('[data-stage="stage"] [data-stage-svg]');
  const holder = svg("g", { class: "wh-hook-holder" }); // hung above Shop's box by attach()
  const g = svg("g", { class: "wh-hook", "data-hook": "still" });
  holder.append(g);
  g.append(svg("title", {}, "Shop's hook: it only moves when an event arrives"),
    svg("path", { d: "M0,-28 L0,40", class: "wh-hook-line" }),
    svg("path", { d: "M0,40 L0,56 Q0,70 -10,68 Q-18,66 -16,56 L-12,60", class: "wh-hook-metal" }));
  stage.append(holder);
  let timer = null;
  return {
    /** Hang the hook above Shop's box, wherever the stage put it (again after every new layout). */
    attach(theStage) {
      const place = () => {
        const box = theStage.box("shop");
        if (box) holder.setAttribute("transform", `translate(${box.x + 22} ${box.y - 58}) scale(0.8)`);
      };
      place();
      new ResizeObserver(() => requestAnimationFrame(() => requestAnimationFrame(place))).observe(stage);
    },
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
