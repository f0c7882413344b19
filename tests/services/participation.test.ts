// Participation on the real PostgreSQL server (TEST_DATABASE_URL): one ballot per person under truly concurrent
// casting, secrecy of the stored rows, the question climb, assemblies and participatory budgets; the same suites as on PGlite.
import { assembliesSuite } from '../../src/participation/assemblies.suite';
import { budgetsSuite } from '../../src/participation/budgets.suite';
import { questionsSuite } from '../../src/participation/questions.suite';
import { secrecySuite } from '../../src/participation/secrecy.suite';
import { votesSuite } from '../../src/participation/votes.suite';
import { requireServices } from './services';
import { beforeAll } from 'vitest';

beforeAll(async () => {
  await requireServices();
});

votesSuite('postgres');
secrecySuite('postgres');
questionsSuite('postgres');
assembliesSuite('postgres');
budgetsSuite('postgres');
