// Every other operation under hostile values (the operations at odd places of OPERATIONS); the
// rest in fuzz-hostile-2.test.ts. Two files so that two workers share the work (src/testing/hostile-fuzz.ts).
import { hostileFuzz } from '../testing/hostile-fuzz';

hostileFuzz(1, 2);
