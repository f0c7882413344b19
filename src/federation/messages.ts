// The messages nodes exchange, schema version 1. Every message carries its version `v`; a node reads only
// versions it knows and quarantines a newer one with the reason, so an upgrade in one tier never corrupts
// another. Reports and alerts are states (the latest revision wins), never deltas: a message delivered twice,
// or replayed after an outage, changes nothing the second time.
import { z } from 'zod';
import { AGGREGATIONS } from '../cybernet/indicator';

export const SCHEMA_VERSION = 1;

const nodeId = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'letters, digits, "_" or "-" (a subject token)');
export const nodeIdSchema = nodeId;

const partial = z.object({
  aggregation: z.enum(AGGREGATIONS),
  sum: z.number(),
  n: z.number().nonnegative(),
  units: z.number().nonnegative(),
  sumMeans: z.number(),
  weightSum: z.number().nonnegative(),
  weightedMeans: z.number(),
});

const base = { v: z.literal(SCHEMA_VERSION), from: nodeId, sentAt: z.string() };

export const reportMessage = z.object({
  ...base,
  kind: z.literal('report'),
  bucketSeconds: z.number().int().positive(),
  items: z.array(
    z.object({ code: z.string().min(1).max(64), bucket: z.string(), rev: z.number(), p: partial }),
  ),
});

export const unitsMessage = z.object({
  ...base,
  kind: z.literal('units'),
  /** Codes of every unit of the sender's subtree, its children's included: where targets are routed. */
  codes: z.array(z.string().min(1).max(200)),
});

/**
 * What a plan-shortfall alert carries up besides its sentence, so the node above shows it as one: the plan it
 * was measured by, the target and the actual in the indicator's measure, and the actual as a share of plan.
 */
export const shortfallFacts = z.object({
  planId: z.string().min(1).max(64),
  planName: z.string().max(200).optional(),
  target: z.number(),
  actual: z.number(),
  fulfilment: z.number(),
  tolerance: z.number().optional(),
  measure: z.string().max(64).optional(),
  indicatorName: z.string().max(200).optional(),
  readingAt: z.string().optional(),
  /** The node whose targets it was measured by, when the plan was not adopted at the alert's own node. */
  receivedFrom: z.string().max(64).optional(),
});
export type ShortfallFacts = z.infer<typeof shortfallFacts>;

export const alertMessage = z.object({
  ...base,
  kind: z.literal('alert'),
  rev: z.number(),
  alert: z.object({
    id: z.string().min(1),
    originNode: nodeId,
    unitCode: z.string().nullable(),
    status: z.enum(['open', 'acknowledged', 'resolved']),
    severity: z.string(),
    message: z.string(),
    openedAt: z.string(),
    /**
     * Optional (added after version 1 shipped, so `v` stays 1): the alert's kind ("statistical",
     * "plan-shortfall"); a message without it is a detector's alert, and a node that does not know it ignores it.
     */
    kind: z.string().min(1).max(64).optional(),
    /** Optional as `kind`: a plan-shortfall alert's facts. */
    shortfall: shortfallFacts.optional(),
  }),
});

export const targetsMessage = z.object({
  ...base,
  kind: z.literal('targets'),
  planId: z.string().min(1),
  /** Optional (added after version 1 shipped): a node that does not know it ignores it, so `v` stays 1. */
  planName: z.string().max(200).optional(),
  rev: z.number(),
  targets: z.array(
    z.object({
      unit: z.string().min(1),
      technology: z.string(),
      product: z.string(),
      /** Optional as `planName`: the unit the plan counts the product in, for setting targets against actuals. */
      productUnit: z.string().max(64).optional(),
      period: z.number().int().positive(),
      quantity: z.number(),
      labour: z.number(),
    }),
  ),
});

export const ackMessage = z.object({
  ...base,
  kind: z.literal('ack'),
  planId: z.string().min(1),
  rev: z.number(),
  stored: z.number().int().nonnegative(),
  quarantined: z.number().int().nonnegative(),
});

