// Every other operation under hostile values (the operations at even places of OPERATIONS); the
// rest in fuzz-hostile-1.test.ts. Two files so that two workers share the work (src/testing/hostile-fuzz.ts).
import { hostileFuzz } from '../testing/hostile-fuzz';

hostileFuzz(2, 2);
