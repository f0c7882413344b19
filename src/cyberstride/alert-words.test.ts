// Alerts in the operator's words, and alert episodes (one alert per problem), as pure rules.
import { describe, expect, it } from 'vitest';
import { alertEpisodes } from './alert-episodes';
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
  it('opens one alert per problem and closes it after the quiet stretch', () => {
    const { episodes, gate } = alertEpisodes(20, [2, 3, 5, 15], { open: false, quiet: 0 }, 4);
    expect(episodes).toEqual([
      { continues: false, signals: [2, 3, 5], closedAt: 9 },
      { continues: false, signals: [15], closedAt: 19 },
    ]);
    expect(gate).toEqual({ open: false, quiet: 4 });
  });
  it('continues the alert already open before the batch, and counts quiet readings across batches', () => {
    const first = alertEpisodes(3, [], { open: true, quiet: 0 }, 5);
    expect(first).toEqual({ episodes: [], gate: { open: true, quiet: 3 } });
    const second = alertEpisodes(3, [], first.gate, 5);
    expect(second.episodes).toEqual([{ continues: true, signals: [], closedAt: 1 }]);
    expect(second.gate).toEqual({ open: false, quiet: 6 });
  });
});
