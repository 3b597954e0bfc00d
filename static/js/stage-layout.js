// Where the stage puts things, in screen pixels.
//
// The stage's SVG is drawn at 1 unit = 1 CSS pixel (its viewBox follows its width), so a label
// set at 15 px reads at 15 px on a projector and on a phone alike; only the positions scale.
// A page declares its nodes in a 1000-wide plan; here the plan is stretched to the width at
// hand (landscape), or turned on its side on a narrow screen (portrait: the left-to-right story
// reads top to bottom), and the rows are pulled apart until no two boxes touch. Labels are then
// placed in free spots only: a spot that would cover a box or another label is never used.

const GAP_X = 14;      // between two boxes side by side
const GAP_Y = 46;      // between two boxes one above the other: room for an edge label
const GAP_Y_PORTRAIT = 64; // portrait edges are mostly vertical: their labels need the height
const ROW_TOLERANCE = 40; // plan units: nodes this close on the cross axis share a row

/** The point at t (0..1) on the line p→q, or on the quadratic curve p→q bent towards c. */
export function at(p, q, c, t) {
  if (!c) return { x: p.x + (q.x - p.x) * t, y: p.y + (q.y - p.y) * t };
  const u = 1 - t;
  return { x: u * u * p.x + 2 * u * t * c.x + t * t * q.x, y: u * u * p.y + 2 * u * t * c.y + t * t * q.y };
}

/** Where the segment from the centre of box `a` towards point `b` leaves a's box (plus `pad`). */
export function boxExit(a, b, pad = 6) {
  const dx = b.x - a.x, dy = b.y - a.y;
  const scale = Math.min(dx ? (a.w / 2 + pad) / Math.abs(dx) : Infinity, dy ? (a.h / 2 + pad) / Math.abs(dy) : Infinity);
  return { x: a.x + dx * scale, y: a.y + dy * scale };
}

export const overlaps = (a, b, pad = 2) =>
  a.x < b.x + b.w + pad && b.x < a.x + a.w + pad && a.y < b.y + b.h + pad && b.y < a.y + a.h + pad;

/** Break `text` into lines no wider than maxW (by words; a single long word keeps its line). */
export function wrap(text, maxW, width) {
  const lines = [];
  for (const word of String(text || "").split(/\s+/).filter(Boolean)) {
    const last = lines[lines.length - 1];
    if (last !== undefined && width(`${last} ${word}`) <= maxW) lines[lines.length - 1] = `${last} ${word}`;
    else lines.push(word);
  }
  return lines;
}

/** Spread one row's boxes (sorted by position) so neighbours keep GAP_X, inside [0, W]. */
function spreadRow(row, W) {
  for (let i = 1; i < row.length; i++) {
    const min = row[i - 1].x + (row[i - 1].w + row[i].w) / 2 + GAP_X;
    if (row[i].x < min) row[i].x = min;
  }
  const last = row[row.length - 1];
  const over = last.x + last.w / 2 + 4 - W;
  if (over > 0) for (const n of row) n.x -= over;
  for (let i = row.length - 2; i >= 0; i--) {
    const max = row[i + 1].x - (row[i].w + row[i + 1].w) / 2 - GAP_X;
    if (row[i].x > max) row[i].x = max;
  }
}

/**
 * Place `nodes` (each with `plan` {x, y} and a measured w, h) on a stage W pixels wide.
 * portrait: the plan's x runs down the screen. maxH: the height to aim for (never at the cost
 * of two boxes touching). Sets n.x, n.y (pixels, box centres); returns a map for plan points.
 */
