// The two deadlines of a proposal per holarchy depth (acknowledge, decide), read once and kept until changed.
import { deadlineSeconds, type Deadlines } from '../cyberstride/alert';
import { DEADLINE_PHASES, DEFAULT_PHASE_SECONDS, type DeadlinePhase } from './proposal';
import type { ProposalRepository, ProposalTx } from './proposal.repository';

/** Depth −1 holds the default for depths without their own deadline (as the alerts' book does). */
const DEFAULT_DEPTH = -1;

export type PhaseDeadlines = Record<DeadlinePhase, Deadlines>;

export class ProposalDeadlineBook {
  private cached: PhaseDeadlines | null = null;

  constructor(private readonly repo: ProposalRepository) {}

  async get(tx?: ProposalTx): Promise<PhaseDeadlines> {
    if (this.cached) return this.cached;
    const rows = await this.repo.deadlines(tx);
    const book = Object.fromEntries(
      DEADLINE_PHASES.map((phase) => {
        const mine = rows.filter((r) => r.phase === phase);
        const byDepth: Record<string, number> = {};
        let defaultSeconds = DEFAULT_PHASE_SECONDS[phase];
        for (const r of mine) {
          if (r.depth === DEFAULT_DEPTH) defaultSeconds = r.seconds;
          else byDepth[String(r.depth)] = r.seconds;
        }
        return [phase, { defaultSeconds, byDepth }];
      }),
    ) as PhaseDeadlines;
    this.cached = book;
    return book;
  }

  async set(d: PhaseDeadlines): Promise<PhaseDeadlines> {
    await this.repo.setDeadlines(
      DEADLINE_PHASES.flatMap((phase) => [
        { phase, depth: DEFAULT_DEPTH, seconds: d[phase].defaultSeconds },
        ...Object.entries(d[phase].byDepth).map(([depth, seconds]) => ({
          phase,
          depth: Number(depth),
          seconds,
        })),
      ]),
    );
    this.cached = null;
    return this.get();
  }
}

/** When the deadline of `phase` at `depth` falls, counted from `from`. */
export function dueAt(book: PhaseDeadlines, phase: DeadlinePhase, depth: number, from: Date): Date {
  return new Date(from.getTime() + deadlineSeconds(book[phase], depth) * 1000);
}
