// Turns zod issues into DomainError field issues with paths like `technologies[3].inputs[1].product`.
import type { z } from 'zod';
import type { FieldIssue } from './errors';

export function fieldPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else out += out === '' ? String(key) : `.${String(key)}`;
  }
  return out === '' ? '(root)' : out;
}

export function zodFieldIssues(error: z.ZodError, prefix: readonly PropertyKey[] = []): FieldIssue[] {
  return error.issues.map((issue) => ({
    field: fieldPath([...prefix, ...issue.path]),
    message: issue.message,
  }));
}
