// The demo's participatory budget: members voted on projects of the federation's economy, the office closed
// the budget by Equal Shares, and the plan computed from it carries the chosen projects as targets (with their
// provenance). A second budget is still open for voting, and a priorities vote has weighed consumption groups.
import type { Clock } from '../core/clock';
import type { Principal } from '../core/principal';
import type { Services } from '../core/services';

/** WIOD products (USD million of output); costs are the economy's labour values (value-added proxy). */
const PROJECTS = [
  {
    name: 'Health centres in every district',
    items: [
      { product: 'Q', quantity: 8000 },
      { product: 'F', quantity: 3000 },
    ],
  },
  {
    name: 'Tram line across the valley',
    items: [
      { product: 'H49', quantity: 4000 },
      { product: 'F', quantity: 6000 },
      { product: 'C30', quantity: 1500 },
    ],
  },
  {
    name: 'School renovation',
    items: [
      { product: 'P85', quantity: 3000 },
      { product: 'F', quantity: 4000 },
    ],
  },
  {
    name: 'Affordable housing',
    items: [
      { product: 'F', quantity: 9000 },
      { product: 'L68', quantity: 1000 },
    ],
  },
  {
    name: 'Food co-op network',
    items: [
      { product: 'C10-C12', quantity: 2000 },
      { product: 'G47', quantity: 1000 },
    ],
  },
];

/** Who approved what: p1 … p5 as above. Ballots keep within the pool of 20,000. */
const APPROVALS = [
  ['p1', 'p3'],
  ['p1', 'p5'],
  ['p1', 'p3', 'p5'],
  ['p2'],
  ['p2', 'p5'],
  ['p4', 'p5'],
  ['p4'],
  ['p1', 'p4'],
  ['p3', 'p5'],
];

export async function seedDemoBudget(
  services: Services,
  clock: Clock,
  planner: Principal,
  voters: Principal[],
): Promise<{ planId: string | null }> {
  const { budgets, economy } = services;
  const [demo] = await economy.list('everywhere');
  if (!demo) return { planId: null };
  const days = (n: number) => new Date(clock.now().getTime() + n * 86_400_000);
  const budget = await budgets.open(planner, {
    economyId: demo.id,
    name: 'Federation budget 2027',
    settings: {
      pool: { kind: 'labour-hours', amount: 20_000 },
      period: 1,
      ballot: 'approval',
      points: null,
      rule: 'equal-shares',
    },
    projects: PROJECTS.map((p) => ({ ...p, description: '' })),
  });
  await budgets.startVote(planner, budget.id, { closesAt: days(3), electorateRule: { roles: ['member'] } });
  for (const [i, who] of voters.entries()) {
    const approve = APPROVALS[i % APPROVALS.length] ?? [];
    await budgets.vote(who, budget.id, { approve });
  }
  await budgets.close('system:demo', budget.id);

  // Priorities: what the harmony objective should favour.
  const groups = [
    { id: 'food', name: 'Food', products: ['A01', 'C10-C12', 'I'] },
    { id: 'housing', name: 'Housing', products: ['F', 'L68'] },
    { id: 'transport', name: 'Transport', products: ['H49', 'C29', 'C30'] },
    { id: 'health', name: 'Health and education', products: ['Q', 'P85'] },
  ];
  const priorities = await budgets.openPriorities(planner, {
    economyId: demo.id,
    name: 'What the 2027 plan should favour',
    groups,
    points: 10,
    closesAt: days(3),
    electorateRule: { roles: ['member'] },
  });
  const split: Record<string, number>[] = [
    { food: 3, housing: 3, health: 4 },
    { housing: 6, transport: 2, health: 2 },
    { food: 5, health: 5 },
    { transport: 5, housing: 5 },
  ];
  for (const [i, who] of voters.entries())
    await budgets.vote(who, priorities.id, { points: split[i % split.length] ?? {} });
  await budgets.closePriorities('system:demo', priorities.id);
  const made = await budgets.plan(budget.id, { objective: 'min-labour' }, { actor: 'system:demo' });

  // Still voting: a second budget the Opsroom lets members vote in and planners close.
  const open = await budgets.open(planner, {
    economyId: demo.id,
    name: 'Farm district budget',
    settings: {
      pool: { kind: 'labour-hours', amount: 5000 },
      period: 1,
      ballot: 'approval',
      points: null,
      rule: 'equal-shares',
    },
    projects: [
      { name: 'Cold store for the harvest', description: '', items: [{ product: 'F', quantity: 2500 }] },
      {
        name: 'Farm shop and café',
        description: '',
        items: [
          { product: 'I', quantity: 1500 },
          { product: 'G47', quantity: 1000 },
        ],
      },
      { name: 'Village bus', description: '', items: [{ product: 'H49', quantity: 2000 }] },
    ],
  });
  await budgets.startVote(planner, open.id, { closesAt: days(5), electorateRule: { roles: ['member'] } });
  for (const [i, who] of voters.slice(0, 4).entries())
    await budgets.vote(who, open.id, { approve: i % 2 === 0 ? ['p1', 'p3'] : ['p2'] });
  return { planId: made.plan.status === 'optimal' ? made.plan.id : null };
}
