import { describe, expect, it } from 'vitest';
import { customerStage, fieldErrorsFor, formatDuration, riskOf, STATES, toTreeOptions } from './model';

describe('ticket model', () => {
  const now = Date.parse('2026-11-23T12:00:00Z');

  it('colours a clock by risk, live', () => {
    expect(riskOf('on_track', '2026-11-23T13:00:00Z', now)).toBe('on_track');
    expect(riskOf('at_risk', '2026-11-23T13:00:00Z', now)).toBe('at_risk');
    expect(riskOf('on_track', '2026-11-23T11:59:59Z', now)).toBe('breached');
    expect(riskOf('breached', null, now)).toBe('none');
  });

  it('formats durations with days and sign', () => {
    expect(formatDuration(0)).toBe('00:00:00');
    expect(formatDuration(3725)).toBe('01:02:05');
    expect(formatDuration(-300)).toBe('-00:05:00');
    expect(formatDuration(90061)).toBe('1d 01:01:01');
  });

  it('maps every state to a plain customer stage', () => {
    for (const s of STATES) expect(customerStage(s)).toBeTruthy();
    expect(customerStage('en_route')).toBe('scheduled');
    expect(customerStage('plan_approved')).toBe('planning');
    expect(customerStage('archived')).toBe('done');
  });

  it('turns problem field paths into antd names', () => {
    expect(fieldErrorsFor([{ field: 'measurements[0].value', message: 'bad' }, { field: 'findings', rule: 'required' }])).toEqual([
      { name: ['measurements', 0, 'value'], errors: ['bad'] },
      { name: ['findings'], errors: ['required'] },
    ]);
  });

  it('builds tree options', () => {
    expect(toTreeOptions([{ id: 1, name: 'a', children: [{ id: 2, name: 'b', children: [] }] }])).toEqual([
      { title: 'a', value: 1, children: [{ title: 'b', value: 2 }] },
    ]);
  });
});

import { visibleActions } from './model';
describe('visibleActions', () => {
  it('shows the allowed actions, plus dispatch for a dispatcher on a responded request', () => {
    expect(visibleActions('triaged', ['contact_customer', 'pause'], 'agent')).toEqual(['contact_customer', 'pause']);
    expect(visibleActions('responded', ['pause'], 'dispatcher')).toEqual(['dispatch', 'pause']);
    expect(visibleActions('responded', ['pause'], 'technician')).toEqual(['pause']);
    expect(visibleActions('responded', ['dispatch', 'pause'], 'service_manager')).toEqual(['dispatch', 'pause']);
  });
});
