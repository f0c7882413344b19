// The assemblies suite: a frozen electorate, attendance against the quorum, items voted by those present or
// decided by a show of hands, minutes, and decisions other capabilities can read. PGlite and PostgreSQL.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Principal } from '../core/principal';
import type { Backend } from '../store/test-store';
import { createTestApp, type TestApp } from '../testing/test-app';
import type { Assembly } from './assembly';
import type { Decision } from './decision';
import type { VoteView } from './vote-record';
import { refusal, votingTree } from './votes.suite';

export function assembliesSuite(backend: Backend): void {
  describe(`assemblies on ${backend}`, () => {
    let app: TestApp;
    let t: Awaited<ReturnType<typeof votingTree>>;
    beforeAll(async () => {
      app = await createTestApp(backend);
    });
    beforeEach(async () => {
      t = await votingTree(app);
    });
    afterAll(() => app.close());

    const personId = (p: Principal) => (p.kind === 'person' ? p.personId : '');
    const plan = async () => {
      const a = (await app.call(
        'assembly.create',
        {
          unitId: t.tree.bakery.id,
          title: 'General assembly 2026',
          scheduledFor: app.clock.now().toISOString(),
          quorum: { kind: 'share', share: '1/2' },
        },
        t.manager,
      )) as Assembly;
      return (await app.call(
        'assembly.item.add',
        {
          id: a.id,
          title: 'Adopt the 2026 rules',
          body: 'The board proposes new rules on working hours.',
          documents: [
            { title: 'Draft rules', text: 'Article 1. The working week is 32 hours.' },
            { title: 'Federation model rules', url: 'https://example.org/rules' },
          ],
        },
        t.manager,
      )) as Assembly;
    };

    it('checks the quorum against the electorate frozen at opening before anything is decided', async () => {
      const planned = await plan();
      expect(planned).toMatchObject({ status: 'planned', attendance: { electorateSize: null, present: 0 } });
      expect(planned.items[0]?.documents).toHaveLength(2);
      const opened = (await app.call('assembly.open', { id: planned.id }, t.manager)) as Assembly;
      expect(opened.attendance).toEqual({ electorateSize: 4, present: 0, needed: 2, quorumMet: false });
      const itemId = opened.items[0]?.id ?? '';
      await app.call('assembly.attend', { id: opened.id }, t.alice);
      const voteInput = {
        itemId,
        title: 'Adopt the 2026 rules?',
        method: { type: 'proposal' },
        closesAt: new Date(app.clock.now().getTime() + 3_600_000).toISOString(),
        decisionKind: 'rule-change',
        decisionPayload: { rule: 'working-hours', text: 'Article 1. The working week is 32 hours.' },
      };
      expect(await refusal(app.call('assembly.item.vote', voteInput, t.manager))).toMatchObject({
        kind: 'conflict',
        message: 'no quorum: 1 present of 4, 2 needed',
      });
      expect(await refusal(app.call('assembly.attend', { id: opened.id }, t.outsider))).toMatchObject({
        kind: 'forbidden',
      });
      const again = (await app.call('assembly.attend', { id: opened.id }, t.alice)) as Assembly;
      expect(again.attendance.present).toBe(1);
      await app.call('assembly.attendance.record', { id: opened.id, personId: personId(t.bob) }, t.manager);
      const vote = (await app.call('assembly.item.vote', voteInput, t.manager)) as VoteView;
      expect(vote).toMatchObject({
        status: 'open',
        electorateSize: 2,
        assemblyId: opened.id,
        agendaItemId: itemId,
      });
      await app.call('vote.cast', { id: vote.id, ballot: { position: 'agree' } }, t.alice);
      expect(
        await refusal(app.call('vote.cast', { id: vote.id, ballot: { position: 'agree' } }, t.carol)),
      ).toMatchObject({ kind: 'forbidden' });
      expect(await refusal(app.call('assembly.item.vote', voteInput, t.manager))).toMatchObject({
        kind: 'conflict',
        message: expect.stringContaining('already has its vote'),
      });
      const attendees = (await app.call('assembly.attendees', { id: opened.id }, t.carol)) as {
        attendees: { personId: string }[];
      };
      expect(attendees.attendees.map((a) => a.personId).sort()).toEqual(
        [personId(t.alice), personId(t.bob)].sort(),
      );
    });

    it('records a show-of-hands decision as a typed record that other capabilities can list by kind', async () => {
      const planned = await plan();
      const opened = (await app.call('assembly.open', { id: planned.id }, t.manager)) as Assembly;
      for (const p of [t.alice, t.bob, t.carol]) await app.call('assembly.attend', { id: opened.id }, p);
      const itemId = opened.items[0]?.id ?? '';
      expect(
        await refusal(
          app.call(
            'assembly.item.decide',
            { itemId, outcome: 'adopted', counts: { for: 3, against: 0 } },
            t.alice,
          ),
        ),
      ).toMatchObject({ kind: 'forbidden' });
      const decided = (await app.call(
        'assembly.item.decide',
        {
          itemId,
          outcome: 'adopted',
          counts: { for: 2, against: 1, abstain: 0 },
          kind: 'rule-change',
          payload: { rule: 'working-hours', text: '32 hours' },
        },
        t.manager,
      )) as Assembly;
      expect(decided.items[0]).toMatchObject({ outcome: 'adopted' });
      const list = (await app.call(
        'decision.list',
        { kind: 'rule-change', assemblyId: opened.id },
        t.carol,
      )) as {
        decisions: Decision[];
      };
      expect(list.decisions).toHaveLength(1);
      expect(list.decisions[0]).toMatchObject({
        unitId: t.tree.bakery.id,
        kind: 'rule-change',
        outcome: 'adopted',
        payload: { rule: 'working-hours', text: '32 hours' },
        result: { method: 'show-of-hands', counts: { for: 2, against: 1, abstain: 0 } },
        agendaItemId: itemId,
      });
      const outside = (await app.call('decision.list', { kind: 'rule-change' }, t.outsider)) as {
        decisions: Decision[];
      };
      expect(outside.decisions.map((d) => d.id)).not.toContain(list.decisions[0]?.id);
      await app.call(
        'assembly.minutes.set',
        { id: opened.id, minutes: '# Minutes\n\nRules adopted 2–1.' },
        t.manager,
      );
      const closed = (await app.call('assembly.close', { id: opened.id }, t.manager)) as Assembly;
      expect(closed).toMatchObject({ status: 'closed', minutes: '# Minutes\n\nRules adopted 2–1.' });
      expect(await refusal(app.call('assembly.attend', { id: opened.id }, t.manager))).toMatchObject({
        kind: 'conflict',
      });
    });

    it('refuses each role outside its subtree', async () => {
      const planned = await plan();
      expect(await refusal(app.call('assembly.get', { id: planned.id }, t.outsider))).toMatchObject({
        kind: 'forbidden',
      });
      expect(await refusal(app.call('assembly.open', { id: planned.id }, t.alice))).toMatchObject({
        kind: 'forbidden',
      });
      const foreign = await app.person(`plant-mgr-${Date.now()}@votes.test`, [[t.tree.plant.id, 'manager']]);
      expect(await refusal(app.call('assembly.open', { id: planned.id }, foreign))).toMatchObject({
        kind: 'forbidden',
      });
      const listed = (await app.call('assembly.list', {}, foreign)) as { assemblies: Assembly[] };
      expect(listed.assemblies.map((a) => a.id)).not.toContain(planned.id);
    });
  });
}
