// Runs a detector over a Numenta Anomaly Benchmark series and counts alerts inside and outside its labelled
// anomaly windows, with alerts de-duplicated by the alert gate.
import { DomainError } from '../../core/errors';
import { CLOSED_GATE, passAlertGate } from '../detectors/alert-gate';
import { createDetector } from '../detectors/registry';
import type { DetectorKind } from '../detectors/detector';

export interface NabOptions {
  detector: DetectorKind;
  settings?: unknown;
  /** Quiet readings before a new alert may open (default 288: one day of 5-minute readings). */
  quietReadings?: number;
}

export interface NabResult {
  detector: DetectorKind;
  quietReadings: number;
  readings: number;
  readingsInWindows: number;
  windows: { start: string; end: string; alerts: number; firstAlertAt: string | null }[];
  alertsInside: number;
  alertsOutside: number;
  /** Alerts outside the windows per 10,000 readings outside them. */
  falseAlertsPer10k: number;
  /** Timestamps of the alerts outside the windows. */
  outsideAt: string[];
}

const toMs = (s: string) => Date.parse(`${s.trim().slice(0, 19).replace(' ', 'T')}Z`);

function parseCsv(csvText: string): { at: string; ms: number; value: number }[] {
  const lines = csvText.trim().split(/\r?\n/);
  return lines.slice(1).map((line, i) => {
    const [at = '', raw = ''] = line.split(',');
    const value = Number(raw);
    const ms = toMs(at);
    if (!Number.isFinite(value) || Number.isNaN(ms)) {
      throw new DomainError('invalid', `NAB csv row ${i + 2}: "${line}" is not "timestamp,value"`, {
        issues: [{ field: `row ${i + 2}`, message: 'expected a timestamp and a number' }],
        fix: 'give the NAB csv with its header "timestamp,value"',
      });
    }
    return { at: at.trim(), ms, value };
  });
}

/**
 * Counts de-duplicated alerts (readings with a critical signal, through `passAlertGate`) inside and outside
 * the labelled windows. `windowsJson` is NAB's labels file: one key whose value is a list of [start, end].
 */
export function runNab(csvText: string, windowsJson: string, options: NabOptions): NabResult {
  const rows = parseCsv(csvText);
  const labels = JSON.parse(windowsJson) as Record<string, [string, string][]>;
  const spans = Object.values(labels).flat();
  const windows = spans.map(([start, end]) => ({
    start,
    end,
    from: toMs(start),
    to: toMs(end),
    alerts: 0,
    firstAlertAt: null as string | null,
  }));
  const quietReadings = options.quietReadings ?? 288;
  const detector = createDetector(options.detector, options.settings);
  let state = detector.initialState();
  let gate = CLOSED_GATE;
  let inside = 0;
  let readingsInWindows = 0;
  const outsideAt: string[] = [];
  for (const row of rows) {
    const r = detector.update(state, row.value, row.ms);
    state = r.state;
    const critical = r.output.signals.some((s) => s.severity === 'critical');
    const passed = passAlertGate(gate, critical, quietReadings);
    gate = passed.gate;
    const w = windows.find((x) => row.ms >= x.from && row.ms <= x.to);
    if (w !== undefined) readingsInWindows++;
    if (!passed.raise) continue;
    if (w === undefined) {
      outsideAt.push(row.at);
      continue;
    }
    inside++;
    w.alerts++;
    w.firstAlertAt ??= row.at;
  }
  const normal = rows.length - readingsInWindows;
  return {
    detector: options.detector,
    quietReadings,
    readings: rows.length,
    readingsInWindows,
    windows: windows.map(({ start, end, alerts, firstAlertAt }) => ({ start, end, alerts, firstAlertAt })),
    alertsInside: inside,
    alertsOutside: outsideAt.length,
    falseAlertsPer10k: normal === 0 ? 0 : (outsideAt.length * 10_000) / normal,
    outsideAt,
  };
}
