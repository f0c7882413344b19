// Reads an RCTab contest configuration (JSON) into counting rules and cast-vote sources.
//
// RCTab writes numbers as strings ("3"), blank strings for "not given", and accepts older names of
// some options; this reader does the same and names the field of anything it refuses.

import { z } from 'zod';
import { DomainError, type FieldIssue } from '../../core/errors';
import { zodFieldIssues } from '../../core/field-path';
import { Decimal } from '../counting/decimal';
import {
  OVERVOTE_RULES,
  TIEBREAK_MODES,
  WINNER_ELECTION_MODES,
  needsRandomSeed,
  type OvervoteRule,
  type RcvRules,
  type TiebreakMode,
} from '../counting/rcv/rules';
import { parserFault } from '../../core/parse-error';

export type CvrProvider = 'ess' | 'cdf' | 'genericCsv';

export interface CvrSourceConfig {
  provider: CvrProvider;
  filePath: string;
  contestId?: string;
  firstVoteColumnIndex?: number;
  firstVoteRowIndex?: number;
  idColumnIndex?: number;
  precinctColumnIndex?: number;
  batchColumnIndex?: number;
  overvoteDelimiter?: string;
  overvoteLabel?: string;
  skippedRankLabel?: string;
  undeclaredWriteInLabel?: string;
  treatBlankAsUndeclaredWriteIn: boolean;
}

export interface ConfigCandidate {
  name: string;
  aliases: string[];
  excluded: boolean;
}

export interface RctabConfig {
  contestName: string;
  contestDate: string | null;
  contestJurisdiction: string | null;
  contestOffice: string | null;
  /** Per-precinct and per-batch reports asked for (not produced; RCTab refuses them without slice ids). */
  tabulateByPrecinct: boolean;
  tabulateByBatch: boolean;
  sources: CvrSourceConfig[];
  candidates: ConfigCandidate[];
  rules: RcvRules;
}

const scalar = z.union([z.string(), z.number(), z.boolean(), z.null()]).optional();

const rawSchema = z.object({
  tabulatorVersion: scalar,
  outputSettings: z.looseObject({ contestName: scalar }),
  cvrFileSources: z
    .array(z.looseObject({ provider: scalar, filePath: scalar }))
    .min(1, 'at least one cast-vote file'),
  candidates: z
    .array(
      z.looseObject({
        name: scalar,
        code: scalar,
        aliases: z.array(z.string()).optional(),
        excluded: scalar,
      }),
    )
    .optional(),
  rules: z.looseObject({}),
});

const PROVIDERS: Record<string, CvrProvider> = {
  ess: 'ess',
  'es&s': 'ess',
  cdf: 'cdf',
  genericcsv: 'genericCsv',
  csv: 'genericCsv',
};

const OLD_TIEBREAK: Record<string, TiebreakMode> = {
  interactive: 'stopCountingAndAsk',
  previousRoundCountsThenInteractive: 'previousRoundCountsThenAsk',
  usePermutationInConfig: 'useCandidateOrder',
};

class Fields {
  readonly issues: FieldIssue[] = [];
  constructor(
    private readonly obj: Record<string, unknown>,
    private readonly prefix: string,
  ) {}

  private fail(key: string, message: string): undefined {
    this.issues.push({ field: `${this.prefix}.${key}`, message });
    return undefined;
  }

  /** A string, or undefined when absent or blank. */
  text(key: string): string | undefined {
    const v = this.obj[key];
    if (v === undefined || v === null) return undefined;
    if (typeof v !== 'string' && typeof v !== 'number') return this.fail(key, 'expected text');
    const s = String(v);
    return s.trim() === '' ? undefined : s;
  }

  int(key: string, min: number, max: number): number | undefined {
    const s = this.text(key);
    if (s === undefined) return undefined;
    const n = Number(s);
    if (!Number.isInteger(n) || n < min || n > max) {
      return this.fail(key, `expected a whole number from ${min} to ${max}, got "${s}"`);
    }
    return n;
  }

