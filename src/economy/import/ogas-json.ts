// Reads the OGAS economy JSON format: an EconomyModel object, checked by schema and integrity rules.
import { DomainError } from '../../core/errors';
import type { EconomyModel } from '../economy';
import { modelIssues } from '../validate-model';
import { toText } from './csv-text';
import { economyModelSchema } from './economy-schema';
import { zodFieldIssues } from '../../core/field-path';
import type { ImportResult } from './import-result';
import { modelCounts } from './import-result';
import { refusal } from './refusal';
import { parserFault } from '../../core/parse-error';

const FIX = 'correct the named fields; docs/formats/economy-csv-json.md shows a complete example';

/** Parses JSON text, refusing malformed JSON with the parser's message. */
export function parseJsonText(content: Buffer | string): unknown {
  try {
    return JSON.parse(toText(content));
  } catch (e) {
    throw new DomainError('invalid', `the file is not valid JSON: ${parserFault(e)}`, {
      issues: [{ field: '(file)', message: parserFault(e) }],
      fix: 'save the file as JSON (UTF-8)',
    });
  }
}

export async function importOgasJson(content: Buffer | string): Promise<ImportResult> {
  const parsed = economyModelSchema.safeParse(parseJsonText(content));
  if (!parsed.success) throw refusal('economy JSON', zodFieldIssues(parsed.error), FIX);
  const model: EconomyModel = parsed.data;
  const issues = modelIssues(model);
  if (issues.length > 0) throw refusal('economy JSON', issues, FIX);
  return { model, report: { format: 'ogas-json', ...modelCounts(model), warnings: [] } };
}
