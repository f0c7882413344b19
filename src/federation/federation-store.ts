// The storage port of the federation: the Kysely repository implements it over a node's database, and the
// benchmark's many regional nodes in one process over memory (federation-memory-store.ts).
import type { PartialAggregate } from '../cybernet/partial-aggregate';
import type { FederationQuarantineReason, ShortfallFacts } from './messages';

export interface ChildNode {
  nodeId: string;
  unitId: string;
  addedAt: Date;
  lastHeardAt: Date | null;
}

export interface PartialRow {
  childNode: string;
  code: string;
  bucket: Date;
  bucketSeconds: number;
  rev: number;
  p: PartialAggregate;
}

export interface RemoteAlert {
  originAlertId: string;
  childNode: string;
  originNode: string;
  unitId: string;
  status: string;
  severity: string;
  message: string;
  originUnitCode: string | null;
  openedAt: Date;
  /** "statistical", "plan-shortfall"; null when the sending node did not say (an older node). */
  kind: string | null;
  /** A plan-shortfall alert's plan, target, actual and share of plan, as its origin judged them. */
  shortfall: ShortfallFacts | null;
  rev: number;
  receivedAt: Date;
  forwardDueAt: Date | null;
  forwardedAt: Date | null;
  /** The revision last passed on to the parent node; null while it has not climbed on. */
  forwardedRev: number | null;
  /**
   * Who moved it to its state at this node: a person here (`person:<id>`, acknowledging it) or the child node
   * whose revision carried it (`system:node:<child>`); and when. The state only moves forward (alert-status.ts).
   */
  statusBy: string;
  statusAt: Date;
}

export interface StoredTarget {
  planId: string;
  unit: string;
  technology: string;
  product: string;
  period: number;
  quantity: number;
  labour: number;
  rev: number;
  fromNode: string;
  receivedAt: Date;
  /** The unit the plan counts `product` in; null when the sending node did not say (an older node). */
  productUnit: string | null;
  planName: string | null;
}

/** The open round of planning rounds at a node above, as received here for the units of this subtree. */
export interface ReceivedRound {
  roundsId: string;
  round: number;
  name: string;
  deadline: Date;
  prices: { kind: string; code: string; price: number }[];
  units: string[];
  rev: number;
  fromNode: string;
  receivedAt: Date;
}

export interface TargetAck {
  planId: string;
  childNode: string;
  rev: number;
  stored: number;
  quarantined: number;
  ackedAt: Date;
}

export interface OutboxRow {
  id: number;
  subject: string;
  msgId: string;
  body: string;
}

export interface FederationQuarantineEntry {
  id: number;
  at: Date;
  subject: string;
  fromNode: string | null;
  reason: FederationQuarantineReason;
  message: string;
  raw: string;
}

export interface FederationStore {
  transaction<T>(fn: (tx: FederationStore) => Promise<T>): Promise<T>;
  addChild(nodeId: string, unitId: string, at: Date): Promise<void>;
  children(): Promise<ChildNode[]>;
  touchChild(nodeId: string, at: Date): Promise<void>;
  /** Stores each partial unless a revision as new or newer is stored; returns how many changed. */
  upsertPartials(rows: PartialRow[], at: Date): Promise<number>;
  /** Children's partials of buckets from `from` on, optionally only of children attached under `path`. */
  partials(options: { from: Date; to?: Date; code?: string; underPath?: string }): Promise<PartialRow[]>;
  setChildUnits(childNode: string, codes: string[]): Promise<void>;
  childUnitCodes(): Promise<Map<string, string>>;
  /**
   * Stores a child's revision of an alert as `mergeRemoteAlert` says: a newer revision's facts replace the stored
   * ones, its state only when it is further along; true when it changed anything.
   */
  upsertAlert(alert: RemoteAlert): Promise<boolean>;
  alerts(options: { underPath?: string; limit: number }): Promise<RemoteAlert[]>;
  /**
   * Alerts from below to pass on to the parent node: open ones not passed on whose forward time has come, and
   * every one already passed on that has a newer revision since (its later states and facts climb too).
   */
  dueAlerts(now: Date): Promise<RemoteAlert[]>;
  remoteAlert(originAlertId: string): Promise<RemoteAlert | null>;
  /** Open → acknowledged here by `by` at `at` (it stops climbing on); false when it was not open. */
  acknowledgeRemoteAlert(originAlertId: string, by: string, at: Date): Promise<boolean>;
  /** Records that revision `rev` of the alert was passed on (a later call with an older one changes nothing). */
  markAlertForwarded(id: string, at: Date, rev: number): Promise<void>;
  /** Which of these states ("<alert id> <status>") of this node's own alerts were queued for the parent. */
  queuedAlertStates(keys: { alertId: string; status: string }[]): Promise<Set<string>>;
  markAlertStateQueued(alertId: string, status: string, at: Date): Promise<void>;
  /** The facts last sent up of these alerts of this node (as factsKey words them), and when. */
  sentAlertFacts(alertIds: string[]): Promise<Map<string, { facts: string; sentAt: Date }>>;
  markAlertFactsSent(alertId: string, facts: string, at: Date): Promise<void>;
  /**
   * Claims the sending of these facts as an update: records them as sent at `at` only when none were recorded, or
   * the recorded ones differ and were sent at or before `notAfter`; true when this call recorded them. Two
   * callers racing with the same facts (a reading's notice and the report pass) get one true between them: on
   * PostgreSQL the second waits for the first's row and sees its facts.
   */
  claimAlertFacts(alertId: string, facts: string, at: Date, notAfter: Date): Promise<boolean>;
  /** Replaces a plan's targets received from above unless a revision as new or newer is stored. */
  replaceTargets(planId: string, rev: number, targets: StoredTarget[]): Promise<boolean>;
  targetsOf(codes: string[]): Promise<StoredTarget[]>;
  recordAck(ack: TargetAck): Promise<void>;
  /** Stores a round's prices unless a revision as new or newer is stored for the series. */
  putRound(round: ReceivedRound): Promise<boolean>;
  round(roundsId: string): Promise<ReceivedRound | null>;
  rounds(): Promise<ReceivedRound[]>;
  acks(planId?: string): Promise<TargetAck[]>;
  enqueue(rows: { subject: string; msgId: string; body: string }[], at: Date): Promise<void>;
  unsent(limit: number): Promise<OutboxRow[]>;
  markSent(ids: number[], at: Date): Promise<void>;
  pendingCount(): Promise<number>;
  quarantine(entry: Omit<FederationQuarantineEntry, 'id'>): Promise<void>;
  quarantined(limit: number, reason?: FederationQuarantineReason): Promise<FederationQuarantineEntry[]>;
}
