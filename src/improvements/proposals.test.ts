// Runs the proposals suite on the embedded database.
import { proposalsSuite } from './proposals.suite';

proposalsSuite('pglite');
