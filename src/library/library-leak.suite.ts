// The no-leak property: for generated libraries (records on random units with random access levels,
// credentials, named readers and declassification dates), readers and queries, nothing the library returns
// to a reader — hits, totals, facets, snippets, suggestions, records, version lists, citations — contains a
// word that appears only in records hidden from that reader. And search finds exactly the visible records
// that hold the word: the SQL condition and the rule in library.ts (`maySee`) agree.
import fc from 'fast-check';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ANONYMOUS, SYSTEM, type Principal } from '../core/principal';
import type { Backend } from '../store/test-store';
import { createTestApp, smallTree, type TestApp } from '../testing/test-app';
import { maySee, type RecordAccess, type RecordGate } from './library';

// Made-up words: no stemmer folds one into another, and none occurs in any other text we store.
const WORDS = [
  'zorblax',
  'quenfit',
  'marvostel',
  'plindrake',
  'gravutex',
  'snorquill',
  'tabrinol',
  'veskamor',
];
const PRODUCTS = ['PRODKAPPA', 'PRODLAMBDA', 'PRODSIGMA'];
const CREDENTIALS = ['crane operator', 'boiler inspector'];

interface GenRecord {
  unit: number;
  access: 'public' | 'subtree' | 'credential' | 'named';
  accessUnit: number;
  credential: number;
  people: number[];
  roles: ('member' | 'manager' | 'planner')[];
  declassify: 'none' | 'past' | 'future';
  title: number[];
  body: number[];
  product: number;
}

const genRecord: fc.Arbitrary<GenRecord> = fc.record({
  unit: fc.nat(5),
  access: fc.constantFrom('public', 'subtree', 'credential', 'named'),
  accessUnit: fc.nat(5),
  credential: fc.nat(1),
  people: fc.uniqueArray(fc.nat(5), { maxLength: 2 }),
  roles: fc.uniqueArray(fc.constantFrom('member', 'manager', 'planner'), { maxLength: 2 }),
  declassify: fc.constantFrom('none', 'none', 'past', 'future'),
  title: fc.array(fc.nat(WORDS.length - 1), { minLength: 1, maxLength: 2 }),
  body: fc.array(fc.nat(WORDS.length - 1), { maxLength: 3 }),
  product: fc.nat(PRODUCTS.length - 1),
});

