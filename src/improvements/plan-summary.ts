// What proposals read of a stored plan: its first period's labour and final demand.
import type { PlanRecord } from '../planning/plan-record';
import type { PlanSummary } from './proposal.service';

export function planSummary(plan: {
  id: string;
  name: string;
  economyId: string;
  economyVersion: number;
  createdAt: Date;
  status: string;
  record: PlanRecord;
}): PlanSummary {
  return {
    id: plan.id,
    name: plan.name,
    economyId: plan.economyId,
    economyVersion: plan.economyVersion,
    createdAt: plan.createdAt,
    status: plan.status,
    labour: plan.record.skills.reduce((s, k) => s + (k.used[0] ?? 0), 0),
    demand: new Map(plan.record.products.map((p) => [p.code, p.target[0] ?? 0])),
  };
}
