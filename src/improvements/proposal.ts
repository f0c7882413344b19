// Rationalization proposals: what is shown of a proposal, its changes, its history and its adoptions, and the
// pure rules (how a change applies to a technology's coefficients, which deadline runs in which state).
import { z } from 'zod';
import { DomainError, type FieldIssue } from '../core/errors';
import type { EconomyModel, TechnologyCoefficients } from '../economy/economy';

export const PROPOSAL_STATUSES = [
  'filed',
  'acknowledged',
  'on-trial',
  'adopted',
  'adopted-in-part',
  'rejected',
  'appealed',
] as const;
export type ProposalStatus = (typeof PROPOSAL_STATUSES)[number];

export const PROPOSAL_EVENT_KINDS = [
  'filed',
  'acknowledged',
  'commented',
  'trial-requested',
  'escalated',
  'adopted',
  'adopted-in-part',
  'rejected',
  'appealed',
  'spread',
  'publication-requested',
] as const;
export type ProposalEventKind = (typeof PROPOSAL_EVENT_KINDS)[number];

/** The two deadlines of the Soviet rules: acknowledge within 5 days, decide within 15. */
export const DEADLINE_PHASES = ['acknowledge', 'decide'] as const;
export type DeadlinePhase = (typeof DEADLINE_PHASES)[number];
export const DEFAULT_PHASE_SECONDS: Record<DeadlinePhase, number> = {
  acknowledge: 5 * 86_400,
  decide: 15 * 86_400,
};

export const COEFFICIENT_KINDS = ['input', 'labour', 'resource'] as const;
export type CoefficientKind = (typeof COEFFICIENT_KINDS)[number];

export const coefficientChangeSchema = z.object({
  kind: z.enum(COEFFICIENT_KINDS).describe('input (a product), labour (a skill) or resource (capacity use)'),
  item: z.string().trim().min(1).max(200).describe('the product, skill or resource code'),
  perUnit: z
    .number()
    .min(0)
    .max(1e12)
    .describe('the new amount per unit of the technology’s output (0 removes the coefficient)'),
});
export type CoefficientChange = z.infer<typeof coefficientChangeSchema>;

/** A change as filed: the coefficient it had then (`from`) and the one proposed (`to`). */
export const filedChangeSchema = z.object({
  kind: z.enum(COEFFICIENT_KINDS),
  item: z.string(),
  from: z.number(),
  to: z.number(),
});
export type FiledChange = z.infer<typeof filedChangeSchema>;

export const attachmentSchema = z.object({
  name: z.string().trim().min(1).max(300),
  ref: z
    .string()
    .trim()
    .min(1)
    .max(2000)
    .describe('where the attachment lives: a library record id, a file hash or a URL'),
});

export const adoptionSchema = z.object({
  id: z.string(),
  proposalId: z.string(),
  unitId: z.string(),
  share: z.number().describe("the unit's share of the technology's output"),
  economyId: z.string(),
  technology: z.string(),
  fromVersion: z.number().int(),
  toVersion: z.number().int(),
  economyVersion: z.number().int().describe('the economy version the adoption made'),
  labourSaved: z.number().describe('hours saved per plan period, at the demand named by demandSource'),
  demandSource: z.string().describe('"plan <id>" or "economy targets"'),
  adoptedAt: z.date(),
  adoptedBy: z.string(),
});
export type Adoption = z.infer<typeof adoptionSchema>;

export const proposalEventSchema = z.object({
  at: z.date(),
  kind: z.enum(PROPOSAL_EVENT_KINDS),
  actor: z.string(),
  actorName: z.string(),
  level: z.object({ unitId: z.string(), depth: z.number().int() }),
  reason: z.string().nullable().describe('why, in the actor’s words (decisions, trials, appeals, comments)'),
  detail: z.record(z.string(), z.unknown()),
});
export type ProposalEvent = z.infer<typeof proposalEventSchema>;

export const decisionSchema = z.object({
  outcome: z.enum(['adopt', 'adopt-in-part', 'reject']),
  reason: z.string(),
  by: z.string(),
  byName: z.string(),
  onAppeal: z.boolean(),
  changes: z.array(filedChangeSchema).describe('the changes adopted (empty on rejection)'),
});
export type Decision = z.infer<typeof decisionSchema>;

export const proposalSchema = z.object({
  id: z.string(),
  unitId: z.string().describe('the unit the proposal was filed on'),
  economyId: z.string(),
  technology: z.string(),
  title: z.string(),
  body: z.string(),
  changes: z.array(filedChangeSchema),
  attachments: z.array(attachmentSchema),
  authorId: z.string(),
  authorName: z.string(),
  status: z.enum(PROPOSAL_STATUSES),
  level: z.object({
    unitId: z.string().describe('the unit that must act now (the unit filed on, until it climbs)'),
    depth: z.number().int(),
  }),
  phase: z.enum(DEADLINE_PHASES).nullable().describe('the deadline that runs, if any'),
  escalateDueAt: z.date().nullable().describe('when it climbs next if nobody acts'),
  filedAt: z.date(),
  acknowledgedAt: z.date().nullable(),
  decidedAt: z.date().nullable(),
  appealedAt: z.date().nullable(),
  decision: decisionSchema.nullable(),
  adoptions: z.array(adoptionSchema),
  labourSaved: z.number().describe('hours saved, summed over every adoption'),
});
export type ProposalView = z.infer<typeof proposalSchema>;

