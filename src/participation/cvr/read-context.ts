// What every cast-vote reader shares: candidate names to indices, and problems located by file, row and column.

import { DomainError, type FieldIssue } from '../../core/errors';
import type { RankedBallotsBuilder } from '../counting/ranked-ballots';
import type { ConfigCandidate } from './rctab-config';

const MAX_ISSUES = 20;

/** Collects located problems; a reader stops adding after twenty and the load then refuses them all. */
export class ReadIssues {
  readonly list: FieldIssue[] = [];
  private dropped = 0;

  add(field: string, message: string): void {
    if (this.list.length < MAX_ISSUES) this.list.push({ field, message });
    else this.dropped++;
  }

  throwIfAny(what: string, fix: string): void {
    const first = this.list[0];
    if (!first) return;
    const more = this.list.length - 1 + this.dropped;
    throw new DomainError(
      'invalid',
      `${what}: ${first.field}: ${first.message}${more > 0 ? ` (and ${more} more problem${more > 1 ? 's' : ''})` : ''}`,
      { issues: this.list, fix },
    );
  }
}

/** Names and aliases of the configured candidates, and the undeclared write-in pseudo-candidate. */
export class CandidateIndex {
  private readonly byName = new Map<string, number>();
  private writeInUsed = false;

  constructor(readonly candidates: readonly ConfigCandidate[]) {
    candidates.forEach((c, i) => this.byName.set(c.name, i));
    candidates.forEach((c, i) => {
      for (const alias of c.aliases) if (!this.byName.has(alias)) this.byName.set(alias, i);
    });
  }

  /** Index of a candidate written in a record (name or alias, exactly); undefined if unknown. */
  resolve(name: string): number | undefined {
    return this.byName.get(name);
  }

  /** Index of "Undeclared Write-ins": after the declared candidates. */
  writeIn(): number {
    this.writeInUsed = true;
    return this.candidates.length;
  }

  get usesWriteIns(): boolean {
    return this.writeInUsed;
  }
}

export interface ReadTarget {
  candidates: CandidateIndex;
  ballots: RankedBallotsBuilder;
  issues: ReadIssues;
  /** Ranks read from spreadsheet columns (RCTab reads no column beyond it). */
  maxRankings: number;
  /** Whether any record names a precinct or a batch (RCTab's tabulate-by options need them). */
  slices: { precinct: boolean; batch: boolean };
}

/** "row 12, column C" for a 1-based row and column. */
export function cellName(row: number, column: number): string {
  let letters = '';
  for (let c = column; c > 0; c = Math.floor((c - 1) / 26))
    letters = String.fromCharCode(65 + ((c - 1) % 26)) + letters;
  return `row ${row}, column ${letters}`;
}
