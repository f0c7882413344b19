// A cumulative Bayes-factor monitor of one-step forecast errors (West & Harrison 1997, §11.4): the evidence
// that the level moved by `shift` forecast standard deviations, up or down, accumulated over the readings since
// the evidence last favoured no change (Page's CUSUM of log Bayes factors). A sustained shift a few standard
// deviations wide builds up evidence over two or three readings; noise, a trend the model follows, and a
// single outlier do not.

export interface MonitorState {
  /** Log Bayes factor of an upward (downward) shift, accumulated since the run began; 0 when none. */
  up: number;
  down: number;
  /** Step of the first reading of the current upward (downward) run, −1 when none. */
  upStart: number;
  downStart: number;
}

export const QUIET_MONITOR: MonitorState = { up: 0, down: 0, upStart: -1, downStart: -1 };

export interface MonitorStep {
  state: MonitorState;
  /** The larger of the two accumulated log Bayes factors, its direction, and where its run began. */
  evidence: number;
  direction: 'up' | 'down';
  start: number;
}

/**
 * Adds the reading at `step` with standardised forecast error e: the log Bayes factor of a shift h against none
 * is h·e − h²/2 (normal errors), added to the run's total while that total stays positive.
 */
export function monitorStep(m: MonitorState, e: number, step: number, h: number): MonitorStep {
  // Written out: a closure made at every reading showed in profiles (esbuild's keepNames names each one).
  const up = (m.up > 0 ? m.up : 0) + (h * e - (h * h) / 2);
  const down = (m.down > 0 ? m.down : 0) + (h * -e - (h * h) / 2);
  const state: MonitorState = {
    up: Math.max(up, 0),
    down: Math.max(down, 0),
    upStart: up > 0 ? (m.up > 0 ? m.upStart : step) : -1,
    downStart: down > 0 ? (m.down > 0 ? m.downStart : step) : -1,
  };
  return up >= down
    ? { state, evidence: up, direction: 'up', start: state.upStart }
    : { state, evidence: down, direction: 'down', start: state.downStart };
}
