// De-duplication of alerts: at most one open alert per series, and a new one only after N quiet readings.

export interface AlertGate {
  /** An alert is open for the series. */
  open: boolean;
  /** Readings without a critical signal since the last one. */
  quiet: number;
}

export const CLOSED_GATE: AlertGate = { open: false, quiet: 0 };

/**
 * Feeds one reading's outcome through the gate. `raise` is true only when a critical reading finds no open
 * alert; a critical reading while one is open updates it instead (`update`). The open alert lapses after
 * `quietReadings` readings in a row without a critical signal, so a flapping series keeps one alert.
 */
export function passAlertGate(
  gate: AlertGate,
  critical: boolean,
  quietReadings: number,
): { gate: AlertGate; raise: boolean; update: boolean } {
  if (critical) return { gate: { open: true, quiet: 0 }, raise: !gate.open, update: gate.open };
  const quiet = gate.quiet + 1;
  return { gate: { open: gate.open && quiet < quietReadings, quiet }, raise: false, update: false };
}