  bool(key: string): boolean {
    const v = this.obj[key];
    if (v === undefined || v === null || v === '') return false;
    if (typeof v === 'boolean') return v;
    if (v === 'true' || v === 'false') return v === 'true';
    this.issues.push({ field: `${this.prefix}.${key}`, message: 'expected true or false' });
    return false;
  }

  required<T>(key: string, value: T | undefined): T | undefined {
    if (value === undefined && this.text(key) === undefined) this.fail(key, 'required');
    return value;
  }

  oneOf<T extends string>(key: string, allowed: readonly T[], old: Record<string, T> = {}): T | undefined {
    const s = this.text(key);
    if (s === undefined) return this.fail(key, `required: one of ${allowed.join(', ')}`);
    if ((allowed as readonly string[]).includes(s)) return s as T;
    if (old[s]) return old[s];
    // Older configurations capitalise some values ("Random").
    const folded = allowed.find((a) => a.toLowerCase() === s.toLowerCase());
    if (folded !== undefined) return folded;
    return this.fail(key, `"${s}" is not one of ${allowed.join(', ')}`);
  }
}

function readSource(
  raw: Record<string, unknown>,
  index: number,
  issues: FieldIssue[],
): CvrSourceConfig | undefined {
  const f = new Fields(raw, `cvrFileSources[${index}]`);
  const providerText = f.text('provider');
  const provider = providerText === undefined ? undefined : PROVIDERS[providerText.toLowerCase()];
  const filePath = f.text('filePath');
  if (providerText === undefined)
    f.issues.push({ field: `cvrFileSources[${index}].provider`, message: 'required' });
  else if (!provider) {
    f.issues.push({
      field: `cvrFileSources[${index}].provider`,
      message: `"${providerText}" is not read by OGAS: use ess (xlsx), cdf (NIST CDF JSON) or genericCsv`,
    });
  }
  if (filePath === undefined)
    f.issues.push({ field: `cvrFileSources[${index}].filePath`, message: 'required' });
  const spreadsheet = provider === 'ess' || provider === 'genericCsv';
  const firstVoteColumnIndex = f.int('firstVoteColumnIndex', 1, 1000);
  const firstVoteRowIndex = f.int('firstVoteRowIndex', 1, 100000);
  if (spreadsheet) {
    f.required('firstVoteColumnIndex', firstVoteColumnIndex);
    f.required('firstVoteRowIndex', firstVoteRowIndex);
  }
  const contestId = f.text('contestId');
  if (provider === 'cdf' && contestId === undefined) {
    f.issues.push({
      field: `cvrFileSources[${index}].contestId`,
      message: 'required: the contest Name in the CDF file',
    });
  }
  const source: CvrSourceConfig = {
    provider: provider ?? 'ess',
    filePath: filePath ?? '',
    treatBlankAsUndeclaredWriteIn: f.bool('treatBlankAsUndeclaredWriteIn'),
  };
  const optional = {
    contestId,
    firstVoteColumnIndex,
    firstVoteRowIndex,
    idColumnIndex: f.int('idColumnIndex', 1, 1000),
    precinctColumnIndex: f.int('precinctColumnIndex', 1, 1000),
    batchColumnIndex: f.int('batchColumnIndex', 1, 1000),
    overvoteDelimiter: f.text('overvoteDelimiter'),
    overvoteLabel: f.text('overvoteLabel'),
    skippedRankLabel: f.text('skippedRankLabel') ?? f.text('undervoteLabel'),
    undeclaredWriteInLabel: f.text('undeclaredWriteInLabel'),
  };
  for (const [k, v] of Object.entries(optional)) if (v !== undefined) Object.assign(source, { [k]: v });
  if (source.overvoteDelimiter !== undefined && source.overvoteLabel !== undefined) {
    f.issues.push({
      field: `cvrFileSources[${index}].overvoteDelimiter`,
      message: 'give either overvoteDelimiter or overvoteLabel, not both',
    });
  }
  issues.push(...f.issues);
  return provider && filePath !== undefined ? source : undefined;
}

