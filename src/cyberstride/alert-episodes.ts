// Splits a batch of one series' readings into alert episodes: an alert is one problem. Critical readings
// while an alert is unresolved update it; a quiet stretch (no critical reading for `quietReadings`) closes
// it, and the next critical reading after that opens a new one.

/** Where the series stood before the batch. */
export interface SeriesGate {
  /** An alert of the series is unresolved (open or acknowledged). */
  open: boolean;
  /** Readings without a critical signal since the last one. */
  quiet: number;
}

export interface Episode {
  /** The episode continues the alert that was already unresolved before the batch. */
  continues: boolean;
  /** Indices (into the batch) of its critical readings, in order; empty only for a continued alert. */
  signals: number[];
  /** Index of the reading that completed the quiet stretch and closed it, or null if it is still unresolved. */
  closedAt: number | null;
}

/**
 * The episodes of a batch of `n` readings whose critical readings are `critical` (sorted batch indices), and
 * the gate after it. Only episodes with something to record are returned: a continued alert that neither got
 * a signal nor closed is left out.
 */
export function alertEpisodes(
  n: number,
  critical: readonly number[],
  gate: SeriesGate,
  quietReadings: number,
): { episodes: Episode[]; gate: SeriesGate } {
  const episodes: Episode[] = [];
  let current: Episode | null = gate.open ? { continues: true, signals: [], closedAt: null } : null;
  let quiet = gate.quiet;
  let k = 0;
  for (let i = 0; i < n; i++) {
    if (critical[k] === i) {
      while (critical[k] === i) k++;
      quiet = 0;
      if (current === null) {
        current = { continues: false, signals: [], closedAt: null };
      }
      current.signals.push(i);
      continue;
    }
    quiet++;
    if (current !== null && quiet >= quietReadings) {
      current.closedAt = i;
      episodes.push(current);
      current = null;
    }
  }
  if (current !== null && (current.signals.length > 0 || !current.continues)) episodes.push(current);
  return { episodes, gate: { open: current !== null, quiet } };
}
