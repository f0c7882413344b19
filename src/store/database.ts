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

export interface Database {
  units: UnitTable;
  people: PersonTable;
  sessions: SessionTable;
  machine_tokens: MachineTokenTable;
  grants: GrantTable;
  audit: AuditTable;
  economies: EconomyTable;
  products: ProductTable;
  skills: SkillTable;
  resources: ResourceTable;
  technologies: TechnologyTable;
  coefficients: CoefficientTable;
  targets: TargetTable;
}
