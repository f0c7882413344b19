// Secret ballots: who voted and what was cast share no key, no time and no order. The schema is inspected, the
// stored rows are read, and after closing even PostgreSQL's row order and transaction ids say nothing.
import { sql, type Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../store/database';
import type { Backend } from '../store/test-store';
import { createTestApp, type TestApp } from '../testing/test-app';
import type { VoteView } from './vote-record';
import { votingTree } from './votes.suite';

export function secrecySuite(backend: Backend): void {
  describe(`secret ballots on ${backend}`, () => {
    let app: TestApp;
    let db: Kysely<Database>;
    let t: Awaited<ReturnType<typeof votingTree>>;
    let vote: VoteView;
    const personIds: string[] = [];
    beforeAll(async () => {
      app = await createTestApp(backend);
      db = app.store.db;
      t = await votingTree(app);
      vote = (await app.call(
        'vote.open',
        {
          unitId: t.tree.bakery.id,
          title: 'Treasurer',
          method: { type: 'irv', tieBreak: 'candidate-order' },
          candidates: [
            { id: 'ana', name: 'Ana' },
            { id: 'ben', name: 'Ben' },
          ],
          closesAt: new Date(app.clock.now().getTime() + 3_600_000).toISOString(),
        },
        t.manager,
      )) as VoteView;
      for (const [who, first] of [
        [t.alice, 'ana'],
        [t.bob, 'ben'],
        [t.carol, 'ana'],
        [t.manager, 'ben'],
      ] as const) {
        if (who.kind === 'person') personIds.push(who.personId);
        await app.call('vote.cast', { id: vote.id, ballot: { ranking: [first] } }, who);
      }
    });
    afterAll(() => app?.close());

    it('stores ballots with no column that names a person, a time or an order, and no key to who voted', async () => {
      const columns = async (table: string) =>
        (
          await sql<{ column_name: string; data_type: string; column_default: string | null }>`
            select column_name, data_type, column_default from information_schema.columns
            where table_name = ${table} order by ordinal_position`.execute(db)
        ).rows;
      const ballots = await columns('ballots');
      expect(ballots.map((c) => c.column_name)).toEqual([
        'id',
        'vote_id',
        'receipt',
        'marks',
        'source',
        'record',
      ]);
      expect(ballots.filter((c) => /time|date/.test(c.data_type) || c.column_default !== null)).toEqual([]);
      expect((await columns('vote_participation')).map((c) => c.column_name)).toEqual([
        'vote_id',
        'electorate_id',
        'person_id',
        'sealed',
      ]);
      const links = await sql<{ from_table: string; to_table: string }>`
        select tc.table_name as from_table, ccu.table_name as to_table
        from information_schema.table_constraints tc
        join information_schema.constraint_column_usage ccu on ccu.constraint_name = tc.constraint_name
        where tc.constraint_type = 'FOREIGN KEY' and tc.table_name in ('ballots', 'vote_participation')`.execute(
        db,
      );
      const targets = (from: string) =>
        [...new Set(links.rows.filter((l) => l.from_table === from).map((l) => l.to_table))].sort();
      expect(targets('ballots')).toEqual(['votes']);
      expect(targets('vote_participation')).toEqual(['electorate_members', 'votes']);
    });

    it('keeps no person id in any stored ballot and no signature for a secret vote', async () => {
      const rows = await db.selectFrom('ballots').selectAll().where('vote_id', '=', vote.id).execute();
      expect(rows).toHaveLength(4);
      const text = JSON.stringify(rows);
      for (const id of personIds) expect(text).not.toContain(id);
      const signatures = await db
        .selectFrom('ballot_signatures')
        .selectAll()
        .where('vote_id', '=', vote.id)
        .execute();
      expect(signatures).toEqual([]);
      const ballotId = rows[0]?.id ?? '';
      await expect(
        db
          .insertInto('ballot_signatures')
          .values({ ballot_id: ballotId, vote_id: vote.id, person_id: personIds[0] ?? '' })
          .execute(),
      ).rejects.toThrow(/foreign key|violates/);
    });

    it('rewrites both tables at closing so that row order and transaction ids no longer pair them', async () => {
      app.clock.advance(3_600_000);
      await app.call('participation.tick', {});
      const ballots = await sql<{ receipt: string; xmin: string }>`
        select receipt, xmin::text as xmin from ballots where vote_id = ${vote.id} order by ctid`.execute(db);
      const participation = await sql<{ xmin: string; sealed: boolean }>`
        select xmin::text as xmin, sealed from vote_participation where vote_id = ${vote.id}`.execute(db);
      const receipts = ballots.rows.map((r) => r.receipt);
      expect(receipts).toEqual([...receipts].sort());
      expect(new Set(ballots.rows.map((r) => r.xmin)).size).toBe(1);
      expect(new Set(participation.rows.map((r) => r.xmin)).size).toBe(1);
      expect(participation.rows.every((r) => r.sealed)).toBe(true);
      expect(participation.rows[0]?.xmin).toBe(ballots.rows[0]?.xmin);
      const closed = (await app.call('vote.get', { id: vote.id }, t.alice)) as VoteView;
      expect(closed.result).toMatchObject({ outcome: 'elected', ballots: 4 });
    });
  });
}
