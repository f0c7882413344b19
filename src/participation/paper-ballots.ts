// Paper ballots counted by hand, read with the engine's cast-vote readers (generic CSV, NIST CDF JSON, ES&S
// spreadsheets, .blt) or as OGAS JSON, into the marks a vote stores; every refusal names the row and column.
import { z } from 'zod';
import { DomainError, type FieldIssue } from '../core/errors';
import { OVERVOTE, RankedBallotsBuilder, plainRanking, type RankedBallots } from './counting/ranked-ballots';
import { readBlt } from './cvr/blt';
import { readCdfJson } from './cvr/cdf-json';
import { readEssXlsx } from './cvr/ess-xlsx';
import { readGenericCsv } from './cvr/generic-csv';
import type { CvrSourceConfig } from './cvr/rctab-config';
import { CandidateIndex, ReadIssues, ReadTarget } from './cvr/read-context';
import { ballotInputSchema, marksOf, type Marks } from './ballot';
import { RANKED_TYPES, type Candidate, type Method } from './participation';
import { parserFault } from '../core/parse-error';
import { guardInput } from '../core/input-guard';

export const PAPER_FORMATS = ['generic-csv', 'cdf-json', 'ess-xlsx', 'blt', 'ogas-json'] as const;
export type PaperFormat = (typeof PAPER_FORMATS)[number];

/** The pseudo-candidate of a rank marked as an overvote without naming the candidates (the count applies its rule). */
export const OVERVOTE_MARK = '#overvote';

export const paperFileSchema = z.object({
  fileName: z.string().trim().min(1).max(300).describe('the file\u2019s name, quoted in every refusal'),
  format: z.enum(PAPER_FORMATS),
  content: z.string().min(1).describe('the file: text, or base64 for an .xlsx spreadsheet'),
  firstVoteColumn: z
    .number()
    .int()
    .min(1)
    .optional()
    .describe('CSV and spreadsheet: column of the first rank (1 = A)'),
  firstVoteRow: z.number().int().min(1).optional().describe('CSV and spreadsheet: row of the first ballot'),
  overvoteLabel: z.string().max(100).optional().describe('spreadsheet: the text that marks an overvote'),
  overvoteDelimiter: z
    .string()
    .max(10)
    .optional()
    .describe('spreadsheet: separator of several names in one cell'),
  contestId: z.string().max(200).optional().describe('CDF: the contest to read, when the file holds several'),
});
export type PaperFile = z.infer<typeof paperFileSchema>;

export interface PaperBallots {
  marks: Marks[];
  /** Where each ballot came from, e.g. "count.csv ballot 12". */
  records: string[];
}

function rankedMarks(ballots: RankedBallots, ids: string[], file: string): PaperBallots {
  const marks: Marks[] = [];
  const records: string[] = [];
  for (let b = 0; b < ballots.size; b++) {
    const ranking = plainRanking(ballots, b).map((rank) =>
      rank.map((c) => (c === OVERVOTE ? OVERVOTE_MARK : (ids[c] as string))),
    );
    const copies = ballots.counts ? (ballots.counts[b] as number) : 1;
    for (let k = 0; k < copies; k++) {
      marks.push({ ranking });
      records.push(`${file} ballot ${records.length + 1}`);
    }
  }
  return { marks, records };
}

/**
 * Reads the ballots of one file for a vote; nothing is returned unless every ballot is good. What a file
 * decodes to (a spreadsheet, base64) has not passed the input guard: it is guarded here before it is stored.
 */
export async function readPaperBallots(
  method: Method,
  candidates: Candidate[],
  file: PaperFile,
): Promise<PaperBallots> {
  const paper = await readPaperFile(method, candidates, file);
  guardInput(paper, { prefix: [file.fileName] }, 'file');
  return paper;
}

