// The worker side of the compute pool: answers task requests one at a time from a registry of tasks.
import { parentPort } from 'node:worker_threads';
import { runTask, serialError, type TaskRegistry, type TaskReply, type TaskRequest } from './compute-task';

export function serveTasks(tasks: TaskRegistry): void {
  const port = parentPort;
  if (!port) throw new Error('serveTasks runs in a worker thread only');
  // The pool stops a cancelled task by ending the worker, so the task's own signal never fires here.
  const never = new AbortController().signal;
  port.on('message', ({ id, task, input }: TaskRequest) => {
    const progress = (p: TaskReply & { progress: unknown }) => port.postMessage(p);
    runTask(tasks, task, input, { progress: (p) => progress({ id, progress: p }), signal: never }).then(
      (result) => port.postMessage({ id, result } satisfies TaskReply),
      (e: unknown) => port.postMessage({ id, error: serialError(e) } satisfies TaskReply),
    );
  });
}
