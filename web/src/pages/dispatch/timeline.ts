// The technicians' day on the dispatch board: today's working window and where each assigned job sits
// in it. Pure (no React, no clock reads: `now` is passed in); unit-tested.

export const DAY_START_HOUR = 8;
export const DAY_END_HOUR = 20;
const HOUR = 3600_000;

export interface DayWindow {
  start: number;
  end: number;
}

/**
 * Today's working window (08:00–20:00 local time), widened to whole hours so that `now` is always
 * inside it (a dispatcher on the night shift still sees where "now" is).
 */
export function dayWindow(now: number, startHour = DAY_START_HOUR, endHour = DAY_END_HOUR): DayWindow {
  const d = new Date(now);
  const hour = d.getHours();
  const at = (h: number) => new Date(d.getFullYear(), d.getMonth(), d.getDate(), h, 0, 0, 0).getTime();
  return { start: at(Math.min(startHour, hour)), end: at(Math.max(endHour, hour + 1)) };
}

/** The full hours of the window, for the scale: [{at, label: "08:00"}, …]. */
export function hourTicks(w: DayWindow): { at: number; label: string; pct: number }[] {
  const out: { at: number; label: string; pct: number }[] = [];
  for (let t = w.start; t <= w.end; t += HOUR) {
    out.push({ at: t, label: `${String(new Date(t).getHours()).padStart(2, '0')}:00`, pct: pctOf(w, t) });
  }
  return out;
}

/** Position of an instant in the window, 0–100 (clamped). */
export function pctOf(w: DayWindow, t: number): number {
  return Math.min(100, Math.max(0, ((t - w.start) / (w.end - w.start)) * 100));
}

export interface JobTimes {
  /** when this technician was given the job (falls back to the report time) */
  assignedAt: string | null;
  reportedAt: string;
  /** the next promised time of the request, if any */
  dueAt: string | null;
}

export interface Block {
  /** left edge and width in % of the window */
  left: number;
  width: number;
  start: number;
  end: number;
  /** the job began before the window / runs on past it */
  fromBefore: boolean;
  toAfter: boolean;
  /** its next promised time has passed */
  overdue: boolean;
}

const MIN_WIDTH = 1.5;
const MIN_SPAN = 30 * 60_000;

/**
 * A job as a block on today's line: from when it was assigned to its next promised time (the time the
 * technician has for it); a job without a future promise runs to now. Every open job is drawn, clamped
 * into the window, at least `MIN_WIDTH` % wide.
 */
export function jobBlock(job: JobTimes, w: DayWindow, now: number): Block {
  const parse = (s: string | null) => (s ? Date.parse(s) : NaN);
  let start = parse(job.assignedAt);
  if (Number.isNaN(start)) start = parse(job.reportedAt);
  if (Number.isNaN(start)) start = now;
  const due = parse(job.dueAt);
  const overdue = !Number.isNaN(due) && due <= now;
  // the time it has: up to the promise; past the promise (or without one) it is still open now
  let end = !overdue && !Number.isNaN(due) && due > start ? due : Math.max(now, start);
  if (end - start < MIN_SPAN) end = start + MIN_SPAN;
  const fromBefore = start < w.start;
  const toAfter = end > w.end;
  let left = pctOf(w, start);
  let right = pctOf(w, end);
  if (right - left < MIN_WIDTH) {
    if (left + MIN_WIDTH <= 100) right = left + MIN_WIDTH;
    else left = right - MIN_WIDTH;
  }
  return { left, width: right - left, start, end, fromBefore, toAfter, overdue };
}

/**
 * Stacks overlapping blocks into lanes (first fit, by start), so two jobs at once stay readable.
 * Answers the lane of each block, in input order, and the number of lanes.
 */
export function lanes(blocks: readonly Pick<Block, 'left' | 'width'>[]): { lane: number[]; count: number } {
  const order = blocks.map((_, i) => i).sort((a, b) => blocks[a].left - blocks[b].left);
  const laneEnds: number[] = [];
  const lane = new Array<number>(blocks.length).fill(0);
  for (const i of order) {
    const b = blocks[i];
    let l = laneEnds.findIndex((endPct) => endPct <= b.left);
    if (l === -1) {
      l = laneEnds.length;
      laneEnds.push(0);
    }
    laneEnds[l] = b.left + b.width;
    lane[i] = l;
  }
  return { lane, count: Math.max(1, laneEnds.length) };
}

/** When `staffId` was assigned, from a request detail's `assignees` (null when unknown). */
export function assignedAtFor(assignees: readonly { staff_id?: number; id?: number; assigned_at?: string | null }[] | undefined, staffId: number): string | null {
  const a = (assignees ?? []).find((x) => Number(x.staff_id ?? x.id) === staffId);
  return a?.assigned_at ?? null;
}
