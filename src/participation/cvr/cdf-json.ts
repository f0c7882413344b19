// Reads NIST SP 1500-103 Common Data Format cast-vote records (JSON) for one contest.
//
// As RCTab: the contest is found by its Name (the source's contestId); each CVR's current snapshot
// gives the selections; a rank is on the CVRContestSelection or on each SelectionPosition; positions
// without indication or not allocable are ignored; write-ins count as undeclared write-ins; a
// candidate named like the overvote label marks an overvote.

import { DomainError } from '../../core/errors';
import { OVERVOTE } from '../counting/ranked-ballots';
import type { CvrSourceConfig } from './rctab-config';
import type { ReadTarget } from './read-context';
import { parserFault } from '../../core/parse-error';

type Json = Record<string, unknown>;

function list(value: unknown): Json[] {
  return Array.isArray(value) ? (value.filter((v) => typeof v === 'object' && v !== null) as Json[]) : [];
}

function isTrue(value: unknown): boolean {
  return value === true || value === 'true';
}

function refuse(file: string, field: string, message: string): DomainError {
  return new DomainError('invalid', `${file}: ${field}: ${message}`, {
    issues: [{ field: `${file} ${field}`, message }],
    fix: 'give a NIST Common Data Format cast-vote record report in JSON, and the contest Name as contestId',
  });
}

function rankOf(value: unknown): number | undefined {
  const n = typeof value === 'string' ? Number(value) : value;
  return typeof n === 'number' && Number.isInteger(n) && n >= 1 && n <= 0xffff ? n : undefined;
}

/** Candidate names of the contest, in the file's order (used when the configuration lists none). */
export function cdfCandidateNames(text: string, file: string, contestName: string): string[] {
  const { candidates, selections } = cdfContest(parseJson(text, file), file, contestName);
  const names: string[] = [];
  for (const sel of selections.values()) {
    const ids = sel.CandidateIds;
    const first = Array.isArray(ids) ? (ids[0] as unknown) : undefined;
    const name = typeof first === 'string' ? candidates.get(first) : undefined;
    if (name !== undefined && !isTrue(sel.IsWriteIn) && !names.includes(name)) names.push(name);
  }
  return names;
}

function parseJson(text: string, file: string): Json {
  try {
    const json: unknown = JSON.parse(text);
    if (typeof json === 'object' && json !== null && !Array.isArray(json)) return json as Json;
  } catch (e) {
    throw refuse(file, '(file)', `not JSON (${parserFault(e)})`);
  }
  throw refuse(file, '(file)', 'not a JSON object');
}

function cdfContest(
  json: Json,
  file: string,
  contestName: string,
): { contestId: string; candidates: Map<string, string>; selections: Map<string, Json> } {
  const candidates = new Map<string, string>();
  let contest: Json | undefined;
  list(json.Election).forEach((election) => {
    for (const c of list(election.Candidate)) {
      if (typeof c['@id'] === 'string' && typeof c.Name === 'string') candidates.set(c['@id'], c.Name);
    }
    contest ??= list(election.Contest).find((x) => x.Name === contestName);
  });
  if (!contest)
    throw refuse(
      file,
      'Election[].Contest[].Name',
      `no contest named "${contestName}" (the source's contestId)`,
    );
  const selections = new Map<string, Json>();
  for (const s of list(contest.ContestSelection))
    if (typeof s['@id'] === 'string') selections.set(s['@id'], s);
  return { contestId: String(contest['@id']), candidates, selections };
}

/** Adds the ballots of one CDF JSON file for the source's contest. */
export function readCdfJson(text: string, file: string, source: CvrSourceConfig, target: ReadTarget): number {
  const json = parseJson(text, file);
  const { contestId, candidates, selections } = cdfContest(json, file, source.contestId ?? '');
  const { issues } = target;
  const units = new Map<string, string>();
  for (const u of list(json.GpUnit)) if (typeof u.Name === 'string') units.set(String(u['@id']), u.Name);
  let count = 0;
  list(json.CVR).forEach((cvr, i) => {
    const where = `${file} CVR[${i}]${typeof cvr.BallotPrePrintedId === 'string' ? ` (ballot ${cvr.BallotPrePrintedId})` : ''}`;
    const snapshot = list(cvr.CVRSnapshot).find((s) => s['@id'] === cvr.CurrentSnapshotId);
    if (!snapshot) {
      issues.add(`${where}.CurrentSnapshotId`, 'no CVRSnapshot has this @id');
      return;
    }
    const contest = list(snapshot.CVRContest).find((c) => c.ContestId === contestId);
    // A record without this contest holds no vote in it (RCTab's XML reader skips it too).
    if (!contest) return;
    const entries: [number, number][] = [];
    list(contest.CVRContestSelection).forEach((cs, j) => {
      const at = `${where}.CVRContestSelection[${j}]`;
      const selection = selections.get(String(cs.ContestSelectionId));
      if (!selection) {
        issues.add(
          `${at}.ContestSelectionId`,
          `"${String(cs.ContestSelectionId)}" is not a selection of the contest`,
        );
        return;
      }
      let choice: number | undefined;
      if (isTrue(selection.IsWriteIn)) choice = target.candidates.writeIn();
      else {
        const ids = selection.CandidateIds;
        const id = Array.isArray(ids) && typeof ids[0] === 'string' ? ids[0] : undefined;
        const name = id === undefined ? undefined : candidates.get(id);
        if (name === undefined) {
          issues.add(
            `${at}.ContestSelectionId`,
            `selection "${String(cs.ContestSelectionId)}" names no known Candidate`,
          );
          return;
        }
        if (name === source.overvoteLabel) choice = OVERVOTE;
        else if (name === source.undeclaredWriteInLabel) choice = target.candidates.writeIn();
        else choice = target.candidates.resolve(name);
        if (choice === undefined) {
          issues.add(at, `unknown candidate "${name}": not a candidate name or alias of the configuration`);
          return;
        }
      }
      if (cs.Rank !== undefined) {
        const rank = rankOf(cs.Rank);
        if (rank === undefined) issues.add(`${at}.Rank`, `"${String(cs.Rank)}" is not a rank from 1`);
        else entries.push([rank, choice]);
        return;
      }
      let positionChoice = choice;
      list(cs.SelectionPosition).forEach((pos, k) => {
        // As RCTab: a write-in position makes this and the following positions write-ins.
        if (pos.CVRWriteIn !== undefined) positionChoice = target.candidates.writeIn();
        if (pos.HasIndication === 'no' || pos.IsAllocable === 'no') return;
        const rank = rankOf(pos.Rank);
        if (rank === undefined)
          issues.add(`${at}.SelectionPosition[${k}].Rank`, `"${String(pos.Rank)}" is not a rank from 1`);
        else entries.push([rank, positionChoice]);
      });
    });
    const precinct = units.get(String(cvr.BallotStyleUnitId));
    target.add(entries, precinct === undefined ? {} : { precinct });
    count++;
  });
  return count;
}