export const ADOPTED: readonly ProposalStatus[] = ['adopted', 'adopted-in-part'];

/** The coefficient `kind`/`item` of a technology (0 when it has none). */
export function coefficientOf(c: TechnologyCoefficients, kind: CoefficientKind, item: string): number {
  if (kind === 'input') return c.inputs.find((x) => x.product === item)?.perUnit ?? 0;
  if (kind === 'labour') return c.labour.find((x) => x.skill === item)?.perUnit ?? 0;
  return c.resources.find((x) => x.resource === item)?.perUnit ?? 0;
}

/** Each change names an item of the model, once; returns the issues (empty when all is well). */
export function changeIssues(
  model: EconomyModel,
  changes: CoefficientChange[],
  field = 'changes',
): FieldIssue[] {
  const known: Record<CoefficientKind, Set<string>> = {
    input: new Set(model.products.map((p) => p.code)),
    labour: new Set(model.skills.map((s) => s.code)),
    resource: new Set(model.resources.map((r) => r.code)),
  };
  const seen = new Set<string>();
  return changes.flatMap((c, i) => {
    const key = `${c.kind}:${c.item}`;
    if (!known[c.kind].has(c.item))
      return [
        {
          field: `${field}[${i}].item`,
          message: `unknown ${c.kind === 'input' ? 'product' : c.kind === 'labour' ? 'skill' : 'resource'} "${c.item}"`,
        },
      ];
    if (seen.has(key)) return [{ field: `${field}[${i}]`, message: `${key} is changed twice` }];
    seen.add(key);
    return [];
  });
}

export function assertChanges(model: EconomyModel, changes: CoefficientChange[], field = 'changes'): void {
  const issues = changeIssues(model, changes, field);
  if (issues.length > 0)
    throw new DomainError('invalid', `${issues[0]?.field}: ${issues[0]?.message}`, {
      issues,
      fix: 'name products, skills and resources by their codes in economy.model, each once',
    });
}

/**
 * The coefficients after a unit with `share` of the technology's output adopts the changes: each moves by
 * share × (to − from) from where it stands now, so adoptions by several units add up and a unit with the
 * whole output (share 1) gets exactly the proposed values. Zero coefficients are dropped.
 */
export function applyChanges(
  current: TechnologyCoefficients,
  changes: FiledChange[],
  share: number,
): TechnologyCoefficients {
  const next = (kind: CoefficientKind, item: string, now: number): number => {
    const c = changes.find((x) => x.kind === kind && x.item === item);
    return c ? Math.max(0, now + share * (c.to - c.from)) : now;
  };
  const added = (kind: CoefficientKind, have: Set<string>) =>
    changes
      .filter((c) => c.kind === kind && !have.has(c.item))
      .map((c) => ({ item: c.item, perUnit: next(kind, c.item, 0) }));
  const inputs = [
    ...current.inputs.map((x) => ({ product: x.product, perUnit: next('input', x.product, x.perUnit) })),
    ...added('input', new Set(current.inputs.map((x) => x.product))).map((x) => ({
      product: x.item,
      perUnit: x.perUnit,
    })),
  ];
  const labour = [
    ...current.labour.map((x) => ({ skill: x.skill, perUnit: next('labour', x.skill, x.perUnit) })),
    ...added('labour', new Set(current.labour.map((x) => x.skill))).map((x) => ({
      skill: x.item,
      perUnit: x.perUnit,
    })),
  ];
  const resources = [
    ...current.resources.map((x) => ({
      resource: x.resource,
      perUnit: next('resource', x.resource, x.perUnit),
    })),
    ...added('resource', new Set(current.resources.map((x) => x.resource))).map((x) => ({
      resource: x.item,
      perUnit: x.perUnit,
    })),
  ];
  return {
    inputs: inputs.filter((x) => x.perUnit > 0),
    labour: labour.filter((x) => x.perUnit > 0),
    resources: resources.filter((x) => x.perUnit > 0),
  };
}

/** The deadline that runs in a state: acknowledgement while filed, decision while reviewed, none once decided. */
export function phaseOf(status: ProposalStatus): DeadlinePhase | null {
  if (status === 'filed') return 'acknowledge';
  if (status === 'acknowledged' || status === 'on-trial' || status === 'appealed') return 'decide';
  return null;
}