/** Down: an alert from below was acknowledged here; the node it came through passes it on to its origin. */
export const alertAckMessage = z.object({
  ...base,
  kind: z.literal('alert-ack'),
  /** The alert's id as it travels: "<origin node>:<its id there>". */
  alertId: z.string().min(1),
  by: z.string().min(1).max(200),
  note: z.string().max(2000).optional(),
});

/**
 * Down: the open round of planning rounds at the sending node, for the units of the receiving node's subtree
 * that take part (they answer the prices with proposals). A later round of the series replaces it.
 */
export const roundPricesMessage = z.object({
  ...base,
  kind: z.literal('round-prices'),
  roundsId: z.string().min(1).max(64),
  round: z.number().int().positive(),
  name: z.string().max(200),
  deadline: z.string(),
  rev: z.number(),
  units: z.array(z.string().min(1).max(200)),
  prices: z.array(z.object({ kind: z.string(), code: z.string(), price: z.number() })),
});

/** Up: a unit's proposal for a round received from above, recorded in the round where it was opened. */
export const roundProposalMessage = z.object({
  ...base,
  kind: z.literal('round-proposal'),
  roundsId: z.string().min(1).max(64),
  round: z.number().int().positive(),
  unit: z.string().min(1).max(200),
  /** Who proposed, by name, at the sending node (kept in the quarantine entry if refused). */
  by: z.string().min(1).max(200),
  levels: z.array(z.object({ technology: z.string().min(1).max(200), quantity: z.number().min(0) })),
});

export const federationMessage = z.discriminatedUnion('kind', [
  roundPricesMessage,
  roundProposalMessage,
  alertAckMessage,
  reportMessage,
  unitsMessage,
  alertMessage,
  targetsMessage,
  ackMessage,
]);
export type FederationMessage = z.infer<typeof federationMessage>;
export type ReportMessage = z.infer<typeof reportMessage>;
export type TargetsMessage = z.infer<typeof targetsMessage>;
export type AlertMessage = z.infer<typeof alertMessage>;
export type AlertAckMessage = z.infer<typeof alertAckMessage>;
export type RoundPricesMessage = z.infer<typeof roundPricesMessage>;
export type RoundProposalMessage = z.infer<typeof roundProposalMessage>;

export const QUARANTINE_REASONS = [
  'malformed',
  'schema-too-new',
  'unknown-node',
  'unknown-alert',
  'unknown-unit',
  'wrong-sender',
  'unknown-round',
  'refused',
] as const;
export type FederationQuarantineReason = (typeof QUARANTINE_REASONS)[number];

export type Parsed =
  | { ok: true; message: FederationMessage }
  | { ok: false; reason: FederationQuarantineReason; message: string; from: string | null };

/** Reads a message, or says why it cannot be read (never throws). */
export function parseFederationMessage(text: string): Parsed {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return { ok: false, reason: 'malformed', message: 'not JSON', from: null };
  }
  const from =
    typeof raw === 'object' && raw !== null && typeof (raw as { from?: unknown }).from === 'string'
      ? (raw as { from: string }).from
      : null;
  const v = typeof raw === 'object' && raw !== null ? (raw as { v?: unknown }).v : undefined;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 1)
    return { ok: false, reason: 'malformed', message: 'v: the schema version is missing', from };
  if (v > SCHEMA_VERSION)
    return {
      ok: false,
      reason: 'schema-too-new',
      message: `v: schema version ${v} is newer than this node reads (${SCHEMA_VERSION}); upgrade this node, then replay the quarantine`,
      from,
    };
  const parsed = federationMessage.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return {
      ok: false,
      reason: 'malformed',
      message: `${issue?.path.join('.') || '(message)'}: ${issue?.message ?? 'invalid'}`,
      from,
    };
  }
  return { ok: true, message: parsed.data };
}
