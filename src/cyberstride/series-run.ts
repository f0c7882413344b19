// Runs one series' detector over a batch of readings, from and to the state's JSON text: the one function
// behind both the in-process path and the worker threads, so both give identical results.
import { createDetector } from './detectors/registry';
import type { Detector, DetectorKind, DetectorOutput, Signal } from './detectors/detector';

export interface SeriesJob {
  kind: DetectorKind;
  settings: Record<string, unknown>;
  /** The stored state as JSON text, or null for a series that has none yet. */
  state: string | null;
  /** The detector kind the stored state was written by (null when unknown). */
  stateKind: DetectorKind | null;
  values: Float64Array;
  /** Epoch milliseconds, in the order the detector consumes them. */
  times: Float64Array;
}

/** A critical signal, with what an alert's evidence needs from the output that raised it. */
export interface CriticalSignal {
  index: number;
  signal: Signal;
  probabilities: DetectorOutput['probabilities'];
  forecast: DetectorOutput['forecast'];
}

/** Per reading, the forecast made before it (NaN where the detector had none) and its score. */
export interface SeriesRun {
  state: string;
  /** Why the stored state could not be continued and the warm-up restarted; null when it was continued. */
  restarted: string | null;
  mean: Float64Array;
  lower: Float64Array;
  upper: Float64Array;
  score: Float64Array;
  changePoint: Uint8Array;
  critical: CriticalSignal[];
}

/** Detectors are built once per kind and settings: parsing settings per batch would cost more than small ones. */
export class DetectorCache {
  private readonly detectors = new Map<string, Detector<unknown>>();

  get(kind: DetectorKind, settings: Record<string, unknown>): Detector<unknown> {
    const key = `${kind}:${JSON.stringify(settings)}`;
    let d = this.detectors.get(key);
    if (!d) {
      d = createDetector(kind, settings);
      this.detectors.set(key, d);
    }
    return d;
  }
}

/**
 * The state to continue from: the stored one when this detector can read it, otherwise its initial state and
 * the reason (a state of another kind, one stored by an older version, or text that is not JSON), so a state
 * that cannot be read restarts the series' warm-up instead of failing the ingest.
 */
export function resumeState(
  detector: Detector<unknown>,
  stored: string | null,
  storedKind: DetectorKind | null,
): { state: unknown; restarted: string | null } {
  if (stored === null) return { state: detector.initialState(), restarted: null };
  const restart = (reason: string) => ({ state: detector.initialState(), restarted: reason });
  if (storedKind !== null && storedKind !== detector.kind)
    return restart(`the stored state belongs to a ${storedKind} detector, not ${detector.kind}`);
  let parsed: unknown;
  try {
    parsed = JSON.parse(stored);
  } catch {
    return restart('the stored state is not valid JSON');
  }
  const state = detector.restore(parsed);
  return state === null
    ? restart(`the stored state does not fit the ${detector.kind} detector (stored by an older version)`)
    : { state, restarted: null };
}

export function runSeries(detectors: DetectorCache, job: SeriesJob): SeriesRun {
  const detector = detectors.get(job.kind, job.settings);
  const resumed = resumeState(detector, job.state, job.stateKind);
  let state = resumed.state;
  const n = job.values.length;
  const run: SeriesRun = {
    state: '',
    restarted: resumed.restarted,
    mean: new Float64Array(n),
    lower: new Float64Array(n),
    upper: new Float64Array(n),
    score: new Float64Array(n),
    changePoint: new Uint8Array(n),
    critical: [],
  };
  const record = (i: number, output: DetectorOutput) => {
    const { forecast, signals } = output;
    if (forecast) {
      run.mean[i] = forecast.mean;
      run.lower[i] = forecast.lower;
      run.upper[i] = forecast.upper;
    } else {
      run.mean[i] = NaN;
      run.lower[i] = NaN;
      run.upper[i] = NaN;
    }
    run.score[i] = output.score;
    run.changePoint[i] = output.changePoint === null ? 0 : 1;
    for (let k = 0; k < signals.length; k++) {
      const signal = signals[k] as Signal;
      if (signal.severity !== 'critical') continue;
      run.critical.push({ index: i, signal, probabilities: output.probabilities, forecast });
      break;
    }
  };
  if (detector.scan !== undefined) state = detector.scan(state, job.values, job.times, record);
  else
    for (let i = 0; i < n; i++) {
      const r = detector.update(state, job.values[i] as number, job.times[i] as number);
      state = r.state;
      record(i, r.output);
    }
  run.state = JSON.stringify(state);
  return run;
}
