// The backlog's packed readings: what unpackReadings gives back is what packReadings was given, to the bit
// (doubles, times, source ids in any script), and bytes that packReadings did not write are refused.
import { describe, expect, it } from 'vitest';
import { packReadings, unpackReadings } from './backlog-packing';

const READINGS = {
  sourceIds: ['a-1', '', 'Ωμέγα 🙂', 'tab\tand\nnewline', 'x'.repeat(1000)],
  at: [Date.UTC(2029, 0, 1), Date.UTC(1969, 11, 31, 23, 59, 59, 999), 0, -1, 8.64e15],
  values: [0.1 + 0.2, -0, Number.MAX_VALUE, 5e-324, -1234.5678],
};

describe('backlog packing', () => {
  it('gives back exactly the readings it packed', () => {
    const bytes = packReadings(READINGS);
    // Count, two doubles and a length per reading, and the ids' UTF-8 bytes.
    const idBytes = READINGS.sourceIds.reduce((n, s) => n + Buffer.byteLength(s), 0);
    expect(bytes.length).toBe(4 + 20 * 5 + idBytes);
    const back = unpackReadings(new Uint8Array(bytes));
    expect(back.sourceIds).toEqual(READINGS.sourceIds);
    expect(back.at).toEqual(READINGS.at);
    // Object.is tells -0 from 0, which toEqual would not.
    expect(back.values.map((v, k) => Object.is(v, READINGS.values[k]))).toEqual(
      READINGS.values.map(() => true),
    );
    expect(unpackReadings(packReadings({ sourceIds: [], at: [], values: [] }))).toEqual({
      sourceIds: [],
      at: [],
      values: [],
    });
  });

  it('refuses arrays of different lengths and bytes it did not write', () => {
    expect(() => packReadings({ sourceIds: ['a'], at: [], values: [1] })).toThrow(/1 source ids but 0 times/);
    const bytes = packReadings(READINGS);
    expect(() => unpackReadings(bytes.subarray(0, bytes.length - 1))).toThrow(/malformed/);
    expect(() => unpackReadings(Buffer.concat([bytes, Buffer.from([0])]))).toThrow(/malformed/);
    expect(() => unpackReadings(new Uint8Array(3))).toThrow(/malformed/);
    const huge = Buffer.from(bytes);
    huge.writeUInt32LE(1e9, 0);
    expect(() => unpackReadings(huge)).toThrow(/malformed/);
  });
});
