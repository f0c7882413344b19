// Plan-shortfall by the units below and by the plan period, on the embedded database (PostgreSQL:
// tests/services/plan-shortfall.test.ts).
import { planShortfallRollupSuite } from './plan-shortfall-rollup.suite';

planShortfallRollupSuite('pglite');
