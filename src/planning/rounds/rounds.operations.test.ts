// Planning rounds through the operations on PGlite (the same suite runs on PostgreSQL in tests/services).
import { roundsSuite } from './rounds.suite';

roundsSuite('pglite');
