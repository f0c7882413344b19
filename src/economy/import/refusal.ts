// Builds the one refusal every importer throws: DomainError('invalid') listing each bad cell or field.
import { DomainError } from '../../core/errors';
import type { FieldIssue } from '../../core/errors';

export function refusal(what: string, issues: FieldIssue[], fix: string): DomainError {
  const first = issues[0];
  const more = issues.length > 1 ? ` (and ${issues.length - 1} more)` : '';
  const detail = first === undefined ? '' : `: ${first.field}: ${first.message}${more}`;
  return new DomainError('invalid', `${what} refused${detail}`, { issues, fix });
}
