// Creates a detector by kind from JSON settings: the one entry point for stored detector configurations.
import { DomainError } from '../../core/errors';
import { anomalyLikelihoodDetector } from './anomaly-likelihood';
import { bocpdDetector } from './bocpd';
import { harrisonStevensDetector } from './harrison-stevens';
import { spcDetector } from './spc';
import type { Detector, DetectorKind } from './detector';

export const DETECTOR_KINDS: readonly DetectorKind[] = [
  'anomaly-likelihood',
  'harrison-stevens',
  'bocpd',
  'spc',
];

/** A detector of the given kind; missing settings take the documented (scale-free) defaults. */
export function createDetector(kind: DetectorKind, settings?: unknown): Detector<unknown> {
  switch (kind) {
    case 'anomaly-likelihood':
      return anomalyLikelihoodDetector(settings) as Detector<unknown>;
    case 'harrison-stevens':
      return harrisonStevensDetector(settings) as Detector<unknown>;
    case 'bocpd':
      return bocpdDetector(settings) as Detector<unknown>;
    case 'spc':
      return spcDetector(settings) as Detector<unknown>;
    default:
      throw new DomainError('invalid', `unknown detector kind "${String(kind)}"`, {
        issues: [{ field: 'detector', message: `must be one of ${DETECTOR_KINDS.join(', ')}` }],
        fix: `choose one of ${DETECTOR_KINDS.join(', ')}`,
      });
  }
}
