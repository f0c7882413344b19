// Runs the library suite on the embedded database.
import { librarySuite } from './library.suite';

librarySuite('pglite');
