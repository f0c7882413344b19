// The demo's participation: a farm co-op's members, an open ranked vote, a closed election with its rounds,
// a general assembly in session, and public questions (answered, climbing, and one hidden by moderation).
import type { Clock } from '../core/clock';
import type { Principal } from '../core/principal';
import type { Services } from '../core/services';
import { seedDemoBudget } from './demo-budget';

const FARM = 'A01';
const SECTOR = 'S-PRIM';

/** Members of the farm besides member@ogas.local; all have the demo password. */
const MEMBERS = [
  'Ana Okafor',
  'Ben Richter',
  'Cleo Martin',
  'Dario Rossi',
  'Eda Yilmaz',
  'Femi Adeyemi',
  'Gus Larsen',
  'Hana Sato',
];

export async function seedDemoParticipation(
  services: Services,
  clock: Clock,
  password: string,
): Promise<{ budgetPlanId: string | null }> {
  const { holarchy, auth, votes, assemblies, questions } = services;
  const farm = await holarchy.byCode(FARM);
  const sector = await holarchy.byCode(SECTOR);
  const plannerView = await auth.findByEmail('planner@ogas.local');
  const maxView = await auth.findByEmail('member@ogas.local');
  const adminView = await auth.findByEmail('admin@ogas.local');
  if (!farm || !sector || !plannerView || !maxView || !adminView) return { budgetPlanId: null };
  const people: Principal[] = [];
  for (const name of MEMBERS) {
    const first = (name.split(' ')[0] ?? name).toLowerCase();
    const p = await auth.register({ email: `${first}@ogas.local`, name, password });
    await auth.grant(p.id, farm.id, 'member');
    people.push(await auth.principalOf(p.id));
  }
  const [ana, ben, cleo, dario, eda, femi, gus, hana] = people as [
    Principal,
    Principal,
    Principal,
    Principal,
    Principal,
    Principal,
    Principal,
    Principal,
  ];
  const planner = await auth.principalOf(plannerView.id);
  const max = await auth.principalOf(maxView.id);
  const now = clock.now().getTime();
  const days = (n: number) => new Date(now + n * 86_400_000);

  // A closed election with three rounds: the delegate to the sector council.
  const delegates = [
    { id: 'ana', name: 'Ana Okafor' },
    { id: 'ben', name: 'Ben Richter' },
    { id: 'cleo', name: 'Cleo Martin' },
    { id: 'dario', name: 'Dario Rossi' },
  ];
  const election = await votes.open(planner, {
    unitId: farm.id,
    title: 'Delegate of the farm to the sector council',
    description: 'One delegate for two years, elected by instant runoff.',
    method: {
      type: 'irv',
      overvote: 'exhaust',
      maxSkippedRanks: null,
      duplicates: 'skip',
      tieBreak: 'previous-round',
      batchElimination: false,
      continueUntilTwoRemain: false,
    },
    candidates: delegates,
    quorum: { kind: 'share', share: '1/2' },
    shareNeeded: null,
    hideResults: true,
    anonymous: true,
    allowChanges: false,
    electorateRule: { roles: ['member', 'manager', 'planner', 'auditor', 'admin'] },
    closesAt: days(7),
    decisionKind: 'election',
    decisionPayload: { office: 'sector council delegate', term: '2 years' },
  });
  const rankings: [Principal, string[]][] = [
    [ana, ['ana', 'ben']],
    [ben, ['ana', 'cleo']],
    [cleo, ['ana']],
    [dario, ['ben', 'ana']],
    [eda, ['ben', 'cleo']],
    [femi, ['cleo', 'ben']],
    [gus, ['cleo', 'ben']],
    [hana, ['dario', 'ben']],
    [max, ['ben', 'dario']],
  ];
  for (const [who, ranking] of rankings) await votes.cast(who, election.id, { ranking });
  await votes.close(election.id, 'system:demo');

  // An open ranked vote, waiting for member@ogas.local's ballot.
  const crops = await votes.open(planner, {
    unitId: farm.id,
    title: 'Which crop should we trial next season?',
    description: 'Rank the crops; the field trial gets two hectares.',
    method: {
      type: 'irv',
      overvote: 'exhaust',
      maxSkippedRanks: null,
      duplicates: 'skip',
      tieBreak: 'previous-round',
      batchElimination: false,
      continueUntilTwoRemain: false,
    },
    candidates: [
      { id: 'lentils', name: 'Lentils' },
      { id: 'buckwheat', name: 'Buckwheat' },
      { id: 'hemp', name: 'Hemp' },
      { id: 'sunflowers', name: 'Sunflowers' },
    ],
    quorum: { kind: 'none' },
    shareNeeded: null,
    hideResults: true,
    anonymous: true,
    allowChanges: true,
    electorateRule: { roles: ['member', 'manager', 'planner', 'auditor', 'admin'] },
    closesAt: days(5),
    decisionKind: 'general',
    decisionPayload: {},
  });
  await votes.cast(ana, crops.id, { ranking: ['lentils', 'buckwheat'] });
  await votes.cast(ben, crops.id, { ranking: ['hemp', 'lentils', 'sunflowers'] });
  await votes.cast(cleo, crops.id, { ranking: ['buckwheat'] });

  // A general assembly in session: one item decided by a show of hands, one put to a vote of those present.
  const planned = await assemblies.create(planner, {
    unitId: farm.id,
    title: 'General assembly 2026',
    kind: 'general-assembly',
    scheduledFor: new Date(now),
    quorum: { kind: 'share', share: '1/3' },
    electorateRule: { roles: ['member', 'manager', 'planner', 'auditor', 'admin'] },
  });
  await assemblies.addItem(planned.id, {
    title: 'Approve the 2025 accounts',
    body: 'The accounts were audited in February.',
    documents: [{ title: 'Accounts 2025', text: 'Income 1.2 M, costs 1.1 M, surplus 0.1 M to the reserve.' }],
  });
  await assemblies.addItem(planned.id, {
    title: 'Adopt the 32-hour week',
    body: 'Proposed by the members of the dairy shop.',
    documents: [{ title: 'Proposal', text: 'Article 1. The working week is 32 hours, without loss of pay.' }],
  });
  const opened = await assemblies.open(planned.id);
  for (const p of [ana, ben, cleo, dario, eda, femi]) {
    if (p.kind === 'person') await assemblies.attend(opened.id, p.personId);
  }
  const [accounts, week] = opened.items;
  if (accounts && week) {
    await assemblies.decide(planner, accounts.id, {
      outcome: 'adopted',
      counts: { for: 6, against: 0, abstain: 0 },
      kind: 'general',
      payload: {},
    });
    const vote = await assemblies.voteOnItem(planner, week.id, {
      voters: 'present',
      title: 'Adopt the 32-hour week?',
      description: '',
      method: { type: 'proposal' },
      candidates: [],
      quorum: { kind: 'none' },
      shareNeeded: null,
      hideResults: false,
      anonymous: true,
      allowChanges: false,
      closesAt: days(1),
      decisionKind: 'rule-change',
      decisionPayload: { rule: 'working-week', text: 'Article 1. The working week is 32 hours.' },
    });
    await votes.cast(ana, vote.id, { position: 'agree' });
    await votes.cast(ben, vote.id, { position: 'agree' });
    await votes.cast(dario, vote.id, { position: 'abstain' });
  }
  await assemblies.setMinutes(
    planner,
    opened.id,
    'Opened at 18:00 with six members present (quorum two).\n\n1. The 2025 accounts were approved, 6 to 0.',
  );

  // Public questions: one answered (and corrected), one climbing for want of an answer, one hidden.
  const grain = await questions.ask(ana, {
    unitId: sector.id,
    title: 'When will the new grain store open?',
    body: '',
  });
  const answered = await questions.answer(planner, grain.id, 'In June.');
  const answerId = answered.answers[0]?.id;
  if (answerId)
    await questions.editAnswer(planner, answerId, 'In July: the roof delivery is late by a month.');
  const feed = await questions.ask(ben, {
    unitId: farm.id,
    title: 'Why did the feed price rise in March?',
    body: 'It went up by a fifth in one month.',
  });
  for (const p of [cleo, dario, eda, gus]) await questions.upvote(p, feed.id);
  const rude = await questions.ask(gus, { unitId: sector.id, title: 'Why is Hana so useless?', body: '' });
  await questions.moderate(
    await auth.principalOf(adminView.id),
    rude.id,
    'hidden',
    'a personal attack on a named member; ask about the work, not the person',
  );

  // A participatory budget whose chosen projects set the plan's targets.
  const budget = await seedDemoBudget(services, clock, planner, [...people, max]);
  return { budgetPlanId: budget.planId };
}
