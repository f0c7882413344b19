// The no-leak property on the embedded database.
import { leakSuite } from './library-leak.suite';

leakSuite('pglite', 15);
