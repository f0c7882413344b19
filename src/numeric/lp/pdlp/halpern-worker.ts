// Worker thread of halpern-threads.ts: runs block 1 of each batch of Halpern iterations (halpern-split.ts) on the
// arrays it shares with the calling thread, until told to stop. It waits on the command counter between batches.
import { parentPort, workerData } from 'node:worker_threads';
import {
  COMMAND_STOP,
  CONTROL_COMMAND,
  CONTROL_DONE,
  CONTROL_FAILED,
  CONTROL_KIND,
  runSplitIterations,
  splitViews,
  type SplitBuffers,
} from './halpern-split';

const views = splitViews(workerData as SplitBuffers);
const c = views.control;
parentPort?.postMessage('ready');
let seen = 0;
try {
  for (;;) {
    while (Atomics.load(c, CONTROL_COMMAND) === seen) Atomics.wait(c, CONTROL_COMMAND, seen, 1000);
    seen = Atomics.load(c, CONTROL_COMMAND);
    if (Atomics.load(c, CONTROL_KIND) === COMMAND_STOP) break;
    runSplitIterations(views, 1);
    Atomics.store(c, CONTROL_DONE, seen);
    Atomics.notify(c, CONTROL_DONE);
  }
} catch (error) {
  Atomics.store(c, CONTROL_FAILED, 1);
  Atomics.notify(c, CONTROL_DONE);
  throw error;
}
