// Entry of a compute pool worker (bundled to dist/compute-worker.js): serves the registered tasks.
import { serveTasks } from '../core/compute-serve';
import { COMPUTE_TASKS } from './compute-tasks';

serveTasks(COMPUTE_TASKS);
