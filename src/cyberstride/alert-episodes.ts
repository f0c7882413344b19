// Splits a batch of one series' readings into alert episodes: an alert is one problem. Critical readings
// while an alert is unresolved update it; a quiet stretch (no critical reading for a span of time) closes it,
// and the next critical reading after that opens a new one.

/** Where the series stood before the batch. */
export interface SeriesGate {
  /** An alert of the series is unresolved (open or acknowledged). */
  open: boolean;
  /** Seconds without a critical signal since the last one, up to the series' latest reading. */
  quiet: number;
  /** Epoch ms of the series' latest reading before the batch (null for a new series). */
  lastAt: number | null;
}

export interface Episode {
  /** The episode continues the alert that was already unresolved before the batch. */
  continues: boolean;
  /** Indices (into the batch) of its critical readings, in order; empty only for a continued alert. */
  signals: number[];
  /** Index of the reading that completed the quiet stretch and closed it, or null if it is still unresolved. */
  closedAt: number | null;
}

/** Below this many readings a batch says nothing of its own spacing. */
const SPACING_MIN_READINGS = 3;

/**
 * The series' reporting interval in seconds: the indicator's cadence when it has one, else the median spacing
 * of the batch's readings, else `fallback`.
 */
export function reportingInterval(
  times: ArrayLike<number>,
  cadenceSeconds: number | null | undefined,
  fallback: number,
): number {
  if (cadenceSeconds !== null && cadenceSeconds !== undefined && cadenceSeconds > 0) return cadenceSeconds;
  if (times.length < SPACING_MIN_READINGS) return fallback;
  const gaps = Array.from(
    { length: times.length - 1 },
    (_, i) => (times[i + 1] as number) - (times[i] as number),
  );
  gaps.sort((a, b) => a - b);
  const median = (gaps[gaps.length >> 1] as number) / 1000;
  return median > 0 ? median : fallback;
}

/**
 * The episodes of a batch whose readings are at `times` (epoch ms, increasing) and whose critical readings are
 * `critical` (sorted batch indices), and the gate after it; an alert closes once `quietSeconds` pass with no
 * critical reading. Only episodes with something to record are returned: a continued alert that neither got a
 * signal nor closed is left out.
 */
export function alertEpisodes(
  times: ArrayLike<number>,
  critical: readonly number[],
  gate: SeriesGate,
  quietSeconds: number,
): { episodes: Episode[]; gate: SeriesGate } {
  const episodes: Episode[] = [];
  let current: Episode | null = gate.open ? { continues: true, signals: [], closedAt: null } : null;
  let quiet = gate.quiet;
  let previous = gate.lastAt;
  let k = 0;
  for (let i = 0; i < times.length; i++) {
    const at = times[i] as number;
    if (critical[k] === i) {
      while (critical[k] === i) k++;
      quiet = 0;
      if (current === null) {
        current = { continues: false, signals: [], closedAt: null };
      }
      current.signals.push(i);
      previous = at;
      continue;
    }
    quiet += previous === null ? 0 : Math.max(0, at - previous) / 1000;
    previous = at;
    if (current !== null && quiet >= quietSeconds) {
      current.closedAt = i;
      episodes.push(current);
      current = null;
    }
  }
  if (current !== null && (current.signals.length > 0 || !current.continues)) episodes.push(current);
  return { episodes, gate: { open: current !== null, quiet, lastAt: previous } };
}
