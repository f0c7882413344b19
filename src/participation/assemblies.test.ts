// Runs the assemblies suite on the embedded database.
import { assembliesSuite } from './assemblies.suite';

assembliesSuite('pglite');
