// The bulk readings write against the row-by-row reference, on PGlite (PostgreSQL: tests/services/postgres-store.test.ts).
import { readingsWriteSuite } from './readings-write.suite';

readingsWriteSuite('pglite');
