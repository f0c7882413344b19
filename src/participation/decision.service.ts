// Decisions as records other capabilities read: by unit, by kind, by assembly.
import { notFound } from '../core/errors';
import type { Decision } from './decision';
import type { DecisionRepository } from './decision.repository';

export class DecisionService {
  constructor(private readonly repo: DecisionRepository) {}

  async get(id: string): Promise<Decision> {
    const d = await this.repo.byId(id);
    if (!d) throw notFound('decision', id);
    return d;
  }

  unitOf(id: string): Promise<string | null> {
    return this.repo.unitOf(id);
  }

  /** The hook for other capabilities (a plan approval, a rule change): they filter by kind and unit. */
  list(f: Parameters<DecisionRepository['list']>[0]): Promise<Decision[]> {
    return this.repo.list(f);
  }

  byVote(voteId: string): Promise<Decision | null> {
    return this.repo.byVote(voteId);
  }
}
