// Alert notices from GET /api/events. The stream is outside the OpenAPI document; its alert has the shape
// of alert.list's items (from the schema), and is checked on the fields the Opsroom relies on before use.
import type { OpOutput } from './client';

export type Alert = OpOutput<'alert.list'>['alerts'][number];

export interface AlertNotice {
  change: string;
  alert: Alert;
}

const STATUSES = new Set(['open', 'acknowledged', 'resolved']);

export function parseAlertNotice(data: string): AlertNotice | undefined {
  let raw: unknown;
  try {
    raw = JSON.parse(data);
  } catch {
    return undefined;
  }
  if (typeof raw !== 'object' || raw === null) return undefined;
  const { change, alert } = raw as { change?: unknown; alert?: unknown };
  if (typeof change !== 'string' || typeof alert !== 'object' || alert === null) return undefined;
  const a = alert as Record<string, unknown>;
  const level = a.level as Record<string, unknown> | undefined;
  const ok =
    typeof a.id === 'string' &&
    typeof a.unitId === 'string' &&
    typeof a.unitPath === 'string' &&
    typeof a.status === 'string' &&
    STATUSES.has(a.status) &&
    typeof a.message === 'string' &&
    typeof a.severity === 'string' &&
    typeof level?.path === 'string';
  return ok ? { change, alert: alert as Alert } : undefined;
}
