// Decisions: what a vote or an assembly decided, typed by kind, for other capabilities to act on.
import { z } from 'zod';

/**
 * Kinds other capabilities read: `plan-approval` (payload `{ planId }`), `rule-change` (payload
 * `{ rule, text }`), `election` (winners in the result), `general` for the rest. Any kebab-case kind is
 * accepted, so a capability can introduce its own without a migration.
 */
export const decisionKind = z
  .string()
  .regex(/^[a-z][a-z0-9-]{1,49}$/, 'kebab-case, such as "plan-approval" or "rule-change"')
  .default('general');

export const decisionSchema = z.object({
  id: z.string(),
  unitId: z.string(),
  kind: z.string(),
  title: z.string(),
  outcome: z.string().describe('adopted, rejected, blocked, elected, no-quorum or no-winner'),
  payload: z.record(z.string(), z.unknown()).describe('what was decided, as the kind defines it'),
  result: z
    .record(z.string(), z.unknown())
    .nullable()
    .describe('the vote result or the counts of a show of hands'),
  voteId: z.string().nullable(),
  assemblyId: z.string().nullable(),
  agendaItemId: z.string().nullable(),
  decidedAt: z.date(),
  recordedBy: z.string(),
});
export type Decision = z.infer<typeof decisionSchema>;