function readRules(raw: Record<string, unknown>, numDeclared: number, issues: FieldIssue[]): RcvRules {
  const f = new Fields(raw, 'rules');
  const numberOfWinners =
    f.required('numberOfWinners', f.int('numberOfWinners', 0, Math.max(numDeclared, 1))) ?? 1;
  let mode = f.text('winnerElectionMode');
  let continueUntilTwo = f.bool('continueUntilTwoCandidatesRemain');
  // Names of older RCTab versions (ContestConfigMigration).
  if (mode === 'standard')
    mode = numberOfWinners > 1 ? 'multiWinnerAllowMultipleWinnersPerRound' : 'singleWinnerMajority';
  if (mode === 'singleSeatContinueUntilTwoCandidatesRemain') {
    mode = 'singleWinnerMajority';
    continueUntilTwo = true;
  }
  if (mode === 'multiSeatAllowOnlyOneWinnerPerRound') mode = 'multiWinnerAllowOnlyOneWinnerPerRound';
  if (mode === 'multiSeatAllowMultipleWinnersPerRound') mode = 'multiWinnerAllowMultipleWinnersPerRound';
  if (mode === 'multiSeatBottomsUpUntilNWinners') mode = 'bottomsUp';
  if (mode === 'multiSeatBottomsUpUsingPercentageThreshold') mode = 'bottomsUpUsingPercentageThreshold';
  if (mode === 'multiSeatBottomsUp') {
    mode =
      numberOfWinners === 0 || f.text('multiSeatBottomsUpPercentageThreshold') !== undefined
        ? 'bottomsUpUsingPercentageThreshold'
        : 'bottomsUp';
  }
  if (mode === 'multiSeatSequentialWinnerTakesAll') mode = 'multiPassIrv';
  const winnerElectionMode = WINNER_ELECTION_MODES.find((m) => m === mode);
  if (winnerElectionMode === undefined) {
    issues.push({
      field: 'rules.winnerElectionMode',
      message: `${mode === undefined ? 'required' : `"${mode}" is not valid`}: one of ${WINNER_ELECTION_MODES.join(', ')}`,
    });
  }
  const tiebreakMode = f.oneOf<TiebreakMode>('tiebreakMode', TIEBREAK_MODES, OLD_TIEBREAK);
  const overvoteRule = f.oneOf<OvervoteRule>('overvoteRule', OVERVOTE_RULES);
  const seedText = f.text('randomSeed');
  let randomSeed: bigint | undefined;
  if (seedText !== undefined) {
    if (/^-?\d{1,15}$/.test(seedText.trim())) randomSeed = BigInt(seedText.trim());
    else issues.push({ field: 'rules.randomSeed', message: `expected a whole number, got "${seedText}"` });
  }
  if (tiebreakMode && needsRandomSeed(tiebreakMode) && randomSeed === undefined && seedText === undefined) {
    issues.push({ field: 'rules.randomSeed', message: `required when tiebreakMode is ${tiebreakMode}` });
  }
  const skipped = f.text('maxSkippedRanksAllowed');
  let maxSkippedRanksAllowed: number | 'unlimited' = 'unlimited';
  if (skipped === undefined)
    issues.push({ field: 'rules.maxSkippedRanksAllowed', message: 'required: a number or "unlimited"' });
  else if (skipped.toLowerCase() === 'unlimited') maxSkippedRanksAllowed = 'unlimited';
  else maxSkippedRanksAllowed = f.int('maxSkippedRanksAllowed', 0, 1000000) ?? 0;
  const rankings = f.text('maxRankingsAllowed');
  let maxRankingsAllowed: number | 'max' = 'max';
  if (rankings === undefined)
    issues.push({ field: 'rules.maxRankingsAllowed', message: 'required: a number or "max"' });
  else if (rankings.toLowerCase() !== 'max')
    maxRankingsAllowed = f.int('maxRankingsAllowed', 1, 1000000) ?? 1;
  const places =
    f.required('decimalPlacesForVoteArithmetic', f.int('decimalPlacesForVoteArithmetic', 1, 20)) ?? 4;
  const minimum = f.int('minimumVoteThreshold', 0, 1000000) ?? 0;
  const stopAfter = f.int('stopTabulationEarlyAfterRound', 1, 1000000);
  const percentage = f.int('multiSeatBottomsUpPercentageThreshold', 1, 100);
  issues.push(...f.issues);
  const rules: RcvRules = {
    numberOfWinners,
    winnerElectionMode: winnerElectionMode ?? 'singleWinnerMajority',
    tiebreakMode: tiebreakMode ?? 'useCandidateOrder',
    overvoteRule: overvoteRule ?? 'alwaysSkipToNextRank',
    maxSkippedRanksAllowed,
    maxRankingsAllowed,
    decimalPlacesForVoteArithmetic: places,
    minimumVoteThreshold: Decimal.of(minimum),
    nonIntegerWinningThreshold: f.bool('nonIntegerWinningThreshold'),
    hareQuota: f.bool('hareQuota'),
    batchElimination: f.bool('batchElimination'),
    continueUntilTwoCandidatesRemain: continueUntilTwo,
    exhaustOnDuplicateCandidate: f.bool('exhaustOnDuplicateCandidate'),
    firstRoundDeterminesThreshold: f.bool('doesFirstRoundDetermineThreshold'),
  };
  if (randomSeed !== undefined) rules.randomSeed = randomSeed;
  if (stopAfter !== undefined) rules.stopTabulationEarlyAfterRound = stopAfter;
  if (percentage !== undefined) rules.multiSeatBottomsUpPercentageThreshold = Decimal.of(percentage);
  checkRuleCombinations(rules, issues);
  return rules;
}

