// Turns an RCTab configuration and the contents of the cast-vote files it names into a contest to count.

import { DomainError } from '../../core/errors';
import { RankedBallotsBuilder } from '../counting/ranked-ballots';
import type { RcvContest } from '../counting/rcv/result';
import { cdfCandidateNames, readCdfJson } from './cdf-json';
import { readEssXlsx } from './ess-xlsx';
import { readGenericCsv } from './generic-csv';
import type { ConfigCandidate, RctabConfig } from './rctab-config';
import { CandidateIndex, ReadIssues } from './read-context';

export interface LoadedContest {
  contest: RcvContest;
  /** Ballot records read from each source, in the configuration's order. */
  ballotsPerSource: number[];
}

function missing(path: string, index: number): DomainError {
  return new DomainError('invalid', `cvrFileSources[${index}].filePath: no content given for "${path}"`, {
    issues: [{ field: `cvrFileSources[${index}].filePath`, message: `file "${path}" was not provided` }],
    fix: 'with the CLI, give --rctab CONFIG.json and keep the cast-vote files where the configuration names them',
  });
}

/** Reads every source of the configuration from `files` (keyed by filePath as written in the configuration). */
export async function loadRctabContest(
  config: RctabConfig,
  files: ReadonlyMap<string, Buffer>,
): Promise<LoadedContest> {
  let candidates: ConfigCandidate[] = config.candidates;
  if (candidates.length === 0) {
    const cdf = config.sources.find((s) => s.provider === 'cdf');
    const bytes = cdf && files.get(cdf.filePath);
    if (cdf && bytes) {
      candidates = cdfCandidateNames(bytes.toString('utf8'), cdf.filePath, cdf.contestId ?? '').map(
        (name) => ({
          name,
          aliases: [],
          excluded: false,
        }),
      );
    }
    if (candidates.length === 0) {
      throw new DomainError('invalid', 'candidates: the configuration lists no candidate', {
        issues: [{ field: 'candidates', message: 'empty' }],
        fix: 'list the candidates (name, aliases) in the configuration',
      });
    }
  }
  const index = new CandidateIndex(candidates);
  const issues = new ReadIssues();
  const builder = new RankedBallotsBuilder();
  const maxRankings =
    config.rules.maxRankingsAllowed === 'max' ? candidates.length : config.rules.maxRankingsAllowed;
  const target = {
    candidates: index,
    ballots: builder,
    issues,
    maxRankings,
    slices: { precinct: false, batch: false },
  };
  const ballotsPerSource: number[] = [];
  for (const [i, source] of config.sources.entries()) {
    const bytes = files.get(source.filePath);
    if (!bytes) throw missing(source.filePath, i);
    const file = source.filePath;
    // Spreadsheet readers give every row of a configured precinct or batch column an id (a missing one too).
    if (source.provider !== 'cdf' && source.precinctColumnIndex !== undefined) target.slices.precinct = true;
    if (source.provider !== 'cdf' && source.batchColumnIndex !== undefined) target.slices.batch = true;
    if (source.provider === 'ess') ballotsPerSource.push(await readEssXlsx(bytes, file, source, target));
    else if (source.provider === 'cdf')
      ballotsPerSource.push(readCdfJson(bytes.toString('utf8'), file, source, target));
    else ballotsPerSource.push(readGenericCsv(bytes.toString('utf8'), file, source, target));
    issues.throwIfAny(
      `cast-vote file ${file}`,
      'check the candidate names and aliases in the configuration, and firstVoteRowIndex and firstVoteColumnIndex',
    );
  }
  for (const [slice, asked] of [
    ['precinct', config.tabulateByPrecinct],
    ['batch', config.tabulateByBatch],
  ] as const) {
    if (asked && !target.slices[slice]) {
      // As RCTab: a count by slice without any slice id in the records is refused, not silently skipped.
      const option = slice === 'precinct' ? 'tabulateByPrecinct' : 'tabulateByBatch';
      throw new DomainError(
        'invalid',
        `outputSettings.${option} is set, but no cast-vote record names a ${slice}`,
        {
          issues: [{ field: `outputSettings.${option}`, message: `no ${slice} in the cast-vote records` }],
          fix: `set ${option} to false, or give the ${slice} column (${slice}ColumnIndex) of the records`,
        },
      );
    }
  }
  if (builder.size === 0) {
    throw new DomainError('invalid', 'the cast-vote files hold no ballot', {
      issues: [{ field: 'cvrFileSources', message: 'no cast vote records found' }],
      fix: 'check firstVoteRowIndex and the contestId',
    });
  }
  return {
    contest: {
      candidates: candidates.map((c) => ({ name: c.name, excluded: c.excluded })),
      undeclaredWriteIns:
        index.usesWriteIns || config.sources.some((s) => s.undeclaredWriteInLabel !== undefined),
      ballots: builder.build(),
    },
    ballotsPerSource,
  };
}
