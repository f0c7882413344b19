// `ogas openapi --check FILE`: a document that drifted from the operation registry is a conflict (exit 5), a
// missing one is not found (exit 4); exit 1 stays reserved for bugs. The message points at the first line that
// differs, so a reviewer sees what changed without running a diff.
import { existsSync, readFileSync } from 'node:fs';
import { DomainError } from '../core/errors';

const FIX = 'regenerate it: npm run openapi (ogas openapi --out FILE), then npm run web:types';

/** Throws unless the file holds exactly the generated document. */
export function checkOpenApiFile(file: string, generated: string): void {
  if (!existsSync(file)) {
    throw new DomainError('not-found', `${file} does not exist`, {
      issues: [{ field: '--check', message: 'no such file' }],
      fix: FIX,
    });
  }
  const current = readFileSync(file, 'utf8');
  if (current === generated) return;
  const have = current.split('\n');
  const want = generated.split('\n');
  let line = 0;
  while (line < have.length && line < want.length && have[line] === want[line]) line++;
  const found = have[line]?.trim() ?? '(end of file)';
  const expected = want[line]?.trim() ?? '(end of file)';
  throw new DomainError('conflict', `${file} is out of date with the operation registry`, {
    issues: [{ field: `${file}:${line + 1}`, message: `has ${found}, the registry gives ${expected}` }],
    fix: FIX,
  });
}
