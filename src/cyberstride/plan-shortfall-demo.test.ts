// Plan-shortfall alerts on the demo, on the embedded database (PostgreSQL: tests/services/plan-shortfall.test.ts).
import { planShortfallSuite } from './plan-shortfall.suite';

planShortfallSuite('pglite');
