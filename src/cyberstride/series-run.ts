// Runs one series' detector over a batch of readings, from and to the state's JSON text: the one function
// behind both the in-process path and the worker threads, so both give identical results.
import { createDetector } from './detectors/registry';
import type { Detector, DetectorKind, DetectorOutput, Signal } from './detectors/detector';

export interface SeriesJob {
  kind: DetectorKind;
  settings: Record<string, unknown>;
  /** The stored state as JSON text, or null for a series that has none yet. */
  state: string | null;
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

export function runSeries(detectors: DetectorCache, job: SeriesJob): SeriesRun {
  const detector = detectors.get(job.kind, job.settings);
  let state: unknown = job.state === null ? detector.initialState() : JSON.parse(job.state);
  const n = job.values.length;
  const run: SeriesRun = {
    state: '',
    mean: new Float64Array(n),
    lower: new Float64Array(n),
    upper: new Float64Array(n),
    score: new Float64Array(n),
    changePoint: new Uint8Array(n),
    critical: [],
  };
  for (let i = 0; i < n; i++) {
    const r = detector.update(state, job.values[i] as number, job.times[i] as number);
    state = r.state;
    const { forecast, score, changePoint, signals, probabilities } = r.output;
    run.mean[i] = forecast ? forecast.mean : NaN;
    run.lower[i] = forecast ? forecast.lower : NaN;
    run.upper[i] = forecast ? forecast.upper : NaN;
    run.score[i] = score;
    run.changePoint[i] = changePoint === null ? 0 : 1;
    for (const signal of signals) {
      if (signal.severity !== 'critical') continue;
      run.critical.push({ index: i, signal, probabilities, forecast });
      break;
    }
  }
  run.state = JSON.stringify(state);
  return run;
}
