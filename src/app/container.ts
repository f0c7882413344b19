// The composition root: builds every repository and service over one store.
import { AuditRepository } from '../audit/audit.repository';
import { systemClock, type Clock } from '../core/clock';
import type { ComputeService } from '../core/heavy';
import type { Services } from '../core/services';
import { CybernetRepository } from '../cybernet/cybernet.repository';
import { CybernetService } from '../cybernet/cybernet.service';
import { IngestService, type DetectionMode } from '../cybernet/ingest.service';
import { DetectionBacklogRepository } from '../cybernet/detection-backlog.repository';
import { DetectionRunner, type DetectionRunnerOptions } from '../cybernet/detection-runner';
import { createLogger } from '../core/logger';
import type { ReadingsWrite } from '../cybernet/cybernet.repository';
import { AlertService } from '../cyberstride/alert.service';
import { DeadlineBook } from '../cyberstride/deadline-book';
import { MonitorRepository } from '../cyberstride/monitor.repository';
import { MonitorService, type MonitorOptions } from '../cyberstride/monitor.service';
import { PlanShortfallRepository } from '../cyberstride/plan-shortfall.repository';
import { PlanShortfallService } from '../cyberstride/plan-shortfall.service';
import { NotificationBus } from '../cyberstride/notifications';
import { ReadingsBus } from '../cybernet/readings-bus';
import { EconomyRepository } from '../economy/economy.repository';
import type { ProposalPublisher } from '../improvements/proposal-publisher';
import { ProposalDeadlineBook } from '../improvements/proposal-deadlines';
import { ProposalRepository } from '../improvements/proposal.repository';
import { ProposalService } from '../improvements/proposal.service';
import { planSummary } from '../improvements/plan-summary';
import { EconomyService } from '../economy/economy.service';
import type { ImportResult } from '../economy/import/import-result';
import { AuthService } from '../holarchy/auth.service';
import { CredentialsRepository } from '../holarchy/credentials.repository';
import { FederationRepository } from '../federation/federation.repository';
import { FederationService } from '../federation/federation.service';
import { HolarchyRepository } from '../holarchy/holarchy.repository';
import { HolarchyService } from '../holarchy/holarchy.service';
import { PeopleRepository } from '../holarchy/people.repository';
import { PlanRepository } from '../planning/plan.repository';
import type { SolvedPlan } from '../planning/plan-solve-task';
import { PlanService } from '../planning/plan.service';
import type { CloseRoundOutput } from '../planning/rounds/round-close';
import { RoundsRepository } from '../planning/rounds/rounds.repository';
import { RoundsService } from '../planning/rounds/rounds.service';
import { AssemblyRepository } from '../participation/assembly.repository';
import { AssemblyService } from '../participation/assembly.service';
import { DecisionRepository } from '../participation/decision.repository';
import { DecisionService } from '../participation/decision.service';
import { ElectorateRepository } from '../participation/electorate.repository';
import { QuestionRepository } from '../participation/question.repository';
import { QuestionService } from '../participation/question.service';
import { countVote } from '../participation/tally';
import { VoteRepository } from '../participation/vote.repository';
import { VoteService } from '../participation/vote.service';
import { BlobStore, maxFileBytes } from '../library/blob-store';
import type { ExtractOutput } from '../library/extract-text';
import { LibraryRepository } from '../library/library.repository';
import { LibraryService } from '../library/library.service';
import { libraryPublisher } from './proposal-library';
import { BudgetRepository } from '../participation/budget.repository';
import { BudgetService } from '../participation/budget.service';
import type { Store } from '../store/connect';
import { buildCompute } from './compute';
import { RunRegistry } from './runs';

export interface App {
  store: Store;
  services: Services;
  clock: Clock;
  close(): Promise<void>;
}

export interface BuildOptions {
  /** The compute pool (default: built from the environment, see src/app/compute.ts). */
  compute?: ComputeService;
  /** Where adopted proposals are published (default: the request is recorded, awaiting the library). */
  publisher?: ProposalPublisher;
  /** How ingestion writes readings (default 'copy'; tests compare it with the 'insert' reference). */
  readingsWrite?: ReadingsWrite;
  /**
   * When the detectors run: 'inline' in the ingest transaction, or 'deferred' after commit from the durable
   * backlog (default from OGAS_DETECTION, else 'inline'; see DetectionRunner).
   */
  detection?: DetectionMode;
  /** The deferred runner's round size and whether ingest wakes it (tests stop it half way). */
  detectionRunner?: Pick<
    DetectionRunnerOptions,
    'rowsPerRound' | 'autoRun' | 'profile' | 'poolScope' | 'groupReadings' | 'pipeline'
  >;
  /** Detector workers and from how many readings a batch uses them (default: see MonitorOptions). */
  detectors?: Pick<MonitorOptions, 'detectorWorkers' | 'poolMinReadings'>;
}

