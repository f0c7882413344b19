// Runs the holarchy storage suite on the embedded database.
import { holarchySuite } from './holarchy.suite';

holarchySuite('pglite');
