// The contract between the compute pool and its workers: named pure tasks and the messages they exchange.
import { DomainError, type ErrorKind, type FieldIssue } from './errors';
import type { Progress } from './operation';

/** What a task may do besides computing: report progress. It cannot reach services or the database. */
export interface TaskHooks {
  progress: (p: Progress) => void;
  /** Aborted when the caller cancels; a task running in a worker is stopped by ending the worker instead. */
  signal: AbortSignal;
}

/** A pure function of structured-cloneable input to structured-cloneable output. */
export type ComputeTask = (input: never, hooks: TaskHooks) => unknown;
export type TaskRegistry = Record<string, ComputeTask>;

export interface TaskRequest {
  id: number;
  task: string;
  input: unknown;
}

/** An error as it crosses the thread boundary: a DomainError keeps its kind, issues, fix and data. */
export interface SerialError {
  kind?: ErrorKind;
  message: string;
  issues?: FieldIssue[];
  fix?: string;
  data?: Record<string, unknown>;
}

export type TaskReply =
  { id: number; progress: Progress } | { id: number; result: unknown } | { id: number; error: SerialError };

export function serialError(e: unknown): SerialError {
  if (e instanceof DomainError) {
    return {
      kind: e.kind,
      message: e.message,
      issues: e.issues,
      ...(e.fix === undefined ? {} : { fix: e.fix }),
      ...(e.data === undefined ? {} : { data: e.data }),
    };
  }
  return { message: e instanceof Error ? e.message : String(e) };
}

export function revivedError(e: SerialError, task: string): Error {
  if (e.kind === undefined) return new Error(`compute task ${task} failed: ${e.message}`);
  return new DomainError(e.kind, e.message, {
    ...(e.issues ? { issues: e.issues } : {}),
    ...(e.fix === undefined ? {} : { fix: e.fix }),
    ...(e.data === undefined ? {} : { data: e.data }),
  });
}

/** Runs a task by name; an unknown name is a programming error. */
export async function runTask(
  tasks: TaskRegistry,
  name: string,
  input: unknown,
  hooks: TaskHooks,
): Promise<unknown> {
  const task = tasks[name];
  if (!task) throw new Error(`no compute task named "${name}"`);
  return (task as (input: unknown, hooks: TaskHooks) => unknown)(input, hooks);
}
