// The page's one keydown listener. Whoever wants page-wide keys registers them here, in a layer:
//
//   const off = onKeys(LAYER.tour, { ArrowRight: () => next(), Enter: (event) => … });
//
// A key goes to the highest layer that registered it, and to that layer only: while a tour is
// open it owns → ← Enter Esc, so the stage underneath does not also step. A handler that returns
// false leaves the browser's own default (a focused button's Enter, scrolling) alone; any other
// result counts as handled (preventDefault). Keys are not taken while someone types in a field or
// works in an open dialog, nor when the element itself already handled the key (preventDefault),
// as the live log's own arrow keys do.

export const LAYER = { page: 0, stage: 1, tour: 2 };

const layers = []; // {priority, handlers}, highest priority first, newest first within one

export function onKeys(priority, handlers) {
  const layer = { priority, handlers };
  const at = layers.findIndex((l) => l.priority <= priority);
  layers.splice(at < 0 ? layers.length : at, 0, layer);
  return () => {
    const i = layers.indexOf(layer);
    if (i >= 0) layers.splice(i, 1);
  };
}

function typing(target) {
  // An open dialog keeps its keys; a closed one must not swallow them.
  return target.closest?.("input, textarea, select, [contenteditable], dialog[open]") != null;
}

document.addEventListener("keydown", (event) => {
  if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey || typing(event.target)) return;
  const layer = layers.find((l) => Object.hasOwn(l.handlers, event.key));
  if (!layer) return;
  if (layer.handlers[event.key](event) !== false) event.preventDefault();
});
