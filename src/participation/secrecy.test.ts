// Runs the secret-ballot suite on the embedded database.
import { secrecySuite } from './secrecy.suite';

secrecySuite('pglite');
