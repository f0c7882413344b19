// The library suite, shared by PGlite (npm test) and PostgreSQL (tests/services): one test per access
// level (public, subtree, credential, named people and roles, the declassification date on the test clock),
// versions that stay, tombstones, files streamed content-addressed, text from PDF, citations, and bad input
// that leaves nothing written.
import { Readable } from 'node:stream';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../app/container';
import { ANONYMOUS, SYSTEM, type Principal } from '../core/principal';
import type { Backend } from '../store/test-store';
import { createTestApp, smallTree, type TestApp } from '../testing/test-app';
import type { LibraryRecord, SearchResult } from './library';
import { tinyPdf } from './tiny-pdf.fixture';

type Published = { recordId: string; versionId: string; number: number; unindexed: unknown[] };

export function librarySuite(backend: Backend): void {
  describe(`library on ${backend}`, () => {
    let app: TestApp;
    let tree: Awaited<ReturnType<typeof smallTree>>;
    let p: Record<'turbine' | 'plantManager' | 'energyPlanner' | 'bakery' | 'welder' | 'outsider', Principal>;
    const personId = (x: Principal) => (x.kind === 'person' ? x.personId : '');

    beforeAll(async () => {
      app = await createTestApp(backend);
      tree = await smallTree(app);
      p = {
        turbine: await app.person('turbine@lib.test', [[tree.turbine.id, 'member']]),
        plantManager: await app.person('plant@lib.test', [[tree.plant.id, 'manager']]),
        energyPlanner: await app.person('energy@lib.test', [[tree.energy.id, 'planner']]),
        bakery: await app.person('bakery@lib.test', [[tree.bakery.id, 'member']]),
        welder: await app.person('welder@lib.test', [[tree.bakery.id, 'member']]),
        outsider: await app.person('outsider@lib.test', []),
      };
    });
    afterAll(() => app.close());

    const publish = (input: Record<string, unknown>, as: Principal = SYSTEM) =>
      app.call('library.record.publish', { type: 'report', ...input }, as) as Promise<Published>;
    const search = (q: string, as: Principal, extra: Record<string, unknown> = {}) =>
      app.call('library.search', { q, ...extra }, as) as Promise<SearchResult>;
    const get = (recordId: string, as: Principal) =>
      app.call('library.record.get', { recordId }, as) as Promise<LibraryRecord>;
    const refused = async (promise: Promise<unknown>) => {
      const e = (await promise.then(
        () => null,
        (x: unknown) => x,
      )) as { kind?: string } | null;
      return e?.kind ?? 'allowed';
    };
    /** Everything a reader can learn of a record by one word in it: search hits, total, facets, suggest, get. */
    const sees = async (word: string, recordId: string, as: Principal) => {
      const r = await search(word, as);
      const hit = r.hits.some((h) => h.recordId === recordId);
      expect(r.total).toBe(r.hits.length);
      const read = (await refused(get(recordId, as))) === 'allowed';
      const cite = (await refused(app.call('library.cite', { recordId }, as))) === 'allowed';
      expect(new Set([hit, read, cite]).size).toBe(1);
      return hit;
    };

    it('shows a public record to everyone, with a snippet that marks the words found', async () => {
      const r = await publish({
        unitId: tree.plant.id,
        title: 'Turbine blade inspection procedure',
        abstract: 'How to inspect a blade for cracks with dye penetrant.',
        keywords: ['turbine', 'inspection'],
        products: ['ELEC'],
      });
      for (const who of [ANONYMOUS, p.bakery, p.outsider])
        expect(await sees('penetrant', r.recordId, who)).toBe(true);
      const found = await search('penetrant', ANONYMOUS);
      const hit = found.hits.find((h) => h.recordId === r.recordId)!;
      expect(hit.snippet.filter((s) => s.hit).map((s) => s.text.toLowerCase())).toContain('penetrant');
      expect(found.facets.product.find((f) => f.value === 'ELEC')?.count).toBeGreaterThanOrEqual(1);
    });

    it('shows a subtree record to members inside the subtree and to roles above it, to nobody else', async () => {
      const r = await publish({
        unitId: tree.plant.id,
        title: 'Boiler feedwater pump overhaul',
        abstract: 'Quarterly overhaul of the feedwater pumps.',
        access: { level: 'subtree', unitId: tree.plant.id },
      });
      expect(await sees('feedwater', r.recordId, p.turbine)).toBe(true);
      expect(await sees('feedwater', r.recordId, p.energyPlanner)).toBe(true);
      expect(await sees('feedwater', r.recordId, p.plantManager)).toBe(true);
      for (const who of [ANONYMOUS, p.bakery, p.outsider]) {
        expect(await sees('feedwater', r.recordId, who)).toBe(false);
        expect(await refused(get(r.recordId, who))).toBe('not-found');
        const s = (await app.call('library.suggest', { prefix: 'Boiler' }, who)) as { suggestions: string[] };
        expect(s.suggestions).not.toContain('Boiler feedwater pump overhaul');
      }
      const s = (await app.call('library.suggest', { prefix: 'boiler' }, p.turbine)) as {
        suggestions: string[];
      };
      expect(s.suggestions).toContain('Boiler feedwater pump overhaul');
    });

    it('shows a credential record only to holders of the credential', async () => {
      await app.call('library.credential.define', {
        unitId: tree.food.id,
        name: 'certified welder 3',
        description: 'third-grade welding certificate',
      });
      const r = await publish({
        unitId: tree.bakery.id,
        title: 'Oven frame welding sequence',
        text: 'Tack the oven frame at the four corners, then weld the seams in a crosswise sequence.',
        access: { level: 'credential', credential: 'certified welder 3' },
      });
      expect(await sees('crosswise', r.recordId, p.welder)).toBe(false);
      expect(await sees('crosswise', r.recordId, p.bakery)).toBe(false);
      // Only a manager of the issuing unit grants it.
      expect(
        await refused(
          app.call(
            'library.credential.grant',
            { credential: 'certified welder 3', personId: personId(p.welder) },
            p.plantManager,
          ),
        ),
      ).toBe('forbidden');
      await app.call('library.credential.grant', {
        credential: 'certified welder 3',
        personId: personId(p.welder),
      });
      expect(await sees('crosswise', r.recordId, p.welder)).toBe(true);
      expect(await sees('crosswise', r.recordId, p.bakery)).toBe(false);
    });

    it('shows a record for named people and roles to them only', async () => {
      const r = await publish({
        unitId: tree.plant.id,
        title: 'Grid contract negotiation notes',
        abstract: 'Positions for the tariff negotiation.',
        access: { level: 'named', people: [personId(p.outsider)], roles: ['planner'] },
      });
      expect(await sees('tariff', r.recordId, p.outsider)).toBe(true);
      expect(await sees('tariff', r.recordId, p.energyPlanner)).toBe(true);
      expect(await sees('tariff', r.recordId, p.turbine)).toBe(false);
      expect(await sees('tariff', r.recordId, p.bakery)).toBe(false);
      expect(await sees('tariff', r.recordId, ANONYMOUS)).toBe(false);
    });

    it('makes a record public on its declassification date, decided at read time and recorded once', async () => {
      const at = new Date(app.clock.now().getTime() + 10 * 86_400_000);
      const r = await publish({
        unitId: tree.plant.id,
        title: 'Reactor coolant incident report',
        abstract: 'The coolant leak of last winter and its causes.',
        access: { level: 'subtree', unitId: tree.plant.id },
        declassifyAt: at.toISOString(),
      });
      expect(await sees('coolant', r.recordId, ANONYMOUS)).toBe(false);
      app.clock.advance(9 * 86_400_000);
      expect(await sees('coolant', r.recordId, ANONYMOUS)).toBe(false);
      app.clock.advance(2 * 86_400_000);
      expect(await sees('coolant', r.recordId, ANONYMOUS)).toBe(true);
      expect(await sees('coolant', r.recordId, p.bakery)).toBe(true);
      const read = await get(r.recordId, ANONYMOUS);
      expect(read.access.declassified).toBe(true);
      const declassifications = read.events.filter((e) => e.kind === 'declassified');
      expect(declassifications).toHaveLength(1);
      expect(declassifications[0]!.at.toISOString()).toBe(at.toISOString());
    });

    it('keeps every version readable, refuses to change a published one, and leaves a tombstone', async () => {
      const r = await publish({
        unitId: tree.plant.id,
        title: 'Lubrication chart, first edition',
        text: 'grease weekly',
      });
      const v2 = (await app.call('library.record.revise', {
        recordId: r.recordId,
        title: 'Lubrication chart, second edition',
        text: 'grease fortnightly',
        note: 'longer interval after the bearing trial',
      })) as Published;
      expect(v2.number).toBe(2);
      const latest = await get(r.recordId, ANONYMOUS);
      expect(latest.version?.title).toBe('Lubrication chart, second edition');
      expect(latest.versions.map((v) => v.number)).toEqual([1, 2]);
      const first = (await app.call(
        'library.record.get',
        { versionId: r.versionId },
        ANONYMOUS,
      )) as LibraryRecord;
      expect(first.version?.title).toBe('Lubrication chart, first edition');
      // Search reads the latest version only.
      expect((await search('fortnightly', ANONYMOUS)).hits.map((h) => h.versionId)).toEqual([v2.versionId]);
      expect((await search('weekly', ANONYMOUS)).hits.some((h) => h.recordId === r.recordId)).toBe(false);
      await expect(
        sql`update library_versions set title = 'tampered' where id = ${r.versionId}`.execute(app.store.db),
      ).rejects.toThrow(/immutable/);
      const citation = (await app.call(
        'library.cite',
        { versionId: r.versionId, format: 'bibtex' },
        ANONYMOUS,
      )) as {
        citation: string;
      };
      expect(citation.citation).toContain(`{${r.versionId},`);
      expect(citation.citation).toContain('first edition');
      const csl = (await app.call(
        'library.cite',
        { recordId: r.recordId, format: 'csl-json' },
        ANONYMOUS,
      )) as {
        citation: string;
      };
      const items = JSON.parse(csl.citation) as { id: string; title: string; version: string }[];
      expect(items[0]).toMatchObject({
        id: v2.versionId,
        title: 'Lubrication chart, second edition',
        version: '2',
      });

      const gone = (await app.call('library.record.withdraw', {
        recordId: r.recordId,
        reason: 'superseded by the plant standard',
      })) as LibraryRecord;
      expect(gone.withdrawn?.reason).toBe('superseded by the plant standard');
      expect(gone.version).toBeNull();
      expect(gone.versions).toHaveLength(2);
      expect((await search('fortnightly', ANONYMOUS)).total).toBe(0);
      expect(await refused(app.call('library.cite', { recordId: r.recordId }, ANONYMOUS))).toBe('conflict');
      expect(
        await refused(app.call('library.record.revise', { recordId: r.recordId, title: 'x', note: 'y' })),
      ).toBe('conflict');
    });

    it('stores files content-addressed, streams them, indexes PDF text, and keeps them across a restart', async () => {
      const library = app.services.library;
      const pdf = tinyPdf('Gearbox tolerance chart for axle seven');
      const a = await library.upload(SYSTEM, Readable.from([pdf.subarray(0, 100), pdf.subarray(100)]));
      const again = await library.upload(SYSTEM, Readable.from([pdf]));
      expect(again.sha256).toBe(a.sha256);
      expect(a.size).toBe(pdf.length);
      const r = await publish({
        unitId: tree.plant.id,
        title: 'Axle drawings',
        files: [{ sha256: a.sha256, name: 'axle.pdf', mediaType: 'application/pdf' }],
        access: { level: 'subtree', unitId: tree.plant.id },
      });
      expect(r.unindexed).toEqual([]);
      expect(await sees('gearbox', r.recordId, p.turbine)).toBe(true);
      expect(await sees('gearbox', r.recordId, p.bakery)).toBe(false);
      const file = await library.openFile(p.turbine, r.versionId, 'axle.pdf');
      const chunks: Buffer[] = [];
      for await (const c of file.stream) chunks.push(c as Buffer);
      expect(Buffer.concat(chunks).equals(pdf)).toBe(true);
      expect(await refused(library.openFile(p.bakery, r.versionId, 'axle.pdf'))).toBe('not-found');
      // A rebuilt app over the same store finds the record and its file.
      const restarted = buildApp(app.store, app.clock);
      const back = await restarted.services.library.openFile(SYSTEM, r.versionId, 'axle.pdf');
      expect(back.sha256).toBe(a.sha256);
      back.stream.destroy();
    });

    it('refuses a file over the limit and keeps nothing of it', async () => {
      const blobs = app.services.library.blobs;
      const big = Readable.from(
        (function* () {
          for (let sent = 0; sent <= blobs.maxBytes; sent += 1 << 20) yield Buffer.alloc(1 << 20, 7);
        })(),
      );
      const small = new (blobs.constructor as new (root: string, max: number) => typeof blobs)(
        blobs.root,
        1000,
      );
      const before = await readdir(join(blobs.root, 'blobs')).catch(() => []);
      expect(await refused(small.put(big))).toBe('invalid');
      expect(await readdir(join(blobs.root, 'tmp'))).toEqual([]);
      expect(await readdir(join(blobs.root, 'blobs')).catch(() => [])).toEqual(before);
    });

    it('refuses bad input with the field named, writing nothing', async () => {
      const count = async () =>
        Number(
          (await sql<{ n: number }>`select count(*)::int as n from library_records`.execute(app.store.db))
            .rows[0]!.n,
        );
      const before = await count();
      const cases: [Record<string, unknown>, string][] = [
        [{ unitId: 'u_nowhere', title: 'x' }, 'not-found'],
        [{ unitId: tree.plant.id, title: 'x', declassifyAt: '2026-13-45' }, 'invalid'],
        [
          { unitId: tree.plant.id, title: 'x', access: { level: 'credential', credential: 'no such' } },
          'not-found',
        ],
        [
          { unitId: tree.plant.id, title: 'x', access: { level: 'subtree', unitId: 'u_nowhere' } },
          'not-found',
        ],
        [
          { unitId: tree.plant.id, title: 'x', files: [{ sha256: 'a'.repeat(64), name: 'f.txt' }] },
          'invalid',
        ],
        [
          { unitId: tree.plant.id, title: 'x', access: { level: 'named', people: ['p_nobody'] } },
          'not-found',
        ],
      ];
      for (const [input, kind] of cases) expect(await refused(publish(input))).toBe(kind);
      expect(await refused(publish({ unitId: tree.plant.id, title: 'x' }, p.turbine))).toBe('forbidden');
      expect(await refused(publish({ unitId: tree.plant.id, title: 'x' }, ANONYMOUS))).toBe(
        'unauthenticated',
      );
      expect(await count()).toBe(before);
    });
  });
}