async function readPaperFile(
  method: Method,
  candidates: Candidate[],
  file: PaperFile,
): Promise<PaperBallots> {
  const ids = candidates.map((c) => c.id);
  if (file.format === 'ogas-json') return readOgasJson(method, candidates, file);
  if (!RANKED_TYPES.includes(method.type)) {
    throw new DomainError(
      'invalid',
      `format: ${file.format} holds ranked ballots; this is a ${method.type} vote`,
      {
        issues: [{ field: 'format', message: 'use ogas-json for unranked ballots' }],
        fix: 'give the ballots as OGAS JSON: a list of ballots shaped like vote.cast\u2019s ballot field',
      },
    );
  }
  if (file.format === 'blt') {
    const election = readBlt(file.content);
    const missing = election.candidates.findIndex(
      (name) => !candidates.some((c) => c.name === name || c.id === name),
    );
    if (missing >= 0) {
      throw new DomainError(
        'invalid',
        `${file.fileName}: candidate "${election.candidates[missing]}" is not on this vote`,
        {
          issues: [{ field: `${file.fileName} candidate ${missing + 1}`, message: 'unknown candidate' }],
          fix: `the vote's candidates are: ${candidates.map((c) => c.name).join(', ')}`,
        },
      );
    }
    const order = election.candidates.map(
      (name) => candidates.find((c) => c.name === name || c.id === name)?.id as string,
    );
    return rankedMarks(election.ballots, order, file.fileName);
  }
  const target = new ReadTarget(
    new CandidateIndex(candidates.map((c) => ({ name: c.name, aliases: [c.id], excluded: false }))),
    new RankedBallotsBuilder(),
    new ReadIssues(),
    candidates.length,
  );
  const source: CvrSourceConfig = {
    provider: file.format === 'ess-xlsx' ? 'ess' : file.format === 'cdf-json' ? 'cdf' : 'genericCsv',
    filePath: file.fileName,
    treatBlankAsUndeclaredWriteIn: false,
    ...(file.firstVoteColumn === undefined ? {} : { firstVoteColumnIndex: file.firstVoteColumn }),
    ...(file.firstVoteRow === undefined ? {} : { firstVoteRowIndex: file.firstVoteRow }),
    ...(file.overvoteLabel === undefined ? {} : { overvoteLabel: file.overvoteLabel }),
    ...(file.overvoteDelimiter === undefined ? {} : { overvoteDelimiter: file.overvoteDelimiter }),
    ...(file.contestId === undefined ? {} : { contestId: file.contestId }),
  };
  if (file.format === 'generic-csv') readGenericCsv(file.content, file.fileName, source, target);
  else if (file.format === 'cdf-json') readCdfJson(file.content, file.fileName, source, target);
  else await readEssXlsx(Buffer.from(file.content, 'base64'), file.fileName, source, target);
  target.issues.throwIfAny(
    file.fileName,
    'correct the named cells (or count those ballots as spoiled) and import again',
  );
  if (target.candidates.usesWriteIns) {
    throw new DomainError('invalid', `${file.fileName}: the file holds undeclared write-ins`, {
      fix: 'a vote counts only its own candidates: add the candidate to the vote, or set those ballots aside as spoiled',
    });
  }
  return rankedMarks(target.ballots.build(), ids, file.fileName);
}

function readOgasJson(method: Method, candidates: Candidate[], file: PaperFile): PaperBallots {
  let raw: unknown;
  try {
    raw = JSON.parse(file.content);
  } catch (e) {
    throw new DomainError('invalid', `${file.fileName}: not JSON (${parserFault(e)})`, {
      issues: [{ field: file.fileName, message: 'not JSON' }],
      fix: 'give a JSON list of ballots shaped like vote.cast\u2019s ballot field',
    });
  }
  const list = z.array(z.unknown()).safeParse(raw);
  if (!list.success) {
    throw new DomainError('invalid', `${file.fileName}: not a list of ballots`, {
      issues: [{ field: file.fileName, message: 'expected a JSON list' }],
    });
  }
  const issues: FieldIssue[] = [];
  const marks: Marks[] = [];
  list.data.forEach((item, i) => {
    const where = `${file.fileName} ballots[${i}]`;
    const parsed = ballotInputSchema.safeParse(item);
    if (!parsed.success) {
      issues.push({ field: where, message: parsed.error.issues[0]?.message ?? 'not a ballot' });
      return;
    }
    try {
      marks.push(marksOf(method, candidates, parsed.data));
    } catch (e) {
      if (!(e instanceof DomainError)) throw e;
      for (const issue of e.issues)
        issues.push({ field: `${where}.${issue.field.replace(/^ballot\./, '')}`, message: issue.message });
    }
  });
  if (issues.length > 0) {
    throw new DomainError(
      'invalid',
      `${issues[0]?.field}: ${issues[0]?.message}${issues.length > 1 ? ` (and ${issues.length - 1} more)` : ''}`,
      {
        issues,
        fix: 'correct the named ballots (or set them aside as spoiled) and import again',
      },
    );
  }
  return { marks, records: marks.map((_, i) => `${file.fileName} ballot ${i + 1}`) };
}
