// Pabulib .pb files (docs/formats/pabulib.md) in and out: text in, a participatory budget out, and back.
// Every column is kept as text in its order, so a file read and written again is the same file.
import { DomainError } from '../../core/errors';
import type { PbBallot, PbInstance } from '../counting/pb-rules';

export interface PbTable {
  columns: string[];
  rows: Record<string, string>[];
}

export interface PbFile {
  /** META as key;value lines, in file order. */
  meta: [string, string][];
  projects: PbTable;
  votes: PbTable;
}

export const PB_VOTE_TYPES = ['approval', 'cumulative', 'scoring', 'ordinal'] as const;
export type PbVoteType = (typeof PB_VOTE_TYPES)[number];

function bad(line: number, message: string, fix = 'see docs/formats/pabulib.md'): DomainError {
  return new DomainError('invalid', `content: line ${line}: ${message}`, {
    issues: [{ field: 'content', message: `line ${line}: ${message}` }],
    fix,
  });
}

/** One line split at semicolons; a field in double quotes may hold semicolons, and "" is one quote. */
function splitLine(text: string, line: number): string[] {
  const out: string[] = [];
  let i = 0;
  for (;;) {
    if (text[i] === '"') {
      let value = '';
      i++;
      for (;;) {
        if (i >= text.length) throw bad(line, 'a quoted field is not closed');
        if (text[i] === '"') {
          if (text[i + 1] === '"') {
            value += '"';
            i += 2;
            continue;
          }
          i++;
          break;
        }
        value += text[i++];
      }
      out.push(value);
      if (i >= text.length) return out;
      if (text[i] !== ';') throw bad(line, 'a quoted field must be followed by ";"');
      i++;
    } else {
      const end = text.indexOf(';', i);
      if (end < 0) {
        out.push(text.slice(i));
        return out;
      }
      out.push(text.slice(i, end));
      i = end + 1;
    }
  }
}

function joinLine(fields: string[]): string {
  return fields.map((f) => (/[;"\n\r]/.test(f) ? `"${f.replace(/"/g, '""')}"` : f)).join(';');
}

export function readPabulib(text: string): PbFile {
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  let section: 'none' | 'META' | 'PROJECTS' | 'VOTES' = 'none';
  const meta: [string, string][] = [];
  const tables: Record<'PROJECTS' | 'VOTES', PbTable | null> = { PROJECTS: null, VOTES: null };
  let header = false;
  lines.forEach((raw, k) => {
    const line = k + 1;
    const trimmed = raw.trim();
    if (trimmed === '') return;
    if (trimmed === 'META' || trimmed === 'PROJECTS' || trimmed === 'VOTES') {
      section = trimmed;
      header = true;
      return;
    }
    if (section === 'none') throw bad(line, 'the file must start with META');
    const fields = splitLine(raw, line);
    if (section === 'META') {
      if (header) {
        header = false;
        if (fields[0] === 'key' && fields[1] === 'value') return;
        throw bad(line, 'META must start with the header "key;value"');
      }
      if (fields.length < 2) throw bad(line, 'a META line is key;value');
      meta.push([fields[0]!, fields.slice(1).join(';')]);
      return;
    }
    if (header) {
      header = false;
      tables[section] = { columns: fields, rows: [] };
      return;
    }
    const table = tables[section]!;
    if (fields.length !== table.columns.length)
      throw bad(line, `${fields.length} fields where the ${section} header has ${table.columns.length}`);
    table.rows.push(Object.fromEntries(table.columns.map((c, i) => [c, fields[i]!])));
  });
  const projects = tables.PROJECTS;
  const votes = tables.VOTES;
  if (!projects) throw bad(lines.length, 'no PROJECTS section');
  if (!votes) throw bad(lines.length, 'no VOTES section');
  for (const [name, t, key] of [
    ['PROJECTS', projects, 'project_id'],
    ['VOTES', votes, 'voter_id'],
  ] as const) {
    if (!t.columns.includes(key)) throw bad(1, `the ${name} header has no ${key} column`);
  }
  if (!projects.columns.includes('cost')) throw bad(1, 'the PROJECTS header has no cost column');
  if (!votes.columns.includes('vote')) throw bad(1, 'the VOTES header has no vote column');
  return { meta, projects, votes };
}

export function writePabulib(file: PbFile): string {
  const out = ['META', 'key;value', ...file.meta.map(([k, v]) => joinLine([k, v]))];
  for (const [name, t] of [
    ['PROJECTS', file.projects],
    ['VOTES', file.votes],
  ] as const) {
    out.push(name, joinLine(t.columns));
    for (const row of t.rows) out.push(joinLine(t.columns.map((c) => row[c] ?? '')));
  }
  return `${out.join('\n')}\n`;
}

export function metaValue(file: PbFile, key: string): string | undefined {
  return file.meta.find(([k]) => k === key)?.[1];
}

/**
 * The budget, projects and ballots as the rules count them: approval marks count 1, cumulative and scoring
 * ballots their points, ordinal ballots Borda points (the first of at most L ranks gets L, the next L − 1, …,
 * with L the file's max_length, or the number of projects).
 */
export function pabulibInstance(file: PbFile): PbInstance & { voteType: PbVoteType } {
  const type = metaValue(file, 'vote_type') ?? 'approval';
  if (!(PB_VOTE_TYPES as readonly string[]).includes(type))
    throw bad(1, `vote_type "${type}" is not one of ${PB_VOTE_TYPES.join(', ')}`);
  const voteType = type as PbVoteType;
  const budget = Number(metaValue(file, 'budget'));
  if (!(Number.isFinite(budget) && budget >= 0)) throw bad(1, 'META budget must be a non-negative number');
  const projects = file.projects.rows.map((r, i) => {
    const cost = Number(r.cost);
    if (!(Number.isFinite(cost) && cost >= 0))
      throw bad(1, `project ${i + 1} ("${r.project_id}") has cost "${r.cost}"`, 'give costs as numbers');
    return { id: r.project_id!, cost };
  });
  const ids = new Set(projects.map((p) => p.id));
  const maxLength = Number(metaValue(file, 'max_length') ?? projects.length);
  const ballots: PbBallot[] = file.votes.rows.map((r, v) => {
    const marked = (r.vote ?? '').split(',').filter((x) => x !== '');
    const points = (r.points ?? '').split(',').filter((x) => x !== '');
    const b: PbBallot = {};
    marked.forEach((id, k) => {
      if (!ids.has(id))
        throw bad(1, `voter ${r.voter_id} (vote ${v + 1}) names project "${id}", which is not in PROJECTS`);
      const u =
        voteType === 'approval'
          ? 1
          : voteType === 'ordinal'
            ? Math.max(1, maxLength - k)
            : Number(points[k] ?? Number.NaN);
      if (!(Number.isFinite(u) && u >= 0))
        throw bad(
          1,
          `voter ${r.voter_id} gives project "${id}" no valid points`,
          'give one point value per project',
        );
      if (u > 0) b[id] = (b[id] ?? 0) + u;
    });
    return b;
  });
  return { budget, projects, ballots, voteType };
}
