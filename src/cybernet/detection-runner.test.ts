// Deferred detection against inline detection, on PGlite (PostgreSQL: tests/services/postgres-store.test.ts).
import { detectionRunnerSuite } from './detection-runner.suite';

detectionRunnerSuite('pglite');
