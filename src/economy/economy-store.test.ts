// Runs the economy storage suite on the embedded database.
import { economyStoreSuite } from './economy-store.suite';

economyStoreSuite('pglite');
