// The votes storage suite: frozen electorates, one person one ballot under concurrent casting, bad ballots named,
// and nothing in the audit trail that tells what anyone voted. Runs on PGlite (npm test) and PostgreSQL.
import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { isDomainError } from '../core/errors';
import { ANONYMOUS, type Principal } from '../core/principal';
import type { Backend } from '../store/test-store';
import { createTestApp, smallTree, type TestApp } from '../testing/test-app';
import type { VoteView } from './vote-record';

/** The refusal an operation answered, as kind and message (fails the test if it succeeded). */
export async function refusal(
  p: Promise<unknown>,
): Promise<{ kind: string; message: string; fields: string[] }> {
  try {
    await p;
  } catch (e) {
    if (isDomainError(e)) return { kind: e.kind, message: e.message, fields: e.issues.map((i) => i.field) };
    throw e;
  }
  throw new Error('expected a refusal, but the operation succeeded');
}

const run = promisify(execFile);
let serial = 0;

/** A tree with people in roles on it: a bakery co-op with members, and people outside it. */
export async function votingTree(app: TestApp) {
  const tree = await smallTree(app);
  const n = ++serial;
  const person = (name: string, grants: Parameters<TestApp['person']>[1]) =>
    app.person(`${name}-${n}-${Math.random().toString(36).slice(2, 7)}@votes.test`, grants);
  return {
    tree,
    manager: await person('manager', [[tree.bakery.id, 'manager']]),
    alice: await person('alice', [[tree.bakery.id, 'member']]),
    bob: await person('bob', [[tree.bakery.id, 'member']]),
    carol: await person('carol', [[tree.bakery.id, 'member']]),
    auditor: await person('auditor', [[tree.food.id, 'auditor']]),
    outsider: await person('outsider', [[tree.plant.id, 'member']]),
  };
}