export function buildApp(store: Store, clock: Clock = systemClock, options: BuildOptions = {}): App {
  const compute = options.compute ?? buildCompute();
  const holarchy = new HolarchyService(new HolarchyRepository(store.db), clock);
  const audit = new AuditRepository(store.db);
  const auth = new AuthService(new PeopleRepository(store.db), clock, {
    credentials: new CredentialsRepository(store.db),
    audit: (entry) => audit.record(entry),
  });
  // Parsing a large table is CPU work: it runs in the pool, and the economy service only stores the result.
  const economy = new EconomyService(new EconomyRepository(store.db), (content, parse) =>
    compute.run<ImportResult>('economy.parse', { content, options: parse }),
  );
  holarchy.registerUnitLookup('economy', (id) => economy.unitOf(id));
  holarchy.registerUnitLookup('machine-token', (id) => auth.machineTokenUnit(id));
  // Someone with no role, or no account at all, is the root's to look after: asking about an unknown email
  // is then refused like any other unless the caller admins the root (no account enumeration).
  holarchy.registerUnitLookup('person', async (email) => (await auth.homeUnitOf(email)) ?? holarchy.rootId());
  const planning = new PlanService(
    new PlanRepository(store.db),
    economy,
    clock,
    (input, hooks) =>
      compute.run<SolvedPlan>('planning.solve', input, {
        ...(hooks.signal ? { signal: hooks.signal } : {}),
        ...(hooks.onProgress ? { onProgress: hooks.onProgress } : {}),
      }),
    holarchy,
  );
  holarchy.registerUnitLookup('plan', async (id) => {
    const economyId = await planning.economyOfPlan(id);
    return economyId === null ? null : economy.unitOf(economyId);
  });
  const rounds = new RoundsService(new RoundsRepository(store.db), economy, clock, (input, signal) =>
    compute.run<CloseRoundOutput>('planning.rounds.close', input, signal ? { signal } : {}),
  );
  holarchy.registerUnitLookup('planning-rounds', async (id) => {
    const economyId = await rounds.economyOfRounds(id);
    return economyId === null ? null : economy.unitOf(economyId);
  });
  holarchy.registerUnitLookup('unit-code', async (code) => (await holarchy.byCode(code))?.id ?? null);
  const notifications = new NotificationBus();
  const monitorRepo = new MonitorRepository(store.db);
  const deadlines = new DeadlineBook(monitorRepo);
  const shortfallRepo = new PlanShortfallRepository(store.db);
  // A reading's plan-shortfall check is queued in the ingest transaction; the sweep judges it after.
  const monitor = new MonitorService(monitorRepo, deadlines, notifications, clock, {
    ...options.detectors,
    onObserved: (tx, ids, at) => shortfallRepo.queue(tx, ids, at, 'reading'),
  });
  const alerts = new AlertService(monitorRepo, deadlines, notifications, clock);
  const shortfalls: PlanShortfallService = new PlanShortfallService(
    shortfallRepo,
    monitorRepo,
    deadlines,
    notifications,
    {
      inForce: async (unitId) => {
        const a = await planning.adoptedPlanFor(unitId);
        return a
          ? {
              planId: a.plan.id,
              planName: a.plan.name,
              adoptedOn: a.adoptedOn,
              startsAt: a.adoption.adoptedAt,
            }
          : null;
      },
      // Declared below: called only by a sweep, after the container is built.
      received: async (unitCode) => {
        const r = await federation.receivedPlanFor([unitCode]);
        if (!r) return null;
        return {
          plan: {
            planId: r.planId,
            planName: r.planName ?? `targets received from node '${r.fromNode}'`,
            adoptedOn: null,
            receivedFrom: r.fromNode,
            startsAt: r.receivedAt,
          },
          terms: {
            targets: r.targets,
            productUnits: new Map(
              r.targets.flatMap((t) => (t.productUnit === null ? [] : [[t.product, t.productUnit] as const])),
            ),
            provenance: [],
          },
        };
      },
      terms: async (planId) => {
        const plan = await planning.get(planId);
        const model = await economy.model(plan.economyId);
        return {
          targets: plan.record.unitTargets,
          productUnits: new Map(model.products.map((p) => [p.code, p.unit])),
          provenance: (plan.provenance?.targets ?? []).map((t) => ({
            product: t.product,
            period: t.period,
            budgetId: t.budgetId,
            budgetName: t.budgetName,
            voteId: t.voteId,
          })),
        };
      },
    },
    clock,
  );
  // Adopting a plan queues the adopting unit's indicators in the adoption's own transaction.
  planning.onAdoption((tx, unitId) => shortfalls.queueSubtree(tx, unitId, 'plan adopted'));
  const cybernetRepo = new CybernetRepository(store.db);
  const cybernet = new CybernetService(cybernetRepo, holarchy, monitor, clock);
  const readingsBus = new ReadingsBus();
  const detectionMode: DetectionMode =
    options.detection ?? (process.env.OGAS_DETECTION === 'deferred' ? 'deferred' : 'inline');
  const backlog = new DetectionBacklogRepository(store.db);
  const detection =
    detectionMode === 'deferred'
      ? new DetectionRunner(cybernetRepo, backlog, monitor, clock, {
          ...(process.env.OGAS_DETECTION_POOL === 'every' ? { poolScope: 'every' as const } : {}),
          // A lever, off by default: the round's forecasts COPYed group by group while the next is detected.
          ...(Number(process.env.OGAS_DETECTION_GROUP_READINGS) > 0
            ? { groupReadings: Number(process.env.OGAS_DETECTION_GROUP_READINGS) }
            : {}),
          // A lever, off by default: the next round detected on the workers while this one is written.
          ...(process.env.OGAS_DETECTION_PIPELINE === '1' ? { pipeline: true } : {}),
          ...options.detectionRunner,
          // Through the one logger, whose error serializer drops what a PostgreSQL error quotes (parameters).
          onError: (message, error) => createLogger('ogas-detection').error({ err: error }, message),
        })
      : null;
  // The runner's rounds go to the workers (BOCPD's, or all with OGAS_DETECTION_POOL=every): loading one takes
  // seconds, so they start now rather than at the first round.
  if (detection) monitor.warmWorkers();
  const ingest = new IngestService(cybernetRepo, cybernet, holarchy, monitor, clock, {
    ...(detection ? { deferred: { backlog, runner: detection } } : {}),
    readings: readingsBus,
    ...(options.readingsWrite ? { write: options.readingsWrite } : {}),
  });
  const federation: FederationService = new FederationService(
    new FederationRepository(store.db),
    {
      unit: (id) => holarchy.get(id),
      unitByCode: (code) => holarchy.byCode(code),
      acknowledgeAlert: async (id, actor, note) => {
        await alerts.acknowledge(id, actor, note);
      },
      topAlerts: async (unitId) =>
        Promise.all(
          // The newest 500 are enough: older states were queued on earlier passes.
          (await alerts.atLevel(unitId, 500)).map(async (alert) => ({
            alert,
            unitCode: (await holarchy.get(alert.unitId)).code,
          })),
        ),
      targetsReceived: (unitId) => shortfalls.queueSubtreeNow(unitId, 'targets received'),
      subtreeCodes: async (id) =>
        (await holarchy.subtree(id, { includeArchived: false }))
          .map((u) => u.code)
          .filter((c): c is string => c !== null),
      proposeInRound: async (input, actor) => {
        await rounds.propose(input, actor);
      },
      indicatorsUnder: (path) => cybernetRepo.indicatorsUnder(path),
      buckets: (path, code, seconds, from, to) => cybernetRepo.bucketed(path, code, seconds, from, to),
    },
    clock,
  );
  cybernet.useRemoteAggregates((unitId, code, seconds, from, to) =>
    federation.remoteAggregates(unitId, code, seconds, from, to),
  );
  holarchy.registerUnitLookup('indicator', (id) => cybernet.indicatorUnit(id));
  holarchy.registerUnitLookup('alert', (id) => alerts.unitOf(id));
  holarchy.registerUnitLookup('federation-alert', (id) => federation.remoteAlertUnit(id));
  const directory = {
    unit: (id: string) => holarchy.get(id),
    grantsOnSubtree: (path: string) => auth.grantsOnSubtree(path),
  };
  const decisionRepo = new DecisionRepository(store.db);
  const electorates = new ElectorateRepository(store.db);
  const votes = new VoteService(
    new VoteRepository(store.db),
    electorates,
    decisionRepo,
    directory,
    countVote,
    clock,
  );
  const questions = new QuestionService(
    new QuestionRepository(store.db),
    directory,
    { get: () => alerts.getDeadlines() },
    clock,
  );
  const proposalRepo = new ProposalRepository(store.db);
  const proposals = new ProposalService(
    proposalRepo,
    {
      unit: (id) => holarchy.get(id),
      byCode: (code) => holarchy.byCode(code),
    },
    {
      get: (id) => economy.get(id),
      model: (id) => economy.model(id),
      technologyUsers: (e, t) => economy.technologyUsers(e, t),
      technologyVersions: (e, t) => economy.technologyVersions(e, t),
      // Inside the adoption's transaction: a repository over it joins it, so the proposal and the
      // technology's new version are written together or not at all.
      reviseTechnology: (tx, c) =>
        new EconomyRepository(tx).reviseTechnology(
          c.economyId,
          c.technology,
          c.coefficients,
          c.at,
          c.reason,
          c.proposalId,
          c.expected,
        ),
    },
    {
      plans: async (economyId) =>
        (await planning.list(economyId)).sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime()),
      plan: async (id) => planSummary(await planning.get(id)),
    },
    new ProposalDeadlineBook(proposalRepo),
    // The library is built below; the publisher reaches it only when a proposal is adopted.
    options.publisher ?? libraryPublisher(() => library),
    clock,
  );
  holarchy.registerUnitLookup('proposal', (id) => proposals.unitOf(id));
  holarchy.registerUnitLookup('proposal-level', (id) => proposals.levelOf(id));
  const decisions = new DecisionService(decisionRepo);
  const assemblies = new AssemblyService(
    new AssemblyRepository(store.db),
    electorates,
    decisionRepo,
    votes,
    clock,
  );
  holarchy.registerUnitLookup('assembly', (id) => assemblies.unitOf(id));
  holarchy.registerUnitLookup('agenda-item', (id) => assemblies.itemUnit(id));
  holarchy.registerUnitLookup('vote', (id) => votes.unitOf(id));
  holarchy.registerUnitLookup('question', (id) => questions.unitOf(id));
  holarchy.registerUnitLookup('answer', (id) => questions.answerUnit(id));
  holarchy.registerUnitLookup('decision', (id) => decisions.unitOf(id));
  const libraryRepo = new LibraryRepository(store.db);
  const library = new LibraryService(
    libraryRepo,
    new BlobStore(store.filesDir, maxFileBytes()),
    { unit: (id) => holarchy.get(id) },
    (i) => compute.run<ExtractOutput>('library.extract', i),
    clock,
  );
  holarchy.registerUnitLookup('library-record', (id) => library.unitOf(id));
  holarchy.registerUnitLookup('library-credential', (name) => library.credentialUnit(name));
  const budgets = new BudgetService(
    new BudgetRepository(store.db),
    economy,
    votes,
    planning,
    clock,
    (model) => compute.run<Record<string, number>>('budget.labour-values', model, {}),
  );
  holarchy.registerUnitLookup('budget', (id) => budgets.unitOf(id));
  const services: Services = {
    access: holarchy,
    cybernet,
    ingest,
    detection,
    detectionBacklog: backlog,
    monitor,
    alerts,
    shortfalls,
    notifications,
    readingsBus,
    holarchy,
    auth,
    economy,
    planning,
    rounds,
    votes,
    questions,
    proposals,
    decisions,
    assemblies,
    library,
    federation,
    budgets,
    runs: new RunRegistry(),
    compute,
    audit,
    system: { storeKind: store.kind, schemaVersion: store.schemaVersion, startedAt: clock.now() },
  };
  return {
    store,
    services,
    clock,
    close: async () => {
      // The runner's round in progress commits or rolls back; what is left stays in the backlog.
      await detection?.close();
      await compute.close();
      await store.close();
    },
  };
}
