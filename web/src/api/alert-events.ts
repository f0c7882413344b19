// Alert notices from GET /api/events. The stream is outside the OpenAPI document; its alert has the shape
// of alert.list's items (from the schema), and is checked on the fields the Opsroom relies on before use.
import type { OpOutput } from './client';
import { eventObject } from './event-json';

export type Alert = OpOutput<'alert.list'>['alerts'][number];

export interface AlertNotice {
  change: string;
  alert: Alert;
}

const STATUSES = new Set(['open', 'acknowledged', 'resolved']);

export function parseAlertNotice(data: string): AlertNotice | undefined {
  const raw = eventObject(data);
  if (raw === undefined) return undefined;
  const { change, alert } = raw;
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

/** A series that received readings (the stream's `readings` event). */
export interface ReadingsNotice {
  indicatorId: string;
  unitPath: string;
  count: number;
  latestAt: string;
}

export function parseReadingsNotice(data: string): ReadingsNotice[] {
  const list = eventObject(data)?.readings;
  if (!Array.isArray(list)) return [];
  return list.filter(
    (r): r is ReadingsNotice =>
      typeof r === 'object' &&
      r !== null &&
      typeof (r as Record<string, unknown>).indicatorId === 'string' &&
      typeof (r as Record<string, unknown>).count === 'number',
  );
}

/** An alert from a federation node below landed or changed (the stream's `federation-alert` event). */
export interface RemoteAlertNotice {
  change: string;
  originAlertId: string;
  unitId: string;
  status: string;
}

export function parseRemoteAlertNotice(data: string): RemoteAlertNotice | undefined {
  const r = eventObject(data);
  if (r === undefined) return undefined;
  return typeof r.change === 'string' &&
    typeof r.originAlertId === 'string' &&
    typeof r.unitId === 'string' &&
    typeof r.status === 'string'
    ? { change: r.change, originAlertId: r.originAlertId, unitId: r.unitId, status: r.status }
    : undefined;
}