export function votesSuite(backend: Backend): void {
  describe(`votes on ${backend}`, () => {
    let app: TestApp;
    let t: Awaited<ReturnType<typeof votingTree>>;
    beforeAll(async () => {
      app = await createTestApp(backend);
    });
    beforeEach(async () => {
      t = await votingTree(app);
    });
    afterAll(() => app.close());

    const openVote = (as: Principal, extra: Record<string, unknown> = {}) =>
      app.call(
        'vote.open',
        {
          unitId: t.tree.bakery.id,
          title: 'New oven supplier',
          method: { type: 'irv' },
          candidates: [
            { id: 'ovenco', name: 'OvenCo' },
            { id: 'bakeright', name: 'BakeRight' },
            { id: 'heatwell', name: 'HeatWell' },
          ],
          closesAt: new Date(app.clock.now().getTime() + 86_400_000).toISOString(),
          ...extra,
        },
        as,
      ) as Promise<VoteView>;

    it('freezes the electorate when the vote opens: later grants neither add nor remove voters', async () => {
      const vote = await openVote(t.manager);
      expect(vote.status).toBe('open');
      expect(vote.electorateSize).toBe(4);
      const late = await app.person(`late-${serial}@votes.test`, [[t.tree.bakery.id, 'member']]);
      expect(
        await refusal(app.call('vote.cast', { id: vote.id, ballot: { ranking: ['ovenco'] } }, late)),
      ).toMatchObject({
        kind: 'forbidden',
      });
      if (t.alice.kind !== 'person') throw new Error('person expected');
      await app.services.auth.revoke(t.alice.personId, t.tree.bakery.id, 'member');
      const cast = (await app.call(
        'vote.cast',
        { id: vote.id, ballot: { ranking: ['heatwell'] } },
        t.alice,
      )) as {
        receipt: string;
      };
      expect(cast.receipt).toMatch(/^[0-9A-Z]{5}(-[0-9A-Z]{5}){3}$/);
      const electorate = (await app.call('vote.electorate', { id: vote.id }, t.auditor)) as {
        members: { name: string; voted: boolean }[];
      };
      expect(electorate.members).toHaveLength(4);
      expect(electorate.members.filter((m) => m.voted).map((m) => m.name)).toEqual([
        (t.alice as { name: string }).name,
      ]);
    });

    it('counts one ballot per person when the same person casts ten at once', async () => {
      const vote = await openVote(t.manager);
      const casts = await Promise.allSettled(
        Array.from({ length: 10 }, (_, i) =>
          app.call(
            'vote.cast',
            { id: vote.id, ballot: { ranking: i % 2 ? ['ovenco'] : ['bakeright'] } },
            t.bob,
          ),
        ),
      );
      expect(casts.filter((c) => c.status === 'fulfilled')).toHaveLength(1);
      const refused = casts.filter((c): c is PromiseRejectedResult => c.status === 'rejected');
      expect(refused).toHaveLength(9);
      for (const r of refused) expect(isDomainError(r.reason) && r.reason.kind).toBe('conflict');
      expect(((await app.call('vote.get', { id: vote.id }, t.manager)) as VoteView).ballotsCast).toBe(1);
    });

    it('lets an anonymous ballot be changed only with its receipt, and keeps one ballot', async () => {
      const vote = await openVote(t.manager, { allowChanges: true });
      const first = (await app.call(
        'vote.cast',
        { id: vote.id, ballot: { ranking: ['ovenco'] } },
        t.carol,
      )) as {
        receipt: string;
      };
      expect(
        await refusal(app.call('vote.cast', { id: vote.id, ballot: { ranking: ['heatwell'] } }, t.carol)),
      ).toMatchObject({ kind: 'conflict', fields: ['receipt'] });
      expect(
        await refusal(
          app.call(
            'vote.cast',
            { id: vote.id, ballot: { ranking: ['heatwell'] }, receipt: 'AAAAA-AAAAA-AAAAA-AAAAA' },
            t.carol,
          ),
        ),
      ).toMatchObject({ kind: 'invalid', fields: ['receipt'] });
      const again = (await app.call(
        'vote.cast',
        { id: vote.id, ballot: { ranking: ['heatwell', 'ovenco'] }, receipt: first.receipt.toLowerCase() },
        t.carol,
      )) as { receipt: string; replaced: boolean };
      expect(again).toEqual({ receipt: first.receipt, replaced: true });
      expect(((await app.call('vote.get', { id: vote.id }, t.manager)) as VoteView).ballotsCast).toBe(1);
    });

    it('replaces a named ballot by its signer when changes are allowed', async () => {
      const vote = await openVote(t.manager, { allowChanges: true, anonymous: false });
      const first = (await app.call(
        'vote.cast',
        { id: vote.id, ballot: { ranking: ['ovenco'] } },
        t.alice,
      )) as {
        receipt: string;
      };
      const second = (await app.call(
        'vote.cast',
        { id: vote.id, ballot: { ranking: ['bakeright'] } },
        t.alice,
      )) as {
        receipt: string;
        replaced: boolean;
      };
      expect(second).toEqual({ receipt: first.receipt, replaced: true });
    });

    it('refuses a voter outside the electorate with 403, and bad rankings naming the field', async () => {
      const vote = await openVote(t.manager);
      expect(
        await refusal(app.call('vote.cast', { id: vote.id, ballot: { ranking: ['ovenco'] } }, t.outsider)),
      ).toMatchObject({ kind: 'forbidden', message: expect.stringContaining('not in the electorate') });
      expect(
        await refusal(
          app.call('vote.cast', { id: vote.id, ballot: { ranking: ['ovenco', 'pizzaland'] } }, t.alice),
        ),
      ).toMatchObject({
        kind: 'invalid',
        fields: ['ballot.ranking[1]'],
        message: expect.stringContaining('"pizzaland" is not a candidate'),
      });
      expect(
        await refusal(
          app.call(
            'vote.cast',
            { id: vote.id, ballot: { ranking: ['ovenco', 'heatwell', 'ovenco'] } },
            t.alice,
          ),
        ),
      ).toMatchObject({
        kind: 'invalid',
        fields: ['ballot.ranking[2]'],
        message: expect.stringContaining('already ranked 1'),
      });
      expect(
        await refusal(app.call('vote.cast', { id: vote.id, ballot: { approve: ['ovenco'] } }, t.alice)),
      ).toMatchObject({ kind: 'invalid', fields: ['ballot.approve'] });
      expect(((await app.call('vote.get', { id: vote.id }, t.manager)) as VoteView).ballotsCast).toBe(0);
    });

    it('refuses a block without a reason in a consent vote', async () => {
      const vote = await openVote(t.manager, { method: { type: 'consent' }, candidates: [] });
      expect(
        await refusal(app.call('vote.cast', { id: vote.id, ballot: { position: 'block' } }, t.bob)),
      ).toMatchObject({ kind: 'invalid', fields: ['ballot.reason'] });
      await app.call(
        'vote.cast',
        { id: vote.id, ballot: { position: 'block', reason: 'the oven is unsafe' } },
        t.bob,
      );
    });

    it('keeps a scheduled vote closed to ballots until it opens, then freezes its electorate', async () => {
      const opensAt = new Date(app.clock.now().getTime() + 3_600_000).toISOString();
      const vote = await openVote(t.manager, { opensAt });
      expect(vote).toMatchObject({ status: 'scheduled', electorateSize: null });
      expect(
        await refusal(app.call('vote.cast', { id: vote.id, ballot: { ranking: ['ovenco'] } }, t.alice)),
      ).toMatchObject({
        kind: 'conflict',
        message: expect.stringContaining('opens at'),
      });
      app.clock.advance(3_600_000);
      await app.call('participation.tick', {});
      expect((await app.call('vote.get', { id: vote.id }, t.manager)) as VoteView).toMatchObject({
        status: 'open',
        electorateSize: 4,
      });
    });

    it('closes at its time with rounds, a decision and published ballots that recount to the same result', async () => {
      const dave = await app.person(`dave-${serial}@votes.test`, [[t.tree.bakery.id, 'member']]);
      const erin = await app.person(`erin-${serial}@votes.test`, [[t.tree.bakery.id, 'member']]);
      const vote = await openVote(t.manager, { quorum: { kind: 'share', share: '1/2' } });
      const ballots: [Principal, string[]][] = [
        [t.alice, ['ovenco', 'bakeright']],
        [t.bob, ['ovenco']],
        [dave, ['ovenco']],
        [t.carol, ['bakeright', 'ovenco']],
        [erin, ['bakeright', 'heatwell']],
        [t.manager, ['heatwell', 'ovenco']],
      ];
      const receipts: string[] = [];
      for (const [who, ranking] of ballots) {
        receipts.push(
          ((await app.call('vote.cast', { id: vote.id, ballot: { ranking } }, who)) as { receipt: string })
            .receipt,
        );
      }
      expect(await refusal(app.call('vote.results', { id: vote.id }, t.alice))).toMatchObject({
        kind: 'conflict',
      });
      app.clock.advance(86_400_000);
      expect(
        await refusal(app.call('vote.cast', { id: vote.id, ballot: { ranking: ['heatwell'] } }, t.alice)),
      ).toMatchObject({
        kind: 'conflict',
        message: expect.stringContaining('closed at'),
      });
      await app.call('participation.tick', {});
      const { final, result } = (await app.call('vote.results', { id: vote.id }, t.alice)) as {
        final: boolean;
        result: {
          outcome: string;
          winners: { id: string }[];
          quorum: unknown;
          tally: { rounds: { tally: { candidate: string; votes: string }[] }[] };
        };
      };
      expect(final).toBe(true);
      expect(result).toMatchObject({
        outcome: 'elected',
        winners: [{ id: 'ovenco', name: 'OvenCo' }],
        quorum: { needed: 3, met: true },
      });
      expect(
        result.tally.rounds.map((r) => Object.fromEntries(r.tally.map((c) => [c.candidate, c.votes]))),
      ).toEqual([
        { ovenco: '3', bakeright: '2', heatwell: '1' },
        { ovenco: '4', bakeright: '2' },
      ]);
      const decisions = (await app.call('decision.list', { unitId: t.tree.bakery.id }, t.alice)) as {
        decisions: { voteId: string | null; outcome: string; kind: string }[];
      };
      expect(decisions.decisions.find((d) => d.voteId === vote.id)).toMatchObject({
        outcome: 'elected',
        kind: 'general',
      });

      const published = (await app.call('vote.ballots', { id: vote.id }, t.alice)) as {
        ballots: { receipt: string; marks: { ranking: string[][] } }[];
      };
      expect(published.ballots.map((b) => b.receipt)).toEqual([...receipts].sort());
      const file = JSON.stringify(published);
      expect(await app.call('vote.recount', { file }, ANONYMOUS)).toMatchObject({
        matches: true,
        differences: [],
      });
      const tampered = JSON.parse(file) as typeof published;
      const bobs = tampered.ballots.find((b) => b.receipt === receipts[1]);
      if (bobs) bobs.marks.ranking = [['bakeright']];
      const recount = (await app.call('vote.recount', { file: JSON.stringify(tampered) }, ANONYMOUS)) as {
        matches: boolean;
        differences: string[];
      };
      expect(recount.matches).toBe(false);
      expect(recount.differences.join(' ')).toContain('tally');
      const verify = (await app.call(
        'vote.verify',
        { file, receipt: (receipts[0] ?? '').toLowerCase() },
        ANONYMOUS,
      )) as {
        found: boolean;
        ballot: { marks: unknown };
      };
      expect(verify).toMatchObject({
        found: true,
        ballot: { marks: { ranking: [['ovenco'], ['bakeright']] } },
      });

      // The same from the command line, on the published file alone: no database, no server.
      const dir = mkdtempSync(join(tmpdir(), 'ogas-recount-'));
      writeFileSync(join(dir, 'ballots.json'), file);
      const cli = (args: string[]) =>
        run('node', ['bin/ogas.js', ...args, '--json'], {
          env: { ...process.env, OGAS_HOME: join(dir, 'no-home') },
        });
      const recounted = JSON.parse((await cli(['vote', 'recount', join(dir, 'ballots.json')])).stdout) as {
        matches: boolean;
        recounted: { winners: { id: string }[] };
      };
      expect(recounted).toMatchObject({ matches: true, recounted: { winners: [{ id: 'ovenco' }] } });
      const found = JSON.parse(
        (await cli(['vote', 'verify', '--receipt', receipts[2] ?? '', join(dir, 'ballots.json')])).stdout,
      ) as { found: boolean };
      expect(found.found).toBe(true);
    }, 90_000);

    it('adds paper ballots from a cast-vote file, naming the row and column of a bad cell', async () => {
      const vote = await openVote(t.manager, {
        candidates: [
          { id: 'lettuce', name: 'Lettuce' },
          { id: 'broccoli', name: 'Broccoli' },
          { id: 'cucumber', name: 'Cucumber' },
        ],
      });
      const csv = 'Ballot,Lettuce,Broccoli,Cucumber\nb1,1,2,\nb2,,1,2\nb3,2,,1\n';
      const file = { id: vote.id, fileName: 'hall-count.csv', format: 'generic-csv', firstVoteColumn: 2 };
      expect(
        await refusal(
          app.call('vote.import', { ...file, content: csv.replace('b2,,1,2', 'b2,,one,2') }, t.manager),
        ),
      ).toMatchObject({ kind: 'invalid', fields: ['hall-count.csv row 3, column C'] });
      expect(await refusal(app.call('vote.import', { ...file, content: csv }, t.alice))).toMatchObject({
        kind: 'forbidden',
      });
      expect(
        await refusal(
          app.call(
            'vote.import',
            { id: vote.id, fileName: 'scan.xlsx', format: 'ess-xlsx', content: 'bm90IGEgemlw' },
            t.manager,
          ),
        ),
      ).toMatchObject({ kind: 'invalid' });
      await app.call('vote.cast', { id: vote.id, ballot: { ranking: ['cucumber'] } }, t.alice);
      expect(await app.call('vote.import', { ...file, content: csv }, t.manager)).toEqual({
        imported: 3,
        ballotsCast: 4,
      });
      const approval = await openVote(t.manager, { method: { type: 'approval', max: 2 } });
      expect(
        await refusal(
          app.call(
            'vote.import',
            {
              id: approval.id,
              fileName: 'tellers.json',
              format: 'ogas-json',
              content: JSON.stringify([{ approve: ['ovenco'] }, { approve: ['ovenco', 'nobody'] }]),
            },
            t.manager,
          ),
        ),
      ).toMatchObject({ kind: 'invalid', fields: ['tellers.json ballots[1].approve[1]'] });
    });

    it('writes who voted to the audit trail, but never the ballot or the receipt', async () => {
      const vote = await openVote(t.manager);
      await app.call('vote.cast', { id: vote.id, ballot: { ranking: ['heatwell', 'bakeright'] } }, t.alice);
      const trail = (await app.call('audit.list', { limit: 1000 })) as {
        entries: { operation: string; detail: unknown }[];
      };
      const casts = trail.entries.filter((e) => e.operation === 'vote.cast');
      expect(casts.length).toBeGreaterThan(0);
      for (const c of casts) {
        expect(JSON.stringify(c.detail)).not.toMatch(/heatwell|bakeright|ovenco/);
        expect(c.detail).toMatchObject({ ballot: '(omitted)' });
      }
    });

    it('lets only those who govern the unit or above open a vote, and only auditors list its electorate', async () => {
      expect(await refusal(openVote(t.alice))).toMatchObject({ kind: 'forbidden' });
      expect(await refusal(openVote(t.outsider))).toMatchObject({ kind: 'forbidden' });
      expect(await refusal(openVote(t.auditor))).toMatchObject({ kind: 'forbidden' });
      const vote = await openVote(t.manager);
      expect(await refusal(app.call('vote.electorate', { id: vote.id }, t.manager))).toMatchObject({
        kind: 'forbidden',
      });
      expect(await refusal(app.call('vote.electorate', { id: vote.id }, t.outsider))).toMatchObject({
        kind: 'forbidden',
      });
      expect(await refusal(app.call('vote.get', { id: vote.id }, t.outsider))).toMatchObject({
        kind: 'forbidden',
      });
      expect(await refusal(app.call('vote.close', { id: vote.id }, t.alice))).toMatchObject({
        kind: 'forbidden',
      });
    });

    it('gives the ballot paper to a voter, the vote alone to a reader outside the electorate, nothing to others', async () => {
      const vote = await openVote(t.manager);
      type Paper = { vote: VoteView; inElectorate: boolean; voted: boolean };
      const paper = (as: Principal) => app.call('vote.ballot-paper', { id: vote.id }, as) as Promise<Paper>;
      expect(await paper(t.alice)).toMatchObject({ inElectorate: true, voted: false, vote: { id: vote.id } });
      await app.call('vote.cast', { id: vote.id, ballot: { ranking: ['ovenco'] } }, t.alice);
      expect(await paper(t.alice)).toMatchObject({ inElectorate: true, voted: true });
      // The auditor reads the food sector, above the bakery, but holds no grant in the bakery's electorate.
      expect(await paper(t.auditor)).toMatchObject({
        inElectorate: false,
        voted: false,
        vote: { id: vote.id },
      });
      expect(await refusal(paper(t.outsider))).toMatchObject({
        kind: 'forbidden',
        message: expect.stringContaining('not in the electorate'),
      });
      expect(await refusal(paper(ANONYMOUS))).toMatchObject({ kind: 'unauthenticated' });
    });

    it('lists a vote to its unit\u2019s readers and its voters, never to others', async () => {
      const vote = await openVote(t.manager);
      const ids = async (as: Principal) =>
        ((await app.call('vote.list', { status: 'all', limit: 500 }, as)) as { votes: VoteView[] }).votes.map(
          (v) => v.id,
        );
      expect(await ids(t.alice)).toContain(vote.id);
      expect(await ids(t.auditor)).toContain(vote.id);
      expect(await ids(t.outsider)).not.toContain(vote.id);
      const mine = (await app.call('vote.mine', {}, t.bob)) as { votes: (VoteView & { voted: boolean })[] };
      expect(mine.votes.find((v) => v.id === vote.id)).toMatchObject({ voted: false });
      expect(
        ((await app.call('vote.mine', {}, t.outsider)) as { votes: VoteView[] }).votes.map((v) => v.id),
      ).not.toContain(vote.id);
    });
  });
}
