// Plan-shortfall alerts on the demo, and by the units below and the plan period, on PostgreSQL (the same
// suites as on PGlite).
import { beforeAll } from 'vitest';
import { planShortfallRollupSuite } from '../../src/cyberstride/plan-shortfall-rollup.suite';
import { planShortfallSuite } from '../../src/cyberstride/plan-shortfall.suite';
import { requireServices } from './services';

beforeAll(async () => {
  await requireServices();
});

planShortfallSuite('postgres');
planShortfallRollupSuite('postgres');
