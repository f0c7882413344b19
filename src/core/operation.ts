// An operation is defined once and mounted everywhere: HTTP route, CLI command, NATS subject.
import type { z } from 'zod';
import type { BaseLogger as Logger } from 'pino';
import type { Access } from './access';
import type { Clock } from './clock';
import type { HeavyDeclaration } from './heavy';
import type { Principal } from './principal';
import type { Services } from './services';

/** Progress of a long run: fraction in [0,1] when known, and what is happening. */
export interface Progress {
  fraction?: number;
  message: string;
}

export interface OpContext {
  principal: Principal;
  /** The bearer secret the principal came with, if any (sign-out needs it). */
  token?: string;
  services: Services;
  clock: Clock;
  log: Logger;
  /** Aborted when the caller cancels (HTTP client gone, Ctrl-C, cancel operation). */
  signal: AbortSignal;
  progress: (p: Progress) => void;
}

/** Files on the machine where the CLI runs; the only way an operation's input comes from a path. */
export interface LocalFiles {
  /** Reads one file, refusing one over `maxBytes` (default 64 MB) before reading it whole. */
  read(path: string, options?: { maxBytes?: number }): Promise<Buffer>;
  /** Paths of the regular files under a directory (recursively, relative to it, sorted). */
  list(dir: string, options?: { maxFiles?: number }): Promise<string[]>;
  /** Joins path segments as the local platform does. */
  join(...parts: string[]): string;
}

export interface CliHints {
  /** Input fields taken as positional arguments, in order. */
  positional?: string[];
  /** Input fields whose CLI value is a file path; the CLI reads the file into the field. */
  files?: { field: string; encoding: 'utf8' | 'base64' }[];
  /**
   * Options that exist only on the command line, naming paths on the caller's machine (a dataset
   * folder, a configuration that names other files). `gather` reads them into input fields, so the
   * operation itself only ever sees uploaded content; with `--server` the content is uploaded.
   */
  local?: {
    options: { name: string; flag: string; description: string }[];
    gather: (options: Record<string, string>, files: LocalFiles) => Promise<Record<string, unknown>>;
  };
  /** An output field holding a file's text: printed as is without --json, so that `> file` saves the file. */
  output?: string;
}

export interface Operation<I extends z.ZodType = z.ZodType, O extends z.ZodType = z.ZodType> {
  /** Dotted name: "holarchy.unit.create" → POST /api/holarchy/unit/create and `ogas holarchy unit create`. */
  name: string;
  summary: string;
  /** Queries change nothing and may also be called with GET. */
  kind: 'query' | 'command';
  input: I;
  output: O;
  access: Access<z.output<I>>;
  /** Whether the handler needs the database (analysis of a file does not). */
  needsStore?: boolean;
  cli?: CliHints;
  /**
   * A long run: called with a `runId` in its input, it can be followed (/api/runs/<runId>/events) and
   * cancelled (system.run.cancel). Other operations may carry a `runId` field with another meaning.
   */
  longRun?: boolean;
  /**
   * The operation checks a secret that can be guessed (a password, a reset code): the HTTP edge limits
   * calls per client address and, when `accountField` names the input field of the account, per account.
   */
  guessable?: { accountField?: string };
  /**
   * A CPU-heavy operation: its handler runs its computation in the compute pool; its size limits are checked,
   * and a slot of its principal's heavy calls taken, before the handler runs (src/core/heavy.ts).
   */
  heavy?: HeavyDeclaration<z.output<I>>;
  /**
   * Top-level array fields whose items the handler judges one by one (a batch of readings: a bad one is
   * quarantined with its reason, the rest stored). The input guard leaves the text and numbers inside their
   * items to the handler; it still refuses their shape (depth, sizes).
   */
  judgedByItem?: readonly string[];
  /** Extra HTTP GET path (e.g. "/api/health") besides the default POST /api/<name with slashes>. */
  httpGet?: string;
  handler: (ctx: OpContext, input: z.output<I>) => Promise<z.input<O>>;
}

/** Identity function that fixes the generic types of an operation literal. */
export function defineOperation<I extends z.ZodType, O extends z.ZodType>(
  op: Operation<I, O>,
): Operation<I, O> {
  return op;
}

// Operations are stored heterogeneously in the registry; their own types are checked where they are defined.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyOperation = Operation<any, any>;
