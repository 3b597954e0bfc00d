// The fishing hook above Shop: it only moves when a fish bites (a webhook arrives).
// With reduced motion it changes colour instead of jerking.

const SVG = "http://www.w3.org/2000/svg";

export function mountHook() {
  const svg = document.querySelector('[data-stage="stage"] [data-stage-svg]');
  const g = document.createElementNS(SVG, "g");
  g.setAttribute("class", "wh-hook");
  g.setAttribute("data-hook", "still");
  g.setAttribute("transform", "translate(930 28)");
  const line = document.createElementNS(SVG, "path");
  line.setAttribute("d", "M0,-28 L0,40");
  line.setAttribute("class", "wh-hook-line");
  const hook = document.createElementNS(SVG, "path");
  hook.setAttribute("d", "M0,40 L0,56 Q0,70 -10,68 Q-18,66 -16,56 L-12,60");
  hook.setAttribute("class", "wh-hook-metal");
  const title = document.createElementNS(SVG, "title");
  title.textContent = "Shop's hook: it only moves when an event arrives";
  g.append(title, line, hook);
  svg.append(g);
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
