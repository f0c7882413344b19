// COPY's binary format as BinaryCopyWriter writes it, checked against PostgreSQL itself (PGlite): the bytes
// equal those its own COPY … TO (FORMAT binary) writes for the same row, and what a COPY FROM of ours stores
// reads back as the values given, to the bit.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PGlite } from '@electric-sql/pglite';
import { BinaryCopyWriter } from './binary-copy';

interface Row {
  t: string;
  f: number | null;
  at: number;
  b: boolean;
}

const ROWS: Row[] = [
  { t: 'plain', f: 1.5, at: Date.UTC(2029, 0, 1, 0, 0, 0, 123), b: true },
  // Text COPY would have to escape these; UTF-8 of more than one byte per character.
  {
    t: 'tab\there \\ new\nline\r "q" — Ωμέγα 🙂',
    f: null,
    at: Date.UTC(1999, 11, 31, 23, 59, 59, 999),
    b: false,
  },
  // Doubles whose shortest text is long, a negative zero, extremes; times before 1970 and far from 2000.
  { t: '', f: 0.1 + 0.2, at: Date.UTC(1900, 1, 28, 12), b: true },
  { t: 'x', f: -0, at: Date.UTC(2400, 0, 1), b: false },
  { t: 'y', f: Number.MAX_VALUE, at: Date.UTC(1000, 5, 15), b: true },
  { t: 'z', f: 5e-324, at: Date.UTC(9999, 11, 31, 23, 59, 59, 999), b: false },
  // Short text is copied byte by byte until a character beyond ASCII: one after an ASCII start, one at 32.
  { t: 'id-7 Ω', f: 2, at: Date.UTC(2029, 0, 1), b: true },
  { t: `${'a'.repeat(31)}é`, f: 3, at: Date.UTC(2029, 0, 1), b: false },
  { t: 'a'.repeat(33), f: 4, at: Date.UTC(2029, 0, 1), b: true },
];

function encode(rows: Row[], hint?: number): Uint8Array<ArrayBuffer> {
  const w = new BinaryCopyWriter(hint);
  for (const r of rows) {
    w.row(4);
    w.text(r.t);
    w.float8OrNull(r.f);
    w.timestamp(r.at);
    w.bool(r.b);
  }
  return w.finish();
}

describe('BinaryCopyWriter', () => {
  let pg: PGlite;
  beforeAll(async () => {
    pg = new PGlite();
    await pg.exec('create table t (t text not null, f float8, at timestamptz not null, b boolean not null)');
  }, 120_000);
  afterAll(async () => {
    await pg.close();
  });

  it('writes the bytes PostgreSQL writes for the same rows', async () => {
    // The double as text ('-0' kept: a number parameter would be sent as String(-0), which is '0').
    const text = (x: number | null) => (x === null ? null : Object.is(x, -0) ? '-0' : String(x));
    for (const r of ROWS)
      await pg.query('insert into t values ($1, $2::float8, $3, $4)', [r.t, text(r.f), new Date(r.at), r.b]);
    // Insertion order is the heap's order in a fresh table with no updates.
    const out = await pg.query("copy t to '/dev/blob' with (format binary)");
    const theirs = new Uint8Array(await (out.blob as Blob).arrayBuffer());
    expect(theirs.length).toBeGreaterThan(100);
    expect(Buffer.from(encode(ROWS)).equals(Buffer.from(theirs))).toBe(true);
    await pg.exec('truncate t');
  });

  it('stores what it was given, to the bit, through COPY FROM, whatever the starting size of its buffer', async () => {
    for (const hint of [undefined, 1]) {
      await pg.query("copy t from '/dev/blob' with (format binary)", [], {
        blob: new Blob([encode(ROWS, hint)]),
      });
      const { rows } = await pg.query<{ t: string; f: number | null; ms: string; b: boolean }>(
        `select t, f, (extract(epoch from at) * 1000)::bigint::text as ms, b from t`,
      );
      expect(rows.map((r) => r.t)).toEqual(ROWS.map((r) => r.t));
      expect(rows.map((r) => (r.f === null ? null : Object.is(r.f, -0) ? '-0' : r.f))).toEqual(
        ROWS.map((r) => (r.f === null ? null : Object.is(r.f, -0) ? '-0' : r.f)),
      );
      expect(rows.map((r) => Number(r.ms))).toEqual(ROWS.map((r) => r.at));
      expect(rows.map((r) => r.b)).toEqual(ROWS.map((r) => r.b));
      await pg.exec('truncate t');
    }
  });

  it('writes integers and byte strings as PostgreSQL does, and stores them as given', async () => {
    await pg.exec('create table ib (n integer, b bytea)');
    const cases: [number, number[]][] = [
      [0, []],
      [-1, [0]],
      [2147483647, [0xff, 0x00, 0x7f, 0x80]],
      [-2147483648, Array.from({ length: 300 }, (_, k) => (k * 37) % 256)],
    ];
    for (const [n, b] of cases) await pg.query('insert into ib values ($1, $2)', [n, new Uint8Array(b)]);
    const out = await pg.query("copy ib to '/dev/blob' with (format binary)");
    const theirs = Buffer.from(await (out.blob as Blob).arrayBuffer());
    // A small starting buffer, so that the byte strings make it grow.
    const w = new BinaryCopyWriter(1);
    for (const [n, b] of cases) {
      w.row(2);
      w.int4(n);
      w.bytes(new Uint8Array(b));
    }
    const ours = w.finish();
    expect(Buffer.from(ours).equals(theirs)).toBe(true);
    await pg.exec('truncate ib');
    await pg.query("copy ib from '/dev/blob' with (format binary)", [], { blob: new Blob([ours]) });
    const { rows } = await pg.query<{ n: number; b: Uint8Array }>('select n, b from ib');
    expect(rows.map((r) => [r.n, [...r.b]])).toEqual(cases);
  });

  it('an empty copy is the header and the end marker alone', () => {
    const bytes = encode([]);
    expect([...bytes]).toEqual([
      ...[0x50, 0x47, 0x43, 0x4f, 0x50, 0x59, 0x0a, 0xff, 0x0d, 0x0a, 0x00],
      ...[0, 0, 0, 0],
      ...[0, 0, 0, 0],
      ...[0xff, 0xff],
    ]);
  });
});
