// The counting engine behind the Counter port (placeholder until the engine of src/participation/counting lands).
import { DomainError } from '../core/errors';
import type { Counter } from './vote-outcome';

export const countVote: Counter = () => {
  throw new DomainError('unavailable', 'the counting engine is not built into this version');
};
