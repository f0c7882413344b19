// `ogas serve`: opens the database, loads the demo on first run, serves the API and the Opsroom.
import { resolve } from 'node:path';
import type { Logger } from 'pino';
import { buildApp } from '../app/container';
import { adminPasswordFile, ensureDemo } from '../app/demo';
import { OPERATIONS } from '../app/registry';
import { projectPath } from '../core/project-path';
import { buildServer } from '../api/server';
import { startMonitoringEdges } from '../ingest/monitoring-edges';
import { startParticipationTimer } from '../participation/participation-timer';
import { openStore } from '../store/connect';
import { readNodeSettings } from '../federation/node-settings';

export interface ServeOptions {
  port: number;
  host: string;
  demo: boolean;
  home: string;
  databaseUrl?: string | undefined;
}

export async function serve(options: ServeOptions, log: Logger): Promise<void> {
  const store = await openStore({
    databaseUrl: options.databaseUrl,
    home: options.home,
    port: options.port,
  });
  const app = buildApp(store);
  if (options.demo) {
    const demo = await ensureDemo(app, resolve(options.home));
    const file = adminPasswordFile(resolve(options.home));
    if (demo.created) {
      console.log(`Loaded the demo federation (economy ${demo.economyId ?? ''}).`);
      console.log(`Admin login created: ${demo.adminEmail} / ${demo.adminPassword ?? ''}`);
      console.log(`(the password alone is saved in ${file})`);
    } else {
      console.log(`Demo federation already loaded; admin login: ${demo.adminEmail}, password in ${file}`);
    }
  }
  // Deferred detection resumes where the last process stopped: rows still in the backlog are examined now.
  void app.services.detection?.kick();
  const edges = await startMonitoringEdges(app, log);
  // A home with node.json (`ogas node init`) is a federation node: it joins the federation over NATS.
  const nodeSettings = readNodeSettings(options.home);
  const node = nodeSettings
    ? await (await import('../federation/node-runtime')).startFederationNode(app, nodeSettings, log)
    : null;
  const stopParticipation = startParticipationTimer(
    app,
    log,
    Number(process.env.OGAS_PARTICIPATION_EVERY ?? 15),
  );
  // The Opsroom's build is found from the project, not the working folder: `ogas serve` runs from anywhere.
  const server = await buildServer(app, {
    operations: OPERATIONS,
    log,
    extend: edges.extend,
    webRoot: projectPath('web', 'dist'),
  });
  const shutdown = async () => {
    await server.close();
    stopParticipation();
    await edges.close();
    await node?.close();
    await app.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void shutdown());
  process.once('SIGTERM', () => void shutdown());
  await server.listen({ port: options.port, host: options.host });
  const everywhere = options.host === '0.0.0.0' || options.host === '::';
  const shown = everywhere ? 'localhost' : options.host.includes(':') ? `[${options.host}]` : options.host;
  console.log(
    `OGAS is serving on http://${shown}:${options.port} (database: ${store.kind}, schema ${store.schemaVersion})`,
  );
  if (everywhere)
    console.log('It listens on every interface: change the demo passwords first (auth password change).');
}
