// Checks the alert de-duplication rule: one open alert per series, a new one only after N quiet readings.
import { describe, expect, it } from 'vitest';
import { CLOSED_GATE, passAlertGate } from './alert-gate';

function raises(flags: boolean[], quiet: number): number[] {
  let gate = CLOSED_GATE;
  const out: number[] = [];
  flags.forEach((f, i) => {
    const r = passAlertGate(gate, f, quiet);
    gate = r.gate;
    if (r.raise) out.push(i);
  });
  return out;
}

describe('alert gate', () => {
  it('opens one alert for a flapping series and a second only after 3 quiet readings', () => {
    const flags = [true, false, true, false, false, true, false, false, false, true];
    expect(raises(flags, 3)).toEqual([0, 9]);
  });

  it('marks a critical reading on an open alert as an update, not a new alert', () => {
    const first = passAlertGate(CLOSED_GATE, true, 5);
    const second = passAlertGate(first.gate, true, 5);
    expect([first.raise, first.update, second.raise, second.update]).toEqual([true, false, false, true]);
  });
});
