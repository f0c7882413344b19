// The database schema as Kysely types: one schema for PGlite and PostgreSQL.
import type { ColumnType, Generated, JSONColumnType } from 'kysely';

type Timestamp = ColumnType<Date, Date | string, Date | string>;
type CreatedAt = ColumnType<Date, Date | string | undefined, Date | string>;
type Numeric = ColumnType<number, number, number>;

export interface UnitTable {
  id: string;
  parent_id: string | null;
  /** Optional human code, unique (e.g. "DEU-C10"); technologies name their operating unit by it. */
  code: string | null;
  /** Materialised path of ids, "/root/child/", so a subtree is one prefix match. */
  path: string;
  name: string;
  kind: string;
  attributes: JSONColumnType<Record<string, unknown>>;
  public: boolean;
  archived_at: Timestamp | null;
  created_at: CreatedAt;
}

export interface PersonTable {
  id: string;
  email: string;
  name: string;
  password_hash: string;
  created_at: CreatedAt;
}

export interface SessionTable {
  token_hash: string;
  person_id: string;
  created_at: CreatedAt;
  expires_at: Timestamp;
}

export interface MachineTokenTable {
  id: string;
  token_hash: string;
  unit_id: string;
  name: string;
  created_at: CreatedAt;
  revoked_at: Timestamp | null;
}

export interface GrantTable {
  person_id: string;
  unit_id: string;
  role: string;
  created_at: CreatedAt;
}

export interface SignInFailureTable {
  /** The email as typed, lower-cased; unknown emails are counted the same way as known ones. */
  email: string;
  failures: number;
  last_failed_at: Timestamp;
  locked_until: Timestamp | null;
}

export interface PasswordResetTable {
  /** SHA-256 of the one-time code; the code itself is shown once and never stored. */
  code_hash: string;
  person_id: string;
  issued_by: string;
  created_at: CreatedAt;
  expires_at: Timestamp;
}

export interface AuditTable {
  id: Generated<number>;
  at: Timestamp;
  actor: string;
  operation: string;
  unit_id: string | null;
  detail: JSONColumnType<Record<string, unknown>>;
}

export interface EconomyTable {
  id: string;
  unit_id: string;
  name: string;
  source: string | null;
  /** Bumped on every change; plans record the version they were computed from. */
  version: number;
  created_at: CreatedAt;
}

export interface ProductTable {
  economy_id: string;
  code: string;
  name: string;
  unit: string;
  kind: string;
  ord: number;
}

export interface SkillTable {
  economy_id: string;
  code: string;
  name: string;
  available: Numeric | null;
}

export interface ResourceTable {
  economy_id: string;
  code: string;
  name: string;
  unit: string;
  capacity: Numeric;
}

export interface TechnologyTable {
  economy_id: string;
  code: string;
  name: string;
  product: string;
  output_per_run: Numeric;
  capacity: Numeric | null;
  value_added_per_unit: Numeric | null;
  unit_code: string | null;
  ord: number;
}

export interface CoefficientTable {
  economy_id: string;
  technology: string;
  /** 'input' (a product), 'labour' (a skill) or 'resource'. */
  kind: string;
  item: string;
  per_unit: Numeric;
}

export interface TargetTable {
  economy_id: string;
  product: string;
  period: number;
  quantity: Numeric;
}

export interface PlanTable {
  id: string;
  economy_id: string;
  economy_version: number;
  name: string;
  base_plan_id: string | null;
  objective: string;
  status: string;
  objective_value: number | null;
  spec: JSONColumnType<Record<string, unknown>>;
  result: JSONColumnType<Record<string, unknown>>;
  created_by: string;
  created_at: CreatedAt;
}

export interface IndicatorTable {
  id: string;
  unit_id: string;
  code: string;
  name: string;
  measure: string;
  cadence_seconds: number | null;
  good_direction: string;
  aggregation: string;
  weight: Numeric;
  range_min: Numeric | null;
  range_max: Numeric | null;
  detector_kind: string;
  detector_settings: JSONColumnType<Record<string, unknown>>;
  product_code: string | null;
  technology_code: string | null;
  expected: Numeric | null;
  created_at: CreatedAt;
}

export interface ReadingTable {
  indicator_id: string;
  source_id: string;
  at: Timestamp;
  value: Numeric;
  received_at: Timestamp;
  channel: string;
  forecast_mean: Numeric | null;
  forecast_lower: Numeric | null;
  forecast_upper: Numeric | null;
  score: Numeric | null;
  change_point: boolean;
}

export interface QuarantineTable {
  id: Generated<number>;
  at: Timestamp;
  reporter_unit_id: string;
  channel: string;
  actor: string;
  reason: string;
  message: string;
  source_id: string | null;
  raw: ColumnType<unknown, string, string>;
}

export interface TripleIndexTable {
  unit_id: string;
  period: string;
  actuality: Numeric;
  capability: Numeric;
  potentiality: Numeric;
  reported_at: Timestamp;
}

export interface SeriesStateTable {
  indicator_id: string;
  detector_kind: string;
  state: ColumnType<unknown, string, string>;
  readings: Numeric;
  last_at: Timestamp | null;
  open_alert_id: string | null;
  updated_at: Timestamp;
  /** Seconds without a critical signal since the last one. */
  quiet_seconds: Generated<number>;
  /** Set when a change is acknowledged: the detector restarts from the new regime at the next batch. */
  rebaseline: Generated<boolean>;
  /** When the stored state last could not be continued and the warm-up restarted, and why. */
  restarted_at: Timestamp | null;
  restart_reason: string | null;
}

export interface AlertTable {
  id: string;
  unit_id: string;
  indicator_id: string;
  status: string;
  level_unit_id: string;
  level_depth: number;
  severity: string;
  rule: string;
  message: string;
  evidence: JSONColumnType<Record<string, unknown>>;
  signal_count: number;
  opened_at: Timestamp;
  last_signal_at: Timestamp;
  escalate_due_at: Timestamp | null;
  acknowledged_at: Timestamp | null;
  acknowledged_by: string | null;
  resolved_at: Timestamp | null;
  resolved_by: string | null;
}

export interface AlertEventTable {
  id: Generated<number>;
  alert_id: string;
  at: Timestamp;
  kind: string;
  actor: string;
  level_unit_id: string;
  level_depth: number;
  detail: JSONColumnType<Record<string, unknown>>;
}

export interface EscalationDeadlineTable {
  depth: number;
  seconds: Numeric;
}

export interface Database {
  units: UnitTable;
  people: PersonTable;
  sessions: SessionTable;
  machine_tokens: MachineTokenTable;
  grants: GrantTable;
  audit: AuditTable;
  sign_in_failures: SignInFailureTable;
  password_resets: PasswordResetTable;
  economies: EconomyTable;
  products: ProductTable;
  skills: SkillTable;
  resources: ResourceTable;
  technologies: TechnologyTable;
  coefficients: CoefficientTable;
  targets: TargetTable;
  indicators: IndicatorTable;
  readings: ReadingTable;
  quarantine: QuarantineTable;
  triple_index: TripleIndexTable;
  series_state: SeriesStateTable;
  alerts: AlertTable;
  alert_events: AlertEventTable;
  escalation_deadlines: EscalationDeadlineTable;
  plans: PlanTable;
}
