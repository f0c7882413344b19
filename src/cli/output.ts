// How the CLI prints: JSON with --json, otherwise tables for lists and indented text for the rest.
import { ERROR_KINDS, isDomainError, type DomainError } from '../core/errors';

function scalar(v: unknown): boolean {
  return v === null || ['string', 'number', 'boolean'].includes(typeof v) || v instanceof Date;
}

/** `output` names a text field printed as is without --json: the file itself, ready to redirect. */
export function printResult(result: unknown, json: boolean, output?: string): void {
  if (json) {
    process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
    return;
  }
  const text = output === undefined ? undefined : (result as Record<string, unknown> | null)?.[output];
  if (typeof text === 'string') {
    process.stdout.write(text);
    return;
  }
  if (typeof result === 'object' && result !== null && !Array.isArray(result)) {
    const entries = Object.entries(result);
    const lists = entries.filter(
      ([, v]) => Array.isArray(v) && v.every((x) => typeof x === 'object' && x !== null),
    );
    for (const [k, v] of entries) {
      if (lists.some(([lk]) => lk === k)) continue;
      process.stdout.write(`${k}: ${scalar(v) ? String(v) : JSON.stringify(v)}\n`);
    }
    for (const [k, v] of lists) {
      const rows = (v as Record<string, unknown>[]).map((row) =>
        Object.fromEntries(
          Object.entries(row)
            .filter(([, x]) => scalar(x))
            .map(([c, x]) => [c, x instanceof Date ? x.toISOString() : x]),
        ),
      );
      process.stdout.write(`${k} (${rows.length}):\n`);
      if (rows.length > 0) console.table(rows);
    }
    return;
  }
  process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
}

/** Prints the error the way a person can act on, and returns the exit code. */
export function printError(error: unknown, json: boolean): number {
  if (isDomainError(error)) return printDomainError(error, json);
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(
    json ? `${JSON.stringify({ error: 'internal', detail: message })}\n` : `error: ${message}\n`,
  );
  return 1;
}

function printDomainError(error: DomainError, json: boolean): number {
  if (json) {
    process.stderr.write(
      `${JSON.stringify({ error: error.kind, detail: error.message, issues: error.issues, fix: error.fix, data: error.data })}\n`,
    );
  } else {
    process.stderr.write(`error (${error.kind}): ${error.message}\n`);
    for (const issue of error.issues) process.stderr.write(`  - ${issue.field}: ${issue.message}\n`);
    if (error.fix) process.stderr.write(`  fix: ${error.fix}\n`);
  }
  return ERROR_KINDS[error.kind].exit;
}
