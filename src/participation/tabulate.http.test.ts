// Counting over HTTP: public, content only (a path in a configuration is never read on the server).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildCompute } from '../app/compute';
import type { App } from '../app/container';
import { buildServer } from '../api/server';
import { createLogger } from '../core/logger';
import type { Services } from '../core/services';
import { countOperations } from './count.operations';
import { tabulateOperations } from './tabulate.operations';

const FIXTURE = join(import.meta.dirname, 'fixtures', 'rctab', 'test_set_1_exhaust_at_overvote');

describe('vote operations over HTTP', () => {
  let server: FastifyInstance;
  // The real pool with one worker: the counts run in a worker thread as on a server.
  const compute = buildCompute({ workers: 1, perPrincipal: 1, anonymous: 1 });
  const app: App = {
    services: { compute } as Services,
    clock: { now: () => new Date() },
    store: undefined as never,
    close: async () => {},
  };

  beforeAll(async () => {
    server = await buildServer(app, {
      operations: [...tabulateOperations, ...countOperations],
      log: createLogger('test'),
      webRoot: '/nonexistent',
    });
  });
  afterAll(async () => {
    await server.close();
    await compute.close();
  });

  it('counts an uploaded RCTab contest for anyone, signed in or not', async () => {
    const config = readFileSync(join(FIXTURE, 'test_set_1_exhaust_at_overvote_config.json'), 'utf8');
    const cvr = readFileSync(join(FIXTURE, 'test_set_1_exhaust_at_overvote_cvr.json'), 'utf8');
    const r = await server.inject({
      method: 'POST',
      url: '/api/vote/tabulate',
      payload: {
        rctabConfig: config,
        rctabFiles: [{ path: 'test_set_1_exhaust_at_overvote_cvr.json', content: cvr }],
      },
    });
    expect(r.statusCode).toBe(200);
    const report = r.json() as { results: { tally: Record<string, string> }[] };
    expect(report.results.at(-1)?.tally).toEqual({ 'Candidate A Name': '5', 'Candidate B Name': '8' });
  });

  it('never reads a path named by the configuration: without the content it is a 400 naming the file', async () => {
    const config = JSON.stringify({
      tabulatorVersion: 'TEST',
      outputSettings: { contestName: 'Probe' },
      cvrFileSources: [
        {
          provider: 'genericCsv',
          filePath: '/etc/passwd',
          firstVoteColumnIndex: '1',
          firstVoteRowIndex: '2',
        },
      ],
      candidates: [{ name: 'root' }],
      rules: {
        tiebreakMode: 'useCandidateOrder',
        overvoteRule: 'alwaysSkipToNextRank',
        winnerElectionMode: 'singleWinnerMajority',
        numberOfWinners: '1',
        decimalPlacesForVoteArithmetic: '4',
        maxSkippedRanksAllowed: '1',
        maxRankingsAllowed: 'max',
      },
    });
    const r = await server.inject({
      method: 'POST',
      url: '/api/vote/tabulate',
      payload: { rctabConfig: config },
    });
    expect(r.statusCode).toBe(400);
    const problem = r.json() as { issues: { field: string; message: string }[] };
    expect(problem.issues[0]).toEqual({
      field: 'cvrFileSources[0].filePath',
      message: 'file "/etc/passwd" was not provided',
    });
  });

  it('refuses a repeated rank with a problem document naming the ballot', async () => {
    const r = await server.inject({
      method: 'POST',
      url: '/api/vote/count',
      payload: { method: 'irv', options: ['A', 'B'], ballots: [['A', 'B', 'A']] },
    });
    expect(r.statusCode).toBe(400);
    expect((r.json() as { issues: { field: string }[] }).issues[0]?.field).toBe('ballots[0][2]');
  });
});
