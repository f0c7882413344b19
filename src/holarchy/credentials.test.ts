// Runs the credentials storage suite on the embedded database.
import { credentialsSuite } from './credentials.suite';

credentialsSuite('pglite');
