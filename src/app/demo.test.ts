// Runs the demo loading suite on the embedded database.
import { demoSuite } from './demo.suite';

demoSuite('pglite');
