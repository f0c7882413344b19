// Alerts in the operator's words, and alert episodes (one alert per problem), as pure rules.
import { describe, expect, it } from 'vitest';
import { alertEpisodes, reportingInterval } from './alert-episodes';
import { alertSentence, roundForPeople } from './alert-words';

describe('alert words', () => {
  const at = new Date('2026-03-01T10:05:00Z');
  it('rounds numbers for people', () => {
    expect(roundForPeople(42.875)).toBe('43');
    expect(roundForPeople(12345.6)).toBe('12,346');
    expect(roundForPeople(0.012345)).toBe('0.012');
    expect(roundForPeople(3.14159)).toBe('3.1');
    expect(roundForPeople(0)).toBe('0');
  });
  it('names the indicator, the direction, the usual level, the reading with its measure and the time', () => {
    const words = alertSentence(
      { name: 'Cars finished per hour', measure: 'cars' },
      { value: 0, at, usual: 42.875, rule: 'western-electric-1' },
    );
    expect(words).toBe('Cars finished per hour fell from about 43 to 0 cars at 10:05 UTC on 1 Mar.');
  });
  it('says what was expected when the level did not move', () => {
    const words = alertSentence(
      { name: 'Oven temperature', measure: '°C' },
      { value: 200.2, at, usual: 200.4, expected: { lower: 180.3, upper: 190.7 }, rule: 'unusual-pattern' },
    );
    expect(words).toBe(
      'Oven temperature behaved unusually at 10:05 UTC on 1 Mar: 200 °C, where 180 to 191 was expected.',
    );
  });
});

describe('alert episodes', () => {
  /** Readings one minute apart from `from`. */
  const minutes = (n: number, from = 0) => Array.from({ length: n }, (_, i) => (from + i) * 60_000);

  it('opens one alert per problem and closes it after a quiet span of time', () => {
    const { episodes, gate } = alertEpisodes(
      minutes(20),
      [2, 3, 5, 15],
      { open: false, quiet: 0, lastAt: null },
      240,
    );
    expect(episodes).toEqual([
      { continues: false, signals: [2, 3, 5], closedAt: 9 },
      { continues: false, signals: [15], closedAt: 19 },
    ]);
    expect(gate).toEqual({ open: false, quiet: 240, lastAt: 19 * 60_000 });
  });

  it('continues the alert already open before the batch, and counts quiet time across batches', () => {
    const first = alertEpisodes(minutes(3, 1), [], { open: true, quiet: 0, lastAt: 0 }, 300);
    expect(first).toEqual({ episodes: [], gate: { open: true, quiet: 180, lastAt: 180_000 } });
    const second = alertEpisodes(minutes(3, 4), [], first.gate, 300);
    expect(second.episodes).toEqual([{ continues: true, signals: [], closedAt: 1 }]);
    expect(second.gate).toEqual({ open: false, quiet: 360, lastAt: 360_000 });
  });

  it('counts time, not readings: a gap in reporting is quiet time', () => {
    const times = [0, 60_000, 7_200_000];
    const { episodes } = alertEpisodes(times, [0], { open: false, quiet: 0, lastAt: null }, 3600);
    expect(episodes).toEqual([{ continues: false, signals: [0], closedAt: 2 }]);
  });

  it('takes the reporting interval from the cadence, else the batch spacing, else the fallback', () => {
    expect(reportingInterval(minutes(5), 3600, 300)).toBe(3600);
    expect(reportingInterval(minutes(5), null, 300)).toBe(60);
    expect(reportingInterval(minutes(2), null, 300)).toBe(300);
  });
});
