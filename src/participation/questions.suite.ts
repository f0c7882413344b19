// The public questions suite: upvotes once each, answers with history, moderation in public, and the climb up
// the holarchy on the alerts' deadlines (test clock, and a rebuilt app that picks up where the last one stopped).
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { buildApp } from '../app/container';
import { invoke } from '../app/invoke';
import { findOperation } from '../app/registry';
import { createLogger } from '../core/logger';
import { ANONYMOUS, SYSTEM, type Principal } from '../core/principal';
import type { Backend } from '../store/test-store';
import { createTestApp, type TestApp } from '../testing/test-app';
import type { QuestionEvent, QuestionView } from './question';
import { refusal, votingTree } from './votes.suite';

export function questionsSuite(backend: Backend): void {
  describe(`public questions on ${backend}`, () => {
    let app: TestApp;
    let t: Awaited<ReturnType<typeof votingTree>>;
    beforeAll(async () => {
      app = await createTestApp(backend);
    });
    beforeEach(async () => {
      t = await votingTree(app);
      await app.call('escalation.set', { defaultSeconds: 600, byDepth: {} });
      await app.call('question.threshold.set', { upvotes: 2 });
    });
    afterAll(() => app.close());

    const ask = (unitId: string, title: string, as: Principal) =>
      app.call('question.ask', { unitId, title, body: 'Please explain.' }, as) as Promise<QuestionView>;
    const get = (id: string, as: Principal = SYSTEM) =>
      app.call('question.get', { id }, as) as Promise<QuestionView>;

    it('climbs an upvoted question left unanswered, one level per deadline, and stops an answered one', async () => {
      const ignored = await ask(t.tree.bakery.id, 'Why did the bread price rise?', t.alice);
      const answered = await ask(t.tree.bakery.id, 'When is the next assembly?', t.alice);
      expect(ignored.level).toEqual({ unitId: t.tree.bakery.id, depth: 2 });
      for (const q of [ignored, answered]) {
        await app.call('question.upvote', { id: q.id }, t.bob);
        expect((await get(q.id)).escalateDueAt).toBeNull();
        await app.call('question.upvote', { id: q.id }, t.carol);
      }
      const started = app.clock.now().getTime();
      expect((await get(ignored.id)).escalateDueAt?.getTime()).toBe(started + 600_000);
      await app.call('question.answer', { id: answered.id, body: 'On the first Monday.' }, t.manager);
      expect((await get(answered.id)).escalateDueAt).toBeNull();

      app.clock.advance(599_000);
      await app.call('participation.tick', {});
      expect((await get(ignored.id)).level.unitId).toBe(t.tree.bakery.id);
      app.clock.advance(1_000);
      await app.call('participation.tick', {});
      expect((await get(ignored.id)).level).toEqual({ unitId: t.tree.food.id, depth: 1 });
      expect((await get(answered.id)).level).toEqual({ unitId: t.tree.bakery.id, depth: 2 });

      // A new app over the same database (a restarted server) climbs the rest from the stored deadline.
      const restarted = buildApp(app.store, app.clock);
      app.clock.advance(600_000);
      const op = findOperation('participation.tick');
      if (!op) throw new Error('no participation.tick');
      await invoke(restarted, op, {}, { principal: SYSTEM, log: createLogger('test') });
      const top = await get(ignored.id);
      expect(top.level).toEqual({ unitId: t.tree.root.id, depth: 0 });
      expect(top.escalateDueAt).toBeNull();
      const timeline = (
        (await app.call('question.timeline', { id: ignored.id })) as { events: QuestionEvent[] }
      ).events;
      expect(timeline.map((e) => `${e.kind}@${e.level.depth}`)).toEqual([
        'asked@2',
        'threshold@2',
        'escalated@1',
        'escalated@0',
      ]);
      expect(timeline[2]?.at.getTime()).toBe(started + 600_000);
    });

    it('takes one upvote per person, even when sent ten times at once', async () => {
      const q = await ask(t.tree.bakery.id, 'Can we buy rye flour locally?', t.alice);
      const tries = await Promise.allSettled(
        Array.from({ length: 10 }, () => app.call('question.upvote', { id: q.id }, t.bob)),
      );
      expect(tries.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
      const after = await get(q.id, t.bob);
      expect(after).toMatchObject({ upvotes: 1, upvotedByMe: true });
      expect(await refusal(app.call('question.upvote', { id: q.id }, t.bob))).toMatchObject({
        kind: 'duplicate',
      });
    });

    it('lets the public ask and read only public units, and upvote only when signed in', async () => {
      const onPublic = (await app.call(
        'question.ask',
        { unitId: t.tree.food.id, title: 'Is the food sector hiring?', askerName: 'Dana' },
        ANONYMOUS,
      )) as QuestionView;
      expect(onPublic.askerName).toBe('Dana');
      expect(await refusal(ask(t.tree.bakery.id, 'Secret?', ANONYMOUS))).toMatchObject({
        kind: 'unauthenticated',
      });
      expect(await refusal(ask(t.tree.bakery.id, 'From outside?', t.outsider))).toMatchObject({
        kind: 'forbidden',
      });
      expect(await refusal(app.call('question.upvote', { id: onPublic.id }, ANONYMOUS))).toMatchObject({
        kind: 'unauthenticated',
      });
      const inside = await ask(t.tree.bakery.id, 'Members only?', t.alice);
      const listed = async (as: Principal) =>
        (
          (await app.call('question.list', { limit: 500 }, as)) as { questions: QuestionView[] }
        ).questions.map((q) => q.id);
      expect(await listed(ANONYMOUS)).toContain(onPublic.id);
      expect(await listed(ANONYMOUS)).not.toContain(inside.id);
      expect(await listed(t.outsider)).not.toContain(inside.id);
      expect(await listed(t.bob)).toContain(inside.id);
      expect(await refusal(get(inside.id, t.outsider))).toMatchObject({ kind: 'forbidden' });
    });

    it('lets only officials of the unit or above answer, and keeps every version of an edited answer', async () => {
      const q = await ask(t.tree.bakery.id, 'Who audits the accounts?', t.alice);
      expect(await refusal(app.call('question.answer', { id: q.id, body: 'Me!' }, t.bob))).toMatchObject({
        kind: 'forbidden',
      });
      const plantManager = await app.person(`plant-${Date.now()}@votes.test`, [[t.tree.plant.id, 'manager']]);
      expect(
        await refusal(app.call('question.answer', { id: q.id, body: 'Not mine' }, plantManager)),
      ).toMatchObject({
        kind: 'forbidden',
      });
      const answered = (await app.call(
        'question.answer',
        { id: q.id, body: 'The food auditor.' },
        t.manager,
      )) as QuestionView;
      const answerId = answered.answers[0]?.id ?? '';
      const edited = (await app.call(
        'question.answer.edit',
        { id: answerId, body: 'The food sector auditor, every spring.' },
        t.manager,
      )) as QuestionView;
      expect(edited.answers[0]).toMatchObject({ version: 2, body: 'The food sector auditor, every spring.' });
      expect(edited.answers[0]?.revisions.map((r) => r.body)).toEqual([
        'The food auditor.',
        'The food sector auditor, every spring.',
      ]);
      expect(
        await refusal(app.call('question.answer.edit', { id: answerId, body: 'x' }, t.alice)),
      ).toMatchObject({
        kind: 'forbidden',
      });
    });

    it('hides a question with a public reason, withholds its text, and stops its climb', async () => {
      const q = (await app.call(
        'question.ask',
        { unitId: t.tree.food.id, title: 'Rude words here', body: 'more rude words' },
        t.alice,
      )) as QuestionView;
      await app.call('question.upvote', { id: q.id }, t.bob);
      await app.call('question.upvote', { id: q.id }, t.carol);
      expect((await get(q.id)).escalateDueAt).not.toBeNull();
      expect(await refusal(app.call('question.hide', { id: q.id, reason: 'no' }, t.alice))).toMatchObject({
        kind: 'forbidden',
      });
      const foodManager = await app.person(`food-${Date.now()}@votes.test`, [[t.tree.food.id, 'manager']]);
      await app.call('question.hide', { id: q.id, reason: 'insults a member by name' }, foodManager);
      const seen = await get(q.id, ANONYMOUS);
      expect(seen).toMatchObject({
        hidden: true,
        title: null,
        body: null,
        hiddenReason: 'insults a member by name',
      });
      expect(seen.escalateDueAt).toBeNull();
      expect((await get(q.id, foodManager)).title).toBe('Rude words here');
      const log = (await app.call('question.moderation-log', { unitId: t.tree.food.id }, ANONYMOUS)) as {
        entries: { questionId: string; reason: string; action: string; moderatorName: string }[];
      };
      expect(log.entries.find((e) => e.questionId === q.id)).toMatchObject({
        action: 'hidden',
        reason: 'insults a member by name',
        moderatorName: (foodManager as { name: string }).name,
      });
      await app.call('question.show', { id: q.id, reason: 'the member agreed to rephrase' }, foodManager);
      expect((await get(q.id)).escalateDueAt).not.toBeNull();
    });
  });
}
