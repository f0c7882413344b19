// Benchmark: library search over 100,000 generated records with access filtering on (a mix of public,
// subtree, credential and named records; readers of every kind), on PGlite and on PostgreSQL. The peer in
// the same run is the same search without access filtering (the system reader): the ratio is what the
// access condition costs. `check` verifies, for every query, that no hit is a record the reader may not see
// (by `maySee`, the rule in code), and, for queries on a word unique to one record, that a visible record
// is found and a hidden one is not.
//   npm run bench -- search [--size N]      (PostgreSQL at TEST_DATABASE_URL, default 127.0.0.1:5432/test;
//   OGAS_BENCH_STORES=pglite or =postgres to run one store)
import { buildApp, type App } from '../src/app/container';
import { ManualClock } from '../src/core/clock';
import type { Principal, Role } from '../src/core/principal';
import { SYSTEM } from '../src/core/principal';
import { maySee, type AccessKind, type RecordGate } from '../src/library/library';
import { LibraryRepository, type NewRecord, type NewVersion } from '../src/library/library.repository';
import { Random } from '../src/numeric/synthetic/random';
import { openStore } from '../src/store/connect';
import { openTestStore, type Backend } from '../src/store/test-store';
import type { BenchOptions } from './run';

const QUERIES = 200;

function words(rng: Random, n: number): string[] {
  const syll = ['ka', 'lo', 'mi', 'ru', 'te', 'sa', 'vo', 'ne', 'pi', 'da', 'go', 'fu', 'ze', 'bri', 'str'];
  return Array.from({ length: n }, () => {
    let w = '';
    const len = 2 + rng.int(3);
    for (let i = 0; i < len; i += 1) w += syll[rng.int(syll.length)];
    return w;
  });
}

interface Setup {
  app: App;
  readers: Principal[];
  gates: Map<string, RecordGate>;
  uniqueWord: Map<string, string>;
  vocabulary: string[];
}

async function setup(backend: Backend, size: number): Promise<Setup> {
  process.env.TEST_DATABASE_URL ??= 'postgres://postgres@127.0.0.1:5432/test';
  const store =
    backend === 'pglite' ? await openStore({ home: 'memory://' }) : await openTestStore('postgres');
  const clock = new ManualClock('2026-06-01T00:00:00Z');
  const app = buildApp(store, clock, { compute: undefined });
  const rng = new Random(20260601);
  const h = app.services.holarchy;
  const root = await h.create({ parentId: null, name: 'Federation', kind: 'economy', public: true } as never);
  const units: { id: string; path: string }[] = [root];
  for (let s = 0; s < 5; s += 1) {
    const sector = await h.create({ parentId: root.id, name: `Sector ${s}`, kind: 'sector' } as never);
    units.push(sector);
    for (let e = 0; e < 5; e += 1) {
      const ent = await h.create({
        parentId: sector.id,
        name: `Enterprise ${s}.${e}`,
        kind: 'enterprise',
      } as never);
      units.push(ent);
      for (let k = 0; k < 2; k += 1) {
        units.push(await h.create({ parentId: ent.id, name: `Shop ${s}.${e}.${k}`, kind: 'shop' } as never));
      }
    }
  }
  const repo = new LibraryRepository(store.db);
  const credentials = ['crane operator', 'structural engineer', 'certified welder 3'];
  for (const c of credentials)
    await repo.defineCredential({ name: c, unitId: root.id, description: '', at: clock.now() });
  const roles: Role[] = ['member', 'manager', 'planner', 'auditor'];
  const people: string[] = [];
  for (let i = 0; i < 20; i += 1) {
    const p = await app.services.auth.register({
      email: `r${i}@bench.test`,
      name: `Reader ${i}`,
      password: 'correct horse battery',
    });
    people.push(p.id);
    await app.services.auth.grant(
      p.id,
      units[1 + rng.int(units.length - 1)]!.id,
      roles[rng.int(roles.length)]!,
    );
    if (i % 3 === 0)
      await repo.grantCredential({
        credential: credentials[i % 3]!,
        personId: p.id,
        by: 'system',
        at: clock.now(),
      });
  }
  const vocabulary = words(rng, 3000);
  const gates = new Map<string, RecordGate>();
  const uniqueWord = new Map<string, string>();
  const types = ['drawing', 'standard', 'procedure', 'report', 'dataset', 'paper'];
  const pathOf = new Map(units.map((u) => [u.id, u.path]));
  for (let start = 0; start < size; start += 5000) {
    const records: NewRecord[] = [];
    const versions: NewVersion[] = [];
    for (let i = start; i < Math.min(size, start + 5000); i += 1) {
      const id = `lr_b${i}`;
      const unit = units[rng.int(units.length)]!;
      const roll = rng.next();
      const access: AccessKind =
        roll < 0.4 ? 'public' : roll < 0.7 ? 'subtree' : roll < 0.85 ? 'credential' : 'named';
      const accessUnit = units[rng.int(units.length)]!;
      const rec: NewRecord = {
        id,
        unitId: unit.id,
        type: types[rng.int(types.length)]!,
        access,
        accessUnitId: access === 'subtree' ? accessUnit.id : null,
        accessUnitPath: access === 'subtree' ? accessUnit.path : null,
        credential: access === 'credential' ? credentials[rng.int(credentials.length)]! : null,
        declassifyAt:
          access !== 'public' && rng.next() < 0.1
            ? new Date(clock.now().getTime() + (rng.next() - 0.5) * 2e10)
            : null,
        readerPeople: access === 'named' ? [people[rng.int(people.length)]!] : [],
        readerRoles: access === 'named' && rng.next() < 0.5 ? [roles[rng.int(roles.length)]!] : [],
        createdBy: 'system',
        createdAt: clock.now(),
      };
      const unique = `uq${i.toString(36)}x`;
      uniqueWord.set(unique, id);
      const pick = (n: number) =>
        Array.from({ length: n }, () => vocabulary[Math.floor(vocabulary.length * rng.next() ** 2)]!);
      records.push(rec);
      versions.push({
        id: `lv_b${i}`,
        recordId: id,
        number: 1,
        title: pick(6).join(' '),
        authors: [],
        abstract: `${pick(30).join(' ')} ${unique}`,
        keywords: pick(3),
        products: [`P${rng.int(40)}`],
        technologies: [],
        licence: 'CC-BY-4.0',
        note: '',
        body: pick(60).join(' '),
        year: 2015 + rng.int(12),
        publishedAt: new Date(clock.now().getTime() - rng.int(3e9) * 100),
        publishedBy: 'system',
        files: [],
      });
      gates.set(id, {
        unitPath: pathOf.get(rec.unitId)!,
        access: rec.access,
        accessUnitPath: rec.accessUnitPath,
        credential: rec.credential,
        declassifyAt: rec.declassifyAt,
        readerPeople: rec.readerPeople,
        readerRoles: rec.readerRoles,
      });
    }
    await repo.bulkInsert(records, versions);
  }
  const { sql } = await import('kysely');
  await sql`analyze`.execute(store.db);
  const readers: Principal[] = [{ kind: 'anonymous' }];
  for (const id of people) readers.push(await app.services.auth.principalOf(id));
  return { app, readers, gates, uniqueWord, vocabulary };
}

