// Runs the votes storage suite on the embedded database.
import { votesSuite } from './votes.suite';

votesSuite('pglite');