export function placeNodes(nodes, W, { portrait = false, maxH = Infinity } = {}) {
  const list = [...nodes];
  // A node's plan position (its x, y become pixels below). Portrait turns the plan on its side,
  // unless the page drew a portrait plan of its own (`tall`: x across, y down).
  const own = portrait && list.every((n) => n.tall);
  const plan = (p) => (own && p.tall) || p.plan || p;
  const along = (p) => (portrait && !own ? plan(p).y : plan(p).x);
  const down = (p) => (portrait && !own ? plan(p).x : plan(p).y);
  const lo = Math.min(...list.map(along)), hi = Math.max(...list.map(along));
  const margin = Math.max(...list.map((n) => n.w)) / 2 + 4;
  const sx = hi > lo ? (W - 2 * margin) / (hi - lo) : 0;
  // One column (every node level on the plan): centred, and a bent edge still bends sideways.
  const mapX = (v) => (hi > lo ? margin + (v - lo) * sx : W / 2 + (v - lo) * (W / 1000));
  for (const n of list) n.x = mapX(along(n));
  // Rows: nodes level with each other on the plan; their boxes must not touch.
  const rows = [];
  for (const n of [...list].sort((a, b) => down(a) - down(b))) {
    const row = rows.find((r) => Math.abs(down(r[0]) - down(n)) <= ROW_TOLERANCE);
    row ? row.push(n) : rows.push([n]);
  }
  for (const row of rows) spreadRow(row.sort((a, b) => a.x - b.x), W);
  // Down the screen: as tall as the width suggests (or maxH allows), but never so flat that two
  // boxes above one another touch.
  const top = Math.min(...list.map(down)), bottom = Math.max(...list.map(down));
  const span = bottom - top || 1;
  const tallest = Math.max(...list.map((n) => n.h));
  let sy = Math.min(W / 1000, (maxH - tallest - 40) / span);
  for (const a of list) {
    for (const b of list) {
      const dy = Math.abs(down(a) - down(b));
      if (a === b || dy <= ROW_TOLERANCE || Math.abs(a.x - b.x) >= (a.w + b.w) / 2 + GAP_X) continue;
      sy = Math.max(sy, ((a.h + b.h) / 2 + (portrait ? GAP_Y_PORTRAIT : GAP_Y)) / dy);
    }
  }
  sy = Math.max(sy, 0.2);
  const mapY = (v) => (v - top) * sy;
  for (const n of list) n.y = mapY(down(n));
  return (p) => ({ x: mapX(along(p)), y: mapY(down(p)) });
}

/**
 * Free spots for labels. `taken` holds boxes (nodes, badges, placed labels); place() tries the
 * candidate centres in order and keeps the first whose box is inside the stage and clear.
 */
export class Spots {
  constructor(bounds) {
    this.bounds = bounds; // {x, y, w, h}: labels stay inside
    this.taken = new Map(); // owner -> box
  }

  take(owner, box) {
    this.taken.set(owner, box);
  }

  free(owner) {
    this.taken.delete(owner);
  }

  fits(box, owner) {
    const b = this.bounds;
    if (box.x < b.x || box.y < b.y || box.x + box.w > b.x + b.w || box.y + box.h > b.y + b.h) return false;
    for (const [who, other] of this.taken) if (who !== owner && overlaps(box, other)) return false;
    return true;
  }

  /** The first candidate centre where a w×h box fits (taken for `owner`), or null. */
  place(owner, w, h, centres) {
    for (const c of centres) {
      if (!Number.isFinite(c.x) || !Number.isFinite(c.y) || !Number.isFinite(w) || !Number.isFinite(h)) continue;
      const box = { x: c.x - w / 2, y: c.y - h / 2, w, h };
      if (this.fits(box, owner)) {
        this.take(owner, box);
        return c;
      }
    }
    this.free(owner);
    return null;
  }
}

/** Candidate centres for a w×h label beside the path p→q (curved towards c): near the middle
 *  first, on `side` (+1: left of the direction of travel, -1: right) first. */
export function besidePath(p, q, c, w, h, side = 1) {
  const out = [];
  for (const t of [0.5, 0.4, 0.6, 0.3, 0.7, 0.22, 0.78]) {
    const m = at(p, q, c, t), m2 = at(p, q, c, Math.min(1, t + 0.01));
    const dx = m2.x - m.x, dy = m2.y - m.y, len = Math.hypot(dx, dy) || 1;
    const nx = dy / len, ny = -dx / len; // left of travel in screen coordinates
    const reach = Math.abs(nx) * (w / 2) + Math.abs(ny) * (h / 2) + 12;
    for (const s of [side, -side]) out.push({ x: m.x + nx * reach * s, y: m.y + ny * reach * s });
  }
  return out;
}