/** The combinations RCTab's validation refuses. */
function checkRuleCombinations(rules: RcvRules, issues: FieldIssue[]): void {
  const refuse = (field: string, message: string): void => {
    issues.push({ field: `rules.${field}`, message });
  };
  const n = rules.numberOfWinners;
  const mode = rules.winnerElectionMode;
  if (n === 1 && mode !== 'singleWinnerMajority')
    refuse('winnerElectionMode', `${mode} needs numberOfWinners above 1`);
  if (n > 1 && mode === 'singleWinnerMajority')
    refuse('winnerElectionMode', 'singleWinnerMajority needs numberOfWinners 1');
  if (n === 0 && mode !== 'bottomsUpUsingPercentageThreshold') {
    refuse('numberOfWinners', '0 is only valid with winnerElectionMode bottomsUpUsingPercentageThreshold');
  }
  if (
    mode === 'bottomsUpUsingPercentageThreshold' &&
    rules.multiSeatBottomsUpPercentageThreshold === undefined
  ) {
    refuse('multiSeatBottomsUpPercentageThreshold', 'required by bottomsUpUsingPercentageThreshold');
  }
  if (n > 1 && rules.batchElimination) refuse('batchElimination', 'only valid with one winner');
  if (n > 1 && rules.continueUntilTwoCandidatesRemain)
    refuse('continueUntilTwoCandidatesRemain', 'only valid with one winner');
  if (n <= 1 && rules.hareQuota) refuse('hareQuota', 'only valid with several winners');
}

