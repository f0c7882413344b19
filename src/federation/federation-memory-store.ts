// The FederationStore over memory: for the benchmark, which runs two hundred regional nodes in one process with
// the real consumer and aggregation code but without two hundred databases. Every child is taken to hang
// under the node's top unit (`underPath` is not consulted) and alerts and targets are kept minimally.
import { mergeRemoteAlert } from './alert-status';
import type {
  ChildNode,
  FederationQuarantineEntry,
  FederationStore,
  OutboxRow,
  PartialRow,
  ReceivedRound,
  RemoteAlert,
  StoredTarget,
  TargetAck,
} from './federation-store';
import type { FederationQuarantineReason } from './messages';

export class MemoryFederationStore implements FederationStore {
  private readonly childMap = new Map<string, ChildNode>();
  readonly partialMap = new Map<string, PartialRow>();
  private readonly childCodes = new Map<string, string>();
  private readonly alertMap = new Map<string, RemoteAlert>();
  private readonly targetMap = new Map<string, { rev: number; targets: StoredTarget[] }>();
  private readonly roundMap = new Map<string, ReceivedRound>();
  private readonly ackMap = new Map<string, TargetAck>();
  private readonly box: (OutboxRow & { sent: boolean })[] = [];
  private readonly msgIds = new Set<string>();
  private readonly held: FederationQuarantineEntry[] = [];
  private nextId = 1;

  transaction<T>(fn: (tx: FederationStore) => Promise<T>): Promise<T> {
    return fn(this);
  }
  async addChild(nodeId: string, unitId: string, at: Date) {
    this.childMap.set(nodeId, { nodeId, unitId, addedAt: at, lastHeardAt: null });
  }
  async children() {
    return [...this.childMap.values()];
  }
  async touchChild(nodeId: string, at: Date) {
    const c = this.childMap.get(nodeId);
    if (c) c.lastHeardAt = at;
  }
  async upsertPartials(rows: PartialRow[]) {
    let changed = 0;
    for (const r of rows) {
      const key = `${r.childNode}\u0000${r.code}\u0000${r.bucket.getTime()}`;
      const had = this.partialMap.get(key);
      if (had && had.rev >= r.rev) continue;
      this.partialMap.set(key, r);
      changed++;
    }
    return changed;
  }
  async partials(o: { from: Date; to?: Date; code?: string }) {
    return [...this.partialMap.values()].filter(
      (r) =>
        r.bucket >= o.from &&
        (o.to === undefined || r.bucket <= o.to) &&
        (o.code === undefined || r.code === o.code),
    );
  }
  async setChildUnits(childNode: string, codes: string[]) {
    for (const [c, n] of this.childCodes) if (n === childNode) this.childCodes.delete(c);
    for (const c of codes) this.childCodes.set(c, childNode);
  }
  async childUnitCodes() {
    return new Map(this.childCodes);
  }
  async upsertAlert(a: RemoteAlert) {
    // As the database's upsert: a newer revision's facts, a state only forward, what this node did kept.
    const merged = mergeRemoteAlert(this.alertMap.get(a.originAlertId) ?? null, a);
    if (merged === null) return false;
    this.alertMap.set(a.originAlertId, merged);
    return true;
  }
  async alerts(o: { limit: number }) {
    return [...this.alertMap.values()].slice(0, o.limit);
  }
  async remoteAlert(id: string) {
    return this.alertMap.get(id) ?? null;
  }
  async acknowledgeRemoteAlert(id: string, by: string, at: Date) {
    const a = this.alertMap.get(id);
    if (!a || a.status !== 'open') return false;
    this.alertMap.set(id, { ...a, status: 'acknowledged', statusBy: by, statusAt: at, forwardDueAt: null });
    return true;
  }
  async dueAlerts(now: Date) {
    return [...this.alertMap.values()].filter(
      (a) =>
        (a.status === 'open' && a.forwardedAt === null && a.forwardDueAt !== null && a.forwardDueAt <= now) ||
        (a.forwardedRev !== null && a.rev > a.forwardedRev),
    );
  }
  private readonly alertStates = new Set<string>();
  async queuedAlertStates(keys: { alertId: string; status: string }[]) {
    return new Set(keys.map((k) => `${k.alertId} ${k.status}`).filter((k) => this.alertStates.has(k)));
  }
  async markAlertStateQueued(alertId: string, status: string) {
    this.alertStates.add(`${alertId} ${status}`);
  }
  private readonly alertFacts = new Map<string, { facts: string; sentAt: Date }>();
  async sentAlertFacts(alertIds: string[]) {
    return new Map(
      alertIds.flatMap((id) => {
        const f = this.alertFacts.get(id);
        return f ? [[id, f] as const] : [];
      }),
    );
  }
  async markAlertFactsSent(alertId: string, facts: string, at: Date) {
    this.alertFacts.set(alertId, { facts, sentAt: at });
  }
  async claimAlertFacts(alertId: string, facts: string, at: Date, notAfter: Date) {
    const had = this.alertFacts.get(alertId);
    if (had && (had.facts === facts || had.sentAt > notAfter)) return false;
    this.alertFacts.set(alertId, { facts, sentAt: at });
    return true;
  }
  async markAlertForwarded(id: string, at: Date, rev: number) {
    const a = this.alertMap.get(id);
    if (a && (a.forwardedRev === null || a.forwardedRev < rev)) {
      a.forwardedAt = at;
      a.forwardedRev = rev;
    }
  }
  async replaceTargets(planId: string, rev: number, targets: StoredTarget[]) {
    const had = this.targetMap.get(planId);
    if (had && had.rev >= rev) return false;
    this.targetMap.set(planId, { rev, targets });
    return true;
  }
  async targetsOf(codes: string[]) {
    const set = new Set(codes);
    return [...this.targetMap.values()].flatMap((p) => p.targets.filter((t) => set.has(t.unit)));
  }
  async putRound(r: ReceivedRound) {
    const had = this.roundMap.get(r.roundsId);
    if (had && had.rev >= r.rev) return false;
    this.roundMap.set(r.roundsId, r);
    return true;
  }
  async round(roundsId: string) {
    return this.roundMap.get(roundsId) ?? null;
  }
  async rounds() {
    return [...this.roundMap.values()];
  }
  async recordAck(a: TargetAck) {
    this.ackMap.set(`${a.planId}\u0000${a.childNode}`, a);
  }
  async acks() {
    return [...this.ackMap.values()];
  }
  async enqueue(rows: { subject: string; msgId: string; body: string }[]) {
    for (const r of rows) {
      if (this.msgIds.has(r.msgId)) continue;
      this.msgIds.add(r.msgId);
      this.box.push({ id: this.nextId++, ...r, sent: false });
    }
  }
  async unsent(limit: number) {
    return this.box.filter((r) => !r.sent).slice(0, limit);
  }
  async markSent(ids: number[]) {
    const set = new Set(ids);
    for (const r of this.box) if (set.has(r.id)) r.sent = true;
    // Keep only what is unsent (the database deletes sent rows too).
    const keep = this.box.filter((r) => !r.sent);
    this.box.length = 0;
    this.box.push(...keep);
  }
  async pendingCount() {
    return this.box.filter((r) => !r.sent).length;
  }
  async quarantine(e: Omit<FederationQuarantineEntry, 'id'>) {
    this.held.push({ id: this.held.length + 1, ...e });
  }
  async quarantined(limit: number, reason?: FederationQuarantineReason) {
    return this.held.filter((e) => reason === undefined || e.reason === reason).slice(-limit);
  }
}