function quantile(sorted: number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
}

export default async function searchBench(opts: BenchOptions): Promise<void> {
  const size = opts.size ?? 100_000;
  // OGAS_BENCH_STORES=postgres (or pglite) runs one store only; both by default.
  const only = process.env.OGAS_BENCH_STORES?.split(',');
  const stores = (['pglite', 'postgres'] as const).filter((b) => !only || only.includes(b));
  for (const backend of stores) {
    const loadStart = performance.now();
    const s = await setup(backend, size);
    const loadSeconds = (performance.now() - loadStart) / 1000;
    const rng = new Random(7);
    const uniques = [...s.uniqueWord.keys()];
    const filtered: number[] = [];
    const unfiltered: number[] = [];
    let leaks = 0;
    let uniqueChecked = 0;
    let uniqueWrong = 0;
    let hitsSeen = 0;
    for (let i = 0; i < QUERIES; i += 1) {
      const reader = s.readers[i % s.readers.length]!;
      const kind = i % 4;
      const q =
        kind === 0
          ? uniques[rng.int(uniques.length)]!
          : kind === 1
            ? `${s.vocabulary[rng.int(300)]} ${s.vocabulary[rng.int(300)]}`
            : s.vocabulary[rng.int(kind === 2 ? 100 : 3000)]!;
      const t0 = performance.now();
      const r = await s.app.services.library.search(reader, { q, limit: 20, offset: 0 });
      filtered.push(performance.now() - t0);
      const t1 = performance.now();
      await s.app.services.library.search(SYSTEM, { q, limit: 20, offset: 0 });
      unfiltered.push(performance.now() - t1);
      const rd = await s.app.services.library.reader(reader);
      const now = s.app.clock.now();
      hitsSeen += r.hits.length;
      for (const h of r.hits) if (!maySee(rd, s.gates.get(h.recordId)!, now)) leaks += 1;
      if (kind === 0) {
        uniqueChecked += 1;
        const id = s.uniqueWord.get(q)!;
        const shouldSee = maySee(rd, s.gates.get(id)!, now);
        const found = r.hits.some((h) => h.recordId === id);
        if (found !== shouldSee || r.total !== (shouldSee ? 1 : 0)) uniqueWrong += 1;
      }
    }
    await s.app.close();
    filtered.sort((a, b) => a - b);
    unfiltered.sort((a, b) => a - b);
    const median = quantile(filtered, 0.5);
    const peerMedian = quantile(unfiltered, 0.5);
    console.log(
      JSON.stringify({
        bench: 'search',
        store: backend,
        size,
        queries: QUERIES,
        median_ms: Number(median.toFixed(2)),
        p99_ms: Number(quantile(filtered, 0.99).toFixed(2)),
        peer: 'the same searches without access filtering',
        peer_median_ms: Number(peerMedian.toFixed(2)),
        ratio: Number((median / peerMedian).toFixed(3)),
        load_s: Number(loadSeconds.toFixed(1)),
        check:
          leaks === 0 && uniqueWrong === 0
            ? `ok (${hitsSeen} hits, none hidden from its reader; ${uniqueChecked} unique-word queries found exactly the visible record)`
            : `FAILED (${leaks} hidden hits, ${uniqueWrong} of ${uniqueChecked} unique-word queries wrong)`,
      }),
    );
  }
}
