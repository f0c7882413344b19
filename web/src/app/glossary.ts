// The terms of the field, in plain words: shown where they appear (Term) and all together on /glossary.

export interface GlossaryEntry {
  id: string;
  term: string;
  /** One or two sentences a newcomer can act on. */
  meaning: string;
}

export const GLOSSARY: readonly GlossaryEntry[] = [
  {
    id: 'holarchy',
    term: 'Holarchy',
    meaning:
      'The tree of units, from the whole federation down to sectors, enterprises, co-ops and shops. Each unit is a whole in itself and a part of the unit above it; a role granted on a unit holds for everything below it.',
  },
  {
    id: 'unit',
    term: 'Unit',
    meaning: 'One place in the holarchy: a federation, sector, enterprise, co-op, shop or cell.',
  },
  {
    id: 'indicator',
    term: 'Indicator',
    meaning:
      'Something a unit measures regularly, in its own measure (cars per hour, °C), e.g. output or a machine temperature. Its readings are charted and watched for changes.',
  },
  {
    id: 'forecast-band',
    term: 'Forecast band',
    meaning:
      'The range the next reading of an indicator was expected to fall in, from its recent history. A reading outside it is unusual, not necessarily wrong.',
  },
  {
    id: 'change-point',
    term: 'Change point',
    meaning:
      'A reading after which the level of an indicator has changed for good, not just for one reading (a new normal).',
  },
  {
    id: 'alert',
    term: 'Alert',
    meaning:
      'A notice that an indicator behaved unusually. The managers of the unit acknowledge it (someone is on it) and resolve it (it is over).',
  },
  {
    id: 'escalation',
    term: 'Escalation (algedonic signal)',
    meaning:
      'An alert nobody acknowledges in time climbs to the unit above, level by level, until someone answers it: trouble does not stay hidden at the bottom.',
  },
  {
    id: 'triple-index',
    term: 'Triple index',
    meaning:
      "Stafford Beer's measure of a unit: actuality (what it does now), capability (what it could do now with what it has) and potentiality (what it could do after developing its means). Productivity is actuality ÷ capability, latency is capability ÷ potentiality, performance is their product.",
  },
  {
    id: 'plan',
    term: 'Plan',
    meaning:
      'How much each technology should produce in each period so that the targets of final demand are met within the limits of labour, resources and capacity.',
  },
  {
    id: 'adopted-plan',
    term: 'Adopted plan',
    meaning:
      "The one plan the planners of a unit have decided to work to. A unit's targets come only from it; plans computed to try things out (tests, what-if scenarios) change nothing until adopted.",
  },
  {
    id: 'scenario',
    term: 'What-if scenario',
    meaning:
      'A plan computed from another with a few changes (a new target, less labour) to see what would follow. It is for comparison and cannot be adopted.',
  },
  {
    id: 'objective',
    term: 'Objective',
    meaning:
      'What the planner optimises. Least labour: meet every target with the fewest hours. Assortment: make as many whole bundles of the targets as the limits allow. Harmony: balance how far each target is exceeded, as Cockshott proposed. Both need a limit (the labour available, say), or there is no largest.',
  },
  {
    id: 'technique-choice',
    term: 'Technique choice',
    meaning:
      'Choosing, for each product, which of the technologies that make it to use. With one limited kind of labour the cheapest technology in labour can be found exactly, without a general solver.',
  },
  {
    id: 'shadow-price',
    term: 'Shadow price',
    meaning:
      'How much the objective would improve if a limit were loosened by one unit (one more hour of labour, one more tonne of a resource). Zero means the limit does not hold the plan back.',
  },
  {
    id: 'binding-constraint',
    term: 'Binding constraint',
    meaning:
      'A limit the plan presses against: it uses all of it. Its shadow price says what more of it is worth.',
  },
  {
    id: 'labour-value',
    term: 'Labour value',
    meaning:
      'All the labour a product takes, directly and through every input it uses, in hours (or in the measure the economy counts labour in).',
  },
  {
    id: 'net-output',
    term: 'Net and gross output',
    meaning:
      'Gross output is everything produced; net output is what is left for final use after the inputs that production itself uses up.',
  },
  {
    id: 'solver-status',
    term: 'Solver status',
    meaning:
      'How the computation ended. Optimal: a best plan was found. Infeasible: the targets cannot be met within the limits. Unbounded: nothing limits the objective (a limit is missing). Iteration or time limit: the solver stopped before it finished.',
  },
  {
    id: 'solver',
    term: 'Solver (HiGHS, PDLP)',
    meaning:
      'The program that computes the plan. HiGHS is exact and suits small and medium economies; PDLP is a first-order method for very large ones, fast but approximate, and may stop at its iteration limit.',
  },
];

export function glossaryEntry(id: string): GlossaryEntry | undefined {
  return GLOSSARY.find((g) => g.id === id);
}
