// The .blt ballot format of OpenSTV and other STV programs, read and written.
//
//   4 2              candidates, seats
//   -3               optional: withdrawn candidates, negated
//   3 1 2 0          weight, preferences (candidate numbers from 1), 0
//   1 2 1=3 - 4 0    extensions: "a=b" ranks two candidates equally, "-" skips a rank
//   0                end of ballots
//   "Alice"          one name per candidate
//   "Bob" ...
//   "Title"
// Lines may end with a comment after "#". An optional "(id)" before a weight is ignored.

import { DomainError } from '../../core/errors';
import { OVERVOTE, RankedBallotsBuilder, plainRanking, type RankedBallots } from '../counting/ranked-ballots';

export interface BltElection {
  title: string;
  candidates: string[];
  seats: number;
  /** Indices (from 0) of withdrawn candidates. */
  withdrawn: number[];
  ballots: RankedBallots;
}

function refuse(
  line: number,
  message: string,
  fix = 'see docs/formats/ballots.md for the .blt layout',
): DomainError {
  return new DomainError('invalid', `.blt line ${line}: ${message}`, {
    issues: [{ field: `line ${line}`, message }],
    fix,
  });
}

function positiveInt(token: string): number | undefined {
  return /^\d+$/.test(token) ? Number(token) : undefined;
}

/** Reads a .blt file; every refusal names the line. */
export function readBlt(text: string): BltElection {
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  let n = 0;
  const next = (): { tokens: string[]; line: number; raw: string } | undefined => {
    while (n < lines.length) {
      const raw = (lines[n] as string).replace(/#.*$/, '').trim();
      n++;
      if (raw !== '') return { tokens: raw.split(/\s+/), line: n, raw };
    }
    return undefined;
  };
  const head = next();
  if (!head) throw refuse(1, 'the file is empty');
  const numCandidates = positiveInt(head.tokens[0] ?? '');
  const seats = positiveInt(head.tokens[1] ?? '');
  if (
    numCandidates === undefined ||
    numCandidates < 1 ||
    seats === undefined ||
    seats < 1 ||
    head.tokens.length !== 2
  ) {
    throw refuse(head.line, 'the first line must be "<number of candidates> <number of seats>"');
  }
  if (seats > numCandidates) throw refuse(head.line, `${seats} seats for ${numCandidates} candidates`);
  const withdrawn: number[] = [];
  const builder = new RankedBallotsBuilder();
  const candidate = (token: string, line: number): number => {
    const c = positiveInt(token);
    if (c === undefined || c < 1 || c > numCandidates) {
      throw refuse(line, `"${token}" is not a candidate number from 1 to ${numCandidates}`);
    }
    return c - 1;
  };
  let ended = false;
  for (let row = next(); row; row = next()) {
    let tokens = row.tokens;
    if (tokens[0]?.startsWith('(')) tokens = tokens.slice(1);
    if (tokens.every((t) => t.startsWith('-') && t.length > 1)) {
      for (const t of tokens) withdrawn.push(candidate(t.slice(1), row.line));
      continue;
    }
    if (tokens.length === 1 && tokens[0] === '0') {
      ended = true;
      break;
    }
    const weight = positiveInt(tokens[0] ?? '');
    if (weight === undefined || weight < 1)
      throw refuse(row.line, `"${tokens[0]}" is not a ballot weight (a whole number from 1)`);
    if (tokens[tokens.length - 1] !== '0') throw refuse(row.line, 'a ballot line must end with 0');
    // A candidate ranked twice is kept: the counting rules say what a repeated rank does.
    const entries: [number, number][] = [];
    tokens.slice(1, -1).forEach((token, i) => {
      if (token === '-') return;
      for (const part of token.split('=')) entries.push([i + 1, candidate(part, row.line)]);
    });
    builder.add(entries, weight);
  }
  if (!ended) throw refuse(lines.length, 'no "0" line ends the ballots');
  const names: string[] = [];
  let title = '';
  for (let row = next(); row; row = next()) {
    const m = /^"(.*)"$/.exec(row.raw);
    if (!m) throw refuse(row.line, 'expected a quoted name');
    if (names.length < numCandidates) names.push(m[1] as string);
    else if (title === '') title = m[1] as string;
    else throw refuse(row.line, 'text after the title');
  }
  if (names.length < numCandidates) {
    throw refuse(
      lines.length,
      `${names.length} names for ${numCandidates} candidates`,
      'give one quoted name per candidate, then the title',
    );
  }
  return { title, candidates: names, seats, withdrawn, ballots: builder.build() };
}

function quote(text: string): string {
  if (/["\r\n]/.test(text)) {
    throw new DomainError('invalid', `"${text}" cannot be written in a .blt file (quote or line break)`, {
      fix: 'rename the candidate or the title',
    });
  }
  return `"${text}"`;
}

/**
 * Writes ballots as .blt, merging identical ballots into one weighted line (in order of first appearance).
 * A rank marked only "overvote" cannot be written: .blt names the candidates of a tie.
 */
export function writeBlt(election: BltElection): string {
  const { ballots, candidates } = election;
  const lines = new Map<string, number>();
  for (let b = 0; b < ballots.size; b++) {
    const ranking = plainRanking(ballots, b);
    let last = ranking.length;
    while (last > 0 && (ranking[last - 1] as number[]).length === 0) last--;
    const tokens = ranking.slice(0, last).map((atRank) => {
      if (atRank.includes(OVERVOTE)) {
        throw new DomainError(
          'invalid',
          `ballot ${b + 1} has a rank marked "overvote" without its candidates`,
          {
            issues: [{ field: `ballot ${b + 1}`, message: 'an unnamed overvote cannot be written in .blt' }],
            fix: 'count this contest from its RCTab configuration instead (ogas vote tabulate --rctab)',
          },
        );
      }
      return atRank.length === 0 ? '-' : atRank.map((c) => String(c + 1)).join('=');
    });
    const key = tokens.join(' ');
    lines.set(key, (lines.get(key) ?? 0) + (ballots.counts ? (ballots.counts[b] as number) : 1));
  }
  const out = [`${candidates.length} ${election.seats}`];
  if (election.withdrawn.length > 0) out.push(election.withdrawn.map((c) => `-${c + 1}`).join(' '));
  for (const [key, weight] of lines) out.push(`${weight} ${key === '' ? '' : `${key} `}0`);
  out.push('0');
  for (const name of candidates) out.push(quote(name));
  out.push(quote(election.title));
  return `${out.join('\n')}\n`;
}