export function leakSuite(backend: Backend, runs: number): void {
  describe(`library leaks nothing on ${backend}`, () => {
    let app: TestApp;
    let units: { id: string; path: string }[];
    let readers: Principal[];
    let people: string[];

    beforeAll(async () => {
      app = await createTestApp(backend);
      const t = await smallTree(app);
      units = [t.root, t.energy, t.food, t.plant, t.bakery, t.turbine];
      for (const [i, name] of CREDENTIALS.entries()) {
        await app.call('library.credential.define', { unitId: i === 0 ? t.energy.id : t.food.id, name });
      }
      const mk = async (
        email: string,
        grants: [string, 'member' | 'manager' | 'planner'][],
        creds: number[],
      ) => {
        const who = await app.person(email, grants);
        const id = who.kind === 'person' ? who.personId : '';
        for (const c of creds)
          await app.call('library.credential.grant', { credential: CREDENTIALS[c], personId: id });
        return who;
      };
      readers = [
        await mk('turbine@leak.test', [[t.turbine.id, 'member']], [0]),
        await mk('plant@leak.test', [[t.plant.id, 'manager']], []),
        await mk('energy@leak.test', [[t.energy.id, 'planner']], [1]),
        await mk('bakery@leak.test', [[t.bakery.id, 'member']], [1]),
        await mk(
          'food@leak.test',
          [
            [t.food.id, 'planner'],
            [t.turbine.id, 'member'],
          ],
          [],
        ),
        await mk('nobody@leak.test', [], [0]),
      ];
      people = readers.map((r) => (r.kind === 'person' ? r.personId : ''));
      readers.push(ANONYMOUS);
    });
    afterAll(() => app.close());

    const accessOf = (g: GenRecord): RecordAccess => {
      switch (g.access) {
        case 'public':
          return { level: 'public' };
        case 'subtree':
          return { level: 'subtree', unitId: units[g.accessUnit]!.id };
        case 'credential':
          return { level: 'credential', credential: CREDENTIALS[g.credential]! };
        case 'named':
          return {
            level: 'named',
            people: g.people.map((i) => people[i]!),
            roles: g.people.length === 0 && g.roles.length === 0 ? ['manager'] : g.roles,
          };
      }
    };

    it('returns no word of a hidden record, and finds every visible one', async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.array(genRecord, { minLength: 1, maxLength: 10 }),
          fc.array(fc.constantFrom(...WORDS), { minLength: 1, maxLength: 3 }),
          async (library, queryWords) => {
            await sql`truncate library_events, library_files, library_readers, library_versions, library_records`.execute(
              app.store.db,
            );
            const now = app.clock.now().getTime();
            const stored: { id: string; words: Set<string> }[] = [];
            for (const [n, g] of library.entries()) {
              const title = g.title.map((i) => WORDS[i]!).join(' ');
              const body = g.body.map((i) => WORDS[i]!).join(' ');
              const declassifyAt =
                g.declassify === 'none'
                  ? null
                  : new Date(now + (g.declassify === 'past' ? -1 : 1) * 86_400_000).toISOString();
              const r = (await app.call('library.record.publish', {
                unitId: units[g.unit]!.id,
                type: 'report',
                title: `${title} ${n}`,
                text: body,
                products: [PRODUCTS[g.product]!],
                keywords: [title],
                access: accessOf(g),
                declassifyAt,
              })) as { recordId: string };
              stored.push({
                id: r.recordId,
                words: new Set(
                  [...title.split(' '), ...body.split(' '), PRODUCTS[g.product]!].filter(Boolean),
                ),
              });
            }
            const gates = new Map<string, RecordGate>();
            for (const s of stored) {
              const row = (
                await sql<{
                  unit_path: string;
                  access: 'public' | 'subtree' | 'credential' | 'named';
                  access_unit_path: string | null;
                  access_credential: string | null;
                  declassify_at: Date | null;
                }>`select u.path as unit_path, r.access, r.access_unit_path, r.access_credential, r.declassify_at
                   from library_records r join units u on u.id = r.unit_id where r.id = ${s.id}`.execute(
                  app.store.db,
                )
              ).rows[0]!;
              const readersOf = await sql<{ person_id: string | null; role: string | null }>`
                select person_id, role from library_readers where record_id = ${s.id}`.execute(app.store.db);
              gates.set(s.id, {
                unitPath: row.unit_path,
                access: row.access,
                accessUnitPath: row.access_unit_path,
                credential: row.access_credential,
                declassifyAt: row.declassify_at,
                readerPeople: readersOf.rows.flatMap((x) => (x.person_id ? [x.person_id] : [])),
                readerRoles: readersOf.rows.flatMap((x) => (x.role ? [x.role] : [])),
              });
            }
            for (const [ri, reader] of readers.entries()) {
              const rd = await app.services.library.reader(reader);
              const visible = new Set(
                stored.filter((s) => maySee(rd, gates.get(s.id)!, app.clock.now())).map((s) => s.id),
              );
              const seen = new Set(stored.filter((s) => visible.has(s.id)).flatMap((s) => [...s.words]));
              const secret = new Set(
                stored
                  .filter((s) => !visible.has(s.id))
                  .flatMap((s) => [...s.words].filter((w) => !seen.has(w))),
              );
              const answers: unknown[] = [];
              const q = queryWords.join(' or ');
              const found = (await app.call('library.search', { q, limit: 100 }, reader)) as {
                total: number;
                hits: { recordId: string }[];
              };
              answers.push(found);
              const expected = stored
                .filter((s) => visible.has(s.id) && queryWords.some((w) => s.words.has(w)))
                .map((s) => s.id)
                .sort();
              expect(found.hits.map((h) => h.recordId).sort()).toEqual(expected);
              expect(found.total).toBe(expected.length);
              const all = (await app.call('library.search', { q: '', limit: 100 }, reader)) as {
                hits: { recordId: string }[];
              };
              answers.push(all);
              expect(all.hits.map((h) => h.recordId).sort()).toEqual([...visible].sort());
              for (const product of PRODUCTS) {
                answers.push(await app.call('library.search', { q: queryWords[0], product }, reader));
              }
              for (const w of queryWords) {
                answers.push(await app.call('library.suggest', { prefix: w.slice(0, 3) }, reader));
              }
              for (const s of stored) {
                // Every record is read by every reader; citations in turn, one format each (both cover the same rule).
                for (const call of [
                  () => app.call('library.record.get', { recordId: s.id }, reader),
                  () =>
                    app.call(
                      'library.cite',
                      { recordId: s.id, format: ri % 2 === 0 ? 'csl-json' : 'bibtex' },
                      reader,
                    ),
                ]) {
                  const out = await call().then(
                    (x) => x,
                    (e: { kind?: string; message?: string }) => ({ refused: e.kind, message: e.message }),
                  );
                  answers.push(out);
                  const refused = (out as { refused?: string }).refused;
                  expect(refused === undefined).toBe(visible.has(s.id));
                }
              }
              const text = JSON.stringify(answers).toLowerCase();
              for (const w of secret)
                expect(text, `reader ${JSON.stringify(rd.grants)} saw "${w}"`).not.toContain(w.toLowerCase());
            }
          },
        ),
        { numRuns: runs },
      );
    }, 300_000);

    it('sees everything as the system', async () => {
      const all = (await app.call('library.search', { q: '', limit: 100 }, SYSTEM)) as { total: number };
      const n = (
        await sql<{ n: number }>`select count(*)::int as n from library_records`.execute(app.store.db)
      ).rows[0]!.n;
      expect(all.total).toBe(n);
    });
  });
}