/** Parses the text of an RCTab configuration; refuses it naming every field at fault. */
export function parseRctabConfig(text: string): RctabConfig {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new DomainError('invalid', `the RCTab configuration is not JSON: ${parserFault(e)}`, {
      issues: [{ field: '(config)', message: 'not JSON' }],
      fix: 'give the contest configuration file that RCTab saves (*_config.json)',
    });
  }
  const parsed = rawSchema.safeParse(json);
  if (!parsed.success) {
    throw new DomainError('invalid', 'the RCTab configuration lacks required sections', {
      issues: zodFieldIssues(parsed.error),
      fix: 'an RCTab configuration has outputSettings, cvrFileSources, candidates and rules',
    });
  }
  const raw = parsed.data;
  const issues: FieldIssue[] = [];
  const output = new Fields(raw.outputSettings, 'outputSettings');
  const contestName = output.text('contestName');
  if (contestName === undefined) issues.push({ field: 'outputSettings.contestName', message: 'required' });
  const candidates: ConfigCandidate[] = [];
  const seen = new Set<string>();
  (raw.candidates ?? []).forEach((c, i) => {
    const f = new Fields(c, `candidates[${i}]`);
    const name = f.text('name') ?? f.text('code');
    if (name === undefined) issues.push({ field: `candidates[${i}].name`, message: 'required' });
    else if (seen.has(name))
      issues.push({ field: `candidates[${i}].name`, message: `"${name}" is listed twice` });
    else {
      seen.add(name);
      candidates.push({
        name,
        aliases: (c.aliases ?? []).filter((a) => a.trim() !== ''),
        excluded: f.bool('excluded'),
      });
    }
    issues.push(...f.issues);
  });
  // Older configurations give the labels once, in the rules; RCTab moves them to every source.
  const ruleLabels = new Fields(raw.rules, 'rules');
  const moved = Object.fromEntries(
    (['overvoteLabel', 'undervoteLabel', 'undeclaredWriteInLabel'] as const).flatMap((k) => {
      const v = ruleLabels.text(k);
      return v === undefined ? [] : [[k, v]];
    }),
  );
  const sources = raw.cvrFileSources
    .map((s, i) => readSource({ ...moved, ...s }, i, issues))
    .filter((s): s is CvrSourceConfig => s !== undefined);
  const rules = readRules(raw.rules, candidates.length, issues);
  if (
    rules.overvoteRule === 'exhaustIfMultipleContinuing' &&
    sources.some((s) => s.overvoteLabel !== undefined)
  ) {
    issues.push({
      field: 'rules.overvoteRule',
      message: 'exhaustIfMultipleContinuing needs the overvoted candidates, which an overvoteLabel hides',
    });
  }
  issues.push(...output.issues);
  if (issues.length > 0) {
    throw new DomainError(
      'invalid',
      `the RCTab configuration is not valid: ${issues[0]?.field}: ${issues[0]?.message}`,
      {
        issues,
        fix: 'correct the fields named; RCTab documents each option in config_file_documentation.txt',
      },
    );
  }
  return {
    contestName: contestName as string,
    contestDate:
      output.text('contestDate') ?? (typeof raw.outputSettings.contestDate === 'string' ? '' : null),
    contestJurisdiction:
      output.text('contestJurisdiction') ??
      (typeof raw.outputSettings.contestJurisdiction === 'string' ? '' : null),
    contestOffice:
      output.text('contestOffice') ?? (typeof raw.outputSettings.contestOffice === 'string' ? '' : null),
    tabulateByPrecinct: output.bool('tabulateByPrecinct'),
    tabulateByBatch: output.bool('tabulateByBatch'),
    sources,
    candidates,
    rules,
  };
}

/** Reads rule options alone (RCTab names and values), e.g. to count a .blt file; refuses naming the fields. */
export function parseRctabRules(raw: Record<string, unknown>, numDeclaredCandidates: number): RcvRules {
  const issues: FieldIssue[] = [];
  const rules = readRules(raw, numDeclaredCandidates, issues);
  if (issues.length > 0) {
    throw new DomainError(
      'invalid',
      `the counting rules are not valid: ${issues[0]?.field}: ${issues[0]?.message}`,
      {
        issues,
        fix: 'use the option names and values of RCTab configuration files (docs/guide/participation.md)',
      },
    );
  }
  return rules;
}
