// Escalation deadlines per holarchy depth, read once and kept until they are changed.
import { DEFAULT_DEADLINE_SECONDS, type Deadlines } from './alert';
import type { MonitorRepository, MonitorTx } from './monitor.repository';

/** Depth −1 in the table holds the default for depths without their own deadline. */
const DEFAULT_DEPTH = -1;

export class DeadlineBook {
  private cached: Deadlines | null = null;

  constructor(private readonly repo: MonitorRepository) {}

  /** Inside a transaction pass it, so PGlite's single connection is not asked twice. */
  async get(tx?: MonitorTx): Promise<Deadlines> {
    if (this.cached) return this.cached;
    const rows = await this.repo.deadlines(tx);
    const byDepth: Record<string, number> = {};
    let defaultSeconds = DEFAULT_DEADLINE_SECONDS;
    for (const r of rows) {
      if (r.depth === DEFAULT_DEPTH) defaultSeconds = r.seconds;
      else byDepth[String(r.depth)] = r.seconds;
    }
    this.cached = { defaultSeconds, byDepth };
    return this.cached;
  }

  async set(d: Deadlines): Promise<Deadlines> {
    await this.repo.setDeadlines([
      { depth: DEFAULT_DEPTH, seconds: d.defaultSeconds },
      ...Object.entries(d.byDepth).map(([depth, seconds]) => ({ depth: Number(depth), seconds })),
    ]);
    this.cached = null;
    return this.get();
  }
}
