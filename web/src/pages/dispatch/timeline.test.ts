import { describe, expect, it } from 'vitest';
import { assignedAtFor, dayWindow, hourTicks, jobBlock, lanes, pctOf } from './timeline';

// local times, whatever the machine's zone
const at = (h: number, m = 0, day = 23) => new Date(2026, 10, day, h, m, 0, 0).getTime();
const iso = (t: number) => new Date(t).toISOString();

describe('dispatch timeline', () => {
  it('spans 08:00–20:00 and widens to keep now inside', () => {
    expect(dayWindow(at(10, 30))).toEqual({ start: at(8), end: at(20) });
    expect(dayWindow(at(6, 15))).toEqual({ start: at(6), end: at(20) });
    expect(dayWindow(at(22, 5))).toEqual({ start: at(8), end: at(23) });
    expect(dayWindow(at(23, 59)).end).toBe(at(0, 0, 24));
  });

  it('labels the hours and places instants in per cent', () => {
    const w = dayWindow(at(12));
    const ticks = hourTicks(w);
    expect(ticks).toHaveLength(13);
    expect(ticks[0]).toMatchObject({ label: '08:00', pct: 0 });
    expect(ticks[12]).toMatchObject({ label: '20:00', pct: 100 });
    expect(pctOf(w, at(14))).toBe(50);
    expect(pctOf(w, at(3))).toBe(0);
    expect(pctOf(w, at(23))).toBe(100);
  });

  it('draws a job from its assignment to its next promised time', () => {
    const w = dayWindow(at(12));
    const b = jobBlock({ assignedAt: iso(at(9)), reportedAt: iso(at(8, 30)), dueAt: iso(at(15)) }, w, at(12));
    expect(b.left).toBeCloseTo(100 / 12);
    expect(b.width).toBeCloseTo(50);
    expect(b).toMatchObject({ fromBefore: false, toAfter: false, overdue: false });
  });

  it('runs an overdue job (or one without a promise) to now, and clamps to the window', () => {
    const w = dayWindow(at(12));
    const overdue = jobBlock({ assignedAt: iso(at(7)), reportedAt: iso(at(6)), dueAt: iso(at(10)) }, w, at(12));
    expect(overdue).toMatchObject({ overdue: true, fromBefore: true, left: 0 });
    expect(overdue.width).toBeCloseTo(100 / 3);
    const yesterday = jobBlock({ assignedAt: null, reportedAt: iso(at(9, 0, 22)), dueAt: iso(at(9, 0, 25)) }, w, at(12));
    expect(yesterday).toMatchObject({ left: 0, width: 100, fromBefore: true, toAfter: true, overdue: false });
    const none = jobBlock({ assignedAt: iso(at(11, 50)), reportedAt: iso(at(11)), dueAt: null }, w, at(12));
    expect(none.end - none.start).toBe(30 * 60_000); // at least half an hour
  });

  it('keeps a late job visible at the right edge', () => {
    const w = dayWindow(at(12));
    const late = jobBlock({ assignedAt: iso(at(21)), reportedAt: iso(at(21)), dueAt: iso(at(23)) }, w, at(12));
    expect(late.left + late.width).toBeCloseTo(100);
    expect(late.width).toBeGreaterThanOrEqual(1.5);
  });

  it('stacks overlapping jobs into lanes', () => {
    expect(lanes([])).toEqual({ lane: [], count: 1 });
    expect(lanes([{ left: 0, width: 10 }, { left: 20, width: 10 }])).toEqual({ lane: [0, 0], count: 1 });
    expect(lanes([{ left: 10, width: 30 }, { left: 0, width: 20 }, { left: 35, width: 10 }, { left: 40, width: 5 }])).toEqual({ lane: [1, 0, 0, 1], count: 2 });
  });

  it('finds when a technician was assigned', () => {
    const a = [{ staff_id: 5, assigned_at: '2026-11-23T01:00:00Z' }, { staff_id: 9 }];
    expect(assignedAtFor(a, 5)).toBe('2026-11-23T01:00:00Z');
    expect(assignedAtFor(a, 9)).toBeNull();
    expect(assignedAtFor(undefined, 5)).toBeNull();
  });
});
