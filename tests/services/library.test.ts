// The library on PostgreSQL: every access level, the declassification date on the test clock, and the
// no-leak property (fewer runs than on PGlite: each run writes a library to a real server).
import { beforeAll } from 'vitest';
import { librarySuite } from '../../src/library/library.suite';
import { leakSuite } from '../../src/library/library-leak.suite';
import { requireServices } from './services';

beforeAll(async () => {
  await requireServices();
});

librarySuite('postgres');
leakSuite('postgres', 10);
