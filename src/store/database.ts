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
  unit: ColumnType<string | null, string | null | undefined, string | null>;
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

export interface PlanAdoptionTable {
  id: string;
  plan_id: string;
  economy_id: string;
  unit_id: string;
  adopted_by: string;
  adopted_at: Date;
  note: string | null;
}

export interface PlanningRoundsTable {
  id: string;
  economy_id: string;
  economy_version: number;
  name: string;
  status: string;
  tolerance: number;
  max_rounds: number;
  deadline_minutes: number;
  automatic: JSONColumnType<string[]>;
  penalty: number;
  created_by: string;
  created_at: CreatedAt;
}

export interface PlanningRoundStepTable {
  rounds_id: string;
  round: number;
  prices: JSONColumnType<{ kind: string; code: string; price: number }[]>;
  deadline: Date;
  closed_at: Date | null;
  bound: number | null;
  best_bound: number | null;
  objective: number | null;
  best_objective: number | null;
  shortfall: number | null;
  gap: number | null;
  combined: JSONColumnType<Record<string, number> | null, string | null, string | null>;
}

export interface PlanningRoundProposalTable {
  rounds_id: string;
  round: number;
  unit_code: string;
  source: string;
  kind: ColumnType<string, string | undefined, string>;
  levels: JSONColumnType<number[]>;
  submitted_by: string;
  submitted_at: Date;
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

/** Indicators whose standing against the plan in force is to be evaluated again (an outbox, swept). */
export interface PlanShortfallCheckTable {
  indicator_id: string;
  queued_at: Timestamp;
  reason: string;
}

/** The open plan-shortfall episode of an indicator: at most one, against the plan it was measured by. */
export interface PlanShortfallTable {
  indicator_id: string;
  plan_id: string;
  alert_id: string;
  opened_at: Timestamp;
}

/** A unit's tolerance for falling below the plan (indicator_id '' for all its indicators). */
export interface PlanShortfallSettingTable {
  unit_id: string;
  indicator_id: Generated<string>;
  tolerance: number;
  window_readings: Generated<number>;
  set_by: string;
  set_at: Timestamp;
}

export interface EscalationDeadlineTable {
  depth: number;
  seconds: Numeric;
}

// Participation (migrations 0020–0022).

export interface ElectorateTable {
  id: string;
  unit_id: string;
  frozen_at: Timestamp;
  size: number;
}

export interface ElectorateMemberTable {
  electorate_id: string;
  person_id: string;
  role: string;
  via_unit_id: string;
}

export interface VoteTable {
  id: string;
  unit_id: string;
  title: string;
  description: string;
  method: JSONColumnType<Record<string, unknown>>;
  candidates: JSONColumnType<{ id: string; name: string }[]>;
  quorum: JSONColumnType<Record<string, unknown>>;
  share_needed: JSONColumnType<Record<string, unknown>> | null;
  hide_results: boolean;
  anonymous: boolean;
  allow_changes: boolean;
  electorate_rule: JSONColumnType<Record<string, unknown>>;
  opens_at: Timestamp;
  closes_at: Timestamp;
  status: string;
  electorate_id: string | null;
  assembly_id: string | null;
  agenda_item_id: string | null;
  decision_kind: string;
  decision_payload: JSONColumnType<Record<string, unknown>>;
  result: JSONColumnType<Record<string, unknown>> | null;
  closed_at: Timestamp | null;
  created_by: string;
  created_at: Timestamp;
}

/** Who took part: no ballot id, no time, nothing shared with `ballots` but the vote. */
export interface VoteParticipationTable {
  vote_id: string;
  electorate_id: string;
  person_id: string;
  sealed: ColumnType<boolean, boolean | undefined, boolean>;
}

/** What was cast: no person, no time. */
export interface BallotTable {
  id: string;
  vote_id: string;
  receipt: string;
  marks: JSONColumnType<Record<string, unknown>>;
  source: string;
  record: string | null;
}

/** Named votes only (a check and a foreign key on votes(id, anonymous) refuse it for anonymous ones). */
export interface BallotSignatureTable {
  ballot_id: string;
  vote_id: string;
  anonymous: ColumnType<boolean, boolean | undefined, boolean>;
  person_id: string;
}

export interface PaperImportTable {
  id: string;
  vote_id: string;
  file_name: string;
  format: string;
  ballots: number;
  imported_by: string;
  imported_at: Timestamp;
}

export interface DecisionTable {
  id: string;
  unit_id: string;
  kind: string;
  title: string;
  outcome: string;
  payload: JSONColumnType<Record<string, unknown>>;
  result: JSONColumnType<Record<string, unknown>> | null;
  vote_id: string | null;
  assembly_id: string | null;
  agenda_item_id: string | null;
  decided_at: Timestamp;
  recorded_by: string;
}

export interface AssemblyTable {
  id: string;
  unit_id: string;
  title: string;
  kind: string;
  scheduled_for: Timestamp;
  status: string;
  quorum: JSONColumnType<Record<string, unknown>>;
  electorate_rule: JSONColumnType<Record<string, unknown>>;
  electorate_id: string | null;
  minutes: ColumnType<string, string | undefined, string>;
  minutes_updated_at: Timestamp | null;
  minutes_updated_by: string | null;
  opened_at: Timestamp | null;
  closed_at: Timestamp | null;
  created_by: string;
  created_at: Timestamp;
}

export interface AssemblyAttendanceTable {
  assembly_id: string;
  electorate_id: string;
  person_id: string;
  arrived_at: Timestamp;
}

export interface AgendaItemTable {
  id: string;
  assembly_id: string;
  position: number;
  title: string;
  body: string;
  documents: JSONColumnType<{ title: string; url?: string; text?: string }[]>;
  vote_id: string | null;
}

export interface QuestionSettingsTable {
  id: number;
  upvote_threshold: number;
}

export interface QuestionTable {
  id: string;
  unit_id: string;
  level_unit_id: string;
  level_depth: number;
  title: string;
  body: string;
  asked_by: string | null;
  asker_name: string;
  asked_at: Timestamp;
  upvotes: ColumnType<number, number | undefined, number>;
  threshold_reached_at: Timestamp | null;
  escalate_due_at: Timestamp | null;
  answered_at: Timestamp | null;
  hidden: ColumnType<boolean, boolean | undefined, boolean>;
  hidden_reason: string | null;
}

export interface QuestionUpvoteTable {
  question_id: string;
  person_id: string;
  at: Timestamp;
}

export interface QuestionAnswerTable {
  id: string;
  question_id: string;
  author_id: string;
  author_name: string;
  body: string;
  version: number;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface AnswerRevisionTable {
  answer_id: string;
  version: number;
  body: string;
  edited_by: string;
  edited_at: Timestamp;
}

export interface QuestionEventTable {
  id: Generated<number>;
  question_id: string;
  at: Timestamp;
  kind: string;
  actor: string;
  level_unit_id: string;
  level_depth: number;
  detail: JSONColumnType<Record<string, unknown>>;
}

export interface ModerationLogTable {
  id: Generated<number>;
  question_id: string;
  unit_id: string;
  at: Timestamp;
  action: string;
  reason: string;
  moderator: string;
  moderator_name: string;
}

export interface TechnologyVersionTable {
  economy_id: string;
  technology: string;
  version: number;
  valid_from: Timestamp;
  valid_to: Timestamp | null;
  coefficients: JSONColumnType<Record<string, unknown>>;
  reason: string;
  proposal_id: string | null;
  economy_version: number;
}

export interface TechnologyUserTable {
  economy_id: string;
  technology: string;
  unit_id: string;
  share: number;
}

export interface ProposalDeadlineTable {
  phase: string;
  depth: number;
  seconds: number;
}

export interface ProposalTable {
  id: string;
  unit_id: string;
  economy_id: string;
  technology: string;
  title: string;
  body: string;
  changes: JSONColumnType<Record<string, unknown>[]>;
  attachments: JSONColumnType<Record<string, unknown>[]>;
  author_id: string;
  author_name: string;
  status: string;
  level_unit_id: string;
  level_depth: number;
  phase: string | null;
  escalate_due_at: Timestamp | null;
  filed_at: Timestamp;
  acknowledged_at: Timestamp | null;
  decided_at: Timestamp | null;
  decision: ColumnType<Record<string, unknown> | null, string | null, string | null>;
  appealed_at: Timestamp | null;
}

export interface ProposalEventTable {
  seq: Generated<number>;
  proposal_id: string;
  at: Timestamp;
  kind: string;
  actor: string;
  actor_name: string;
  level_unit_id: string;
  level_depth: number;
  reason: string | null;
  detail: JSONColumnType<Record<string, unknown>>;
}

export interface ProposalAdoptionTable {
  id: string;
  proposal_id: string;
  unit_id: string;
  share: number;
  economy_id: string;
  technology: string;
  from_version: number;
  to_version: number;
  economy_version: number;
  labour_saved: number;
  demand_source: string;
  adopted_at: Timestamp;
  adopted_by: string;
}

export interface ProposalPublicationTable {
  proposal_id: string;
  requested_at: Timestamp;
  status: string;
  record_id: string | null;
}

export interface MeritEventTable {
  id: string;
  person_id: string;
  kind: string;
  at: Timestamp;
  unit_id: string;
  proposal_id: string | null;
  adoption_id: string | null;
  hours_saved: number | null;
  detail: JSONColumnType<Record<string, unknown>>;
}

export interface FederationChildTable {
  node_id: string;
  unit_id: string;
  added_at: Timestamp;
  last_heard_at: Timestamp | null;
}

export interface FederationPartialTable {
  child_node: string;
  code: string;
  bucket_start: Timestamp;
  bucket_seconds: number;
  rev: number;
  aggregation: string;
  sum: number;
  n: number;
  units: number;
  sum_means: number;
  weight_sum: number;
  weighted_means: number;
  received_at: Timestamp;
}

export interface FederationChildUnitTable {
  child_node: string;
  unit_code: string;
}

export interface FederationAlertTable {
  origin_alert_id: string;
  child_node: string;
  origin_node: string;
  unit_id: string;
  status: string;
  severity: string;
  message: string;
  origin_unit_code: string | null;
  opened_at: Timestamp;
  kind: string | null;
  shortfall: JSONColumnType<Record<string, unknown> | null, string | null, string | null>;
  rev: number;
  received_at: Timestamp;
  forward_due_at: Timestamp | null;
  forwarded_at: Timestamp | null;
  /** The revision last passed on to the parent node (migration 0280). */
  forwarded_rev: number | null;
  /** Who moved it to its state here (a person here, or `system:node:<child>`), and when (migration 0290). */
  status_by: string;
  status_at: Timestamp;
}

export interface FederationTargetTable {
  plan_id: string;
  unit_code: string;
  technology: string;
  product: string;
  period: number;
  quantity: number;
  labour: number;
  rev: number;
  from_node: string;
  received_at: Timestamp;
  /** The unit the plan counts the product in (null from a node older than migration 0200). */
  product_unit: string | null;
  plan_name: string | null;
}

export interface FederationRoundTable {
  rounds_id: string;
  round: number;
  name: string;
  deadline: Timestamp;
  prices: JSONColumnType<{ kind: string; code: string; price: number }[]>;
  units: JSONColumnType<string[]>;
  rev: number;
  from_node: string;
  received_at: Timestamp;
}

export interface FederationTargetAckTable {
  plan_id: string;
  child_node: string;
  rev: number;
  stored: number;
  quarantined: number;
  acked_at: Timestamp;
}

/** Each state of a node's own alert it queued for its parent (migration 0190). */
export interface FederationAlertStateTable {
  alert_id: string;
  status: string;
  queued_at: Date;
}

/** The facts of a plan-shortfall alert last sent up, and when (migration 0260). */
export interface FederationAlertFactsTable {
  alert_id: string;
  facts: string;
  sent_at: Date;
}

export interface FederationOutboxTable {
  id: Generated<number>;
  subject: string;
  msg_id: string;
  body: string;
  created_at: Timestamp;
  sent_at: Timestamp | null;
}

export interface FederationQuarantineTable {
  id: Generated<number>;
  at: Timestamp;
  subject: string;
  from_node: string | null;
  reason: string;
  message: string;
  raw: string;
}

export interface BudgetTable {
  id: string;
  kind: string;
  unit_id: string;
  economy_id: string;
  name: string;
  status: string;
  settings: JSONColumnType<Record<string, unknown>>;
  groups: JSONColumnType<unknown[]>;
  vote_id: string | null;
  result: JSONColumnType<Record<string, unknown>> | null;
  plan_id: string | null;
  created_by: string;
  created_at: Timestamp;
  closed_at: Timestamp | null;
}

export interface BudgetProjectTable {
  budget_id: string;
  id: string;
  position: number;
  name: string;
  description: string;
  items: JSONColumnType<unknown[]>;
  cost: number;
  status: string;
  proposed_by: string;
  review: string | null;
  created_at: Timestamp;
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
  /** A view (migration 0301): each reading with its forecast, written inline or after commit. */
  reading_points: ReadingTable;
  quarantine: QuarantineTable;
  triple_index: TripleIndexTable;
  series_state: SeriesStateTable;
  alerts: AlertTable;
  alert_events: AlertEventTable;
  escalation_deadlines: EscalationDeadlineTable;
  plans: PlanTable;
  plan_adoptions: PlanAdoptionTable;
  planning_rounds: PlanningRoundsTable;
  planning_round_steps: PlanningRoundStepTable;
  planning_round_proposals: PlanningRoundProposalTable;
  electorates: ElectorateTable;
  electorate_members: ElectorateMemberTable;
  votes: VoteTable;
  vote_participation: VoteParticipationTable;
  ballots: BallotTable;
  ballot_signatures: BallotSignatureTable;
  paper_imports: PaperImportTable;
  decisions: DecisionTable;
  assemblies: AssemblyTable;
  assembly_attendance: AssemblyAttendanceTable;
  agenda_items: AgendaItemTable;
  question_settings: QuestionSettingsTable;
  questions: QuestionTable;
  question_upvotes: QuestionUpvoteTable;
  question_answers: QuestionAnswerTable;
  answer_revisions: AnswerRevisionTable;
  question_events: QuestionEventTable;
  moderation_log: ModerationLogTable;
  technology_versions: TechnologyVersionTable;
  technology_users: TechnologyUserTable;
  proposal_deadlines: ProposalDeadlineTable;
  proposals: ProposalTable;
  proposal_events: ProposalEventTable;
  proposal_adoptions: ProposalAdoptionTable;
  proposal_publications: ProposalPublicationTable;
  merit_events: MeritEventTable;
  federation_children: FederationChildTable;
  federation_partials: FederationPartialTable;
  federation_child_units: FederationChildUnitTable;
  federation_alerts: FederationAlertTable;
  federation_targets: FederationTargetTable;
  federation_target_acks: FederationTargetAckTable;
  federation_rounds: FederationRoundTable;
  federation_outbox: FederationOutboxTable;
  federation_alert_states: FederationAlertStateTable;
  federation_alert_facts: FederationAlertFactsTable;
  federation_quarantine: FederationQuarantineTable;
  budgets: BudgetTable;
  budget_projects: BudgetProjectTable;
  plan_shortfall_checks: PlanShortfallCheckTable;
  plan_shortfalls: PlanShortfallTable;
  plan_shortfall_settings: PlanShortfallSettingTable;
}
