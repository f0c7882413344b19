// Runs the public questions suite on the embedded database.
import { questionsSuite } from './questions.suite';

questionsSuite('pglite');
