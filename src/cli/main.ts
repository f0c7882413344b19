// The `ogas` command: serve, openapi, and every operation of the registry as a subcommand.
import { readFileSync, writeFileSync } from 'node:fs';
import { Command, Option } from 'commander';
import type { Logger } from 'pino';
import type { App } from '../app/container';
import { OPERATIONS } from '../app/registry';
import { projectPath } from '../core/project-path';
import { SYSTEM } from '../core/principal';
import type { Services } from '../core/services';
import { ignoreClosedOutput } from './closed-output';
import { mountOperations, type GlobalOptions } from './mount-operations';
import { checkOpenApiFile } from './openapi-check';
import { printError, printResult } from './output';
import { callRemote } from './remote';
import { nodeCommand } from './node-command';
import { serveCommand } from './serve-command';
import { reportUsageErrors, usageExitCode } from './usage';

// Start-up time: the database, the server, the logger and the progress bar load when a command needs them
// (dynamic imports, split into chunks of the bundle), so `ogas --help` and commands without a database
// load only commander, zod and the operation registry.
ignoreClosedOutput(process.stdout);
ignoreClosedOutput(process.stderr);

let logger: Logger | undefined;
async function log(): Promise<Logger> {
  logger ??= (await import('../core/logger')).createLogger('ogas-cli');
  return logger;
}
const VERSION = (JSON.parse(readFileSync(projectPath('package.json'), 'utf8')) as { version: string })
  .version;

const program = new Command('ogas')
  .description('OGAS: plan production together, watch it in near real time, govern it democratically.')
  .version(VERSION)
  .addOption(new Option('--home <dir>', 'folder of the embedded database').env('OGAS_HOME').default('.ogas'))
  .addOption(
    new Option('--database-url <url>', 'use PostgreSQL instead of the embedded database').env('DATABASE_URL'),
  )
  .addOption(
    new Option('--server <url>', 'call a running OGAS server instead of opening the database').env(
      'OGAS_SERVER',
    ),
  )
  .addOption(new Option('--token <token>', 'bearer token for --server (from auth login)').env('OGAS_TOKEN'));
reportUsageErrors(program, process.argv.includes('--json'));

program.addCommand(
  serveCommand(async (opts, cmd) => {
    const g = cmd.optsWithGlobals<GlobalOptions>();
    const { serve } = await import('./serve');
    await serve(
      {
        port: Number(opts.port),
        host: opts.host,
        demo: opts.demo ?? false,
        home: g.home ?? '.ogas',
        databaseUrl: g.databaseUrl,
      },
      await log(),
    );
  }).copyInheritedSettings(program),
);

program.addCommand(
  nodeCommand(
    async (f, cmd) => {
      const g = cmd.optsWithGlobals<GlobalOptions>();
      const { writeNodeSettings } = await import('../federation/node-settings');
      const app = await localApp(g);
      // The unit is named by id or code; the settings keep its id, which the database must know.
      const unit = (await app.services.holarchy.byCode(f.unit)) ?? (await app.services.holarchy.get(f.unit));
      const settings = writeNodeSettings(g.home ?? '.ogas', {
        nodeId: f.node,
        parent: f.parent ?? null,
        unitId: unit.id,
        natsUrl: f.nats,
        ...(f.natsUser ? { natsUser: f.natsUser, natsPassword: f.natsPassword ?? '' } : {}),
        ...(f.natsNkeySeed ? { natsNkeySeed: f.natsNkeySeed } : {}),
        ...(f.parentLink ? { parentLink: JSON.parse(readFileSync(f.parentLink, 'utf8')) as never } : {}),
        ...(f.prefix ? { prefix: f.prefix } : {}),
        opsPrefix: f.opsPrefix ?? (f.parent ? `ogas.node.${f.node}.op` : 'ogas.op'),
        ...(f.bucketSeconds === undefined ? {} : { bucketSeconds: Number(f.bucketSeconds) }),
        ...(f.reportEvery === undefined ? {} : { reportEverySeconds: Number(f.reportEvery) }),
        ...(f.alertForwardSeconds === undefined
          ? {}
          : { alertForwardSeconds: Number(f.alertForwardSeconds) }),
      });
      printResult(
        {
          ...settings,
          natsPassword: settings.natsPassword ? '(saved)' : undefined,
          natsNkeySeed: settings.natsNkeySeed ? '(saved)' : undefined,
          parentLink: settings.parentLink && {
            ...settings.parentLink,
            natsPassword: settings.parentLink.natsPassword ? '(saved)' : undefined,
            natsNkeySeed: settings.parentLink.natsNkeySeed ? '(saved)' : undefined,
          },
        },
        g.json ?? false,
      );
    },
    async (f) => {
      const { natsConfig } = await import('../federation/nats-config');
      const text = natsConfig(JSON.parse(readFileSync(f.tree, 'utf8')) as never);
      if (f.out) writeFileSync(f.out, text);
      else process.stdout.write(text);
    },
    async () => {
      const { nkeys } = await import('nats');
      const key = nkeys.createUser();
      const seed = new TextDecoder().decode(key.getSeed());
      process.stdout.write(
        `${JSON.stringify({ nkey: key.getPublicKey(), seed, note: 'nkey: into the NATS configuration tree; seed: only to the node (--nats-nkey-seed)' }, null, 2)}\n`,
      );
    },
  ).copyInheritedSettings(program),
);

program
  .command('openapi')
  .description('Write the OpenAPI document generated from the operation registry, or check a file for drift.')
  .option('--out <file>', 'write it here')
  .option('--check <file>', 'fail (exit 5) if this file differs from the generated document')
  .action(async (opts: { out?: string; check?: string }) => {
    const { openApiDocument } = await import('../api/openapi');
    const text = `${JSON.stringify(openApiDocument(OPERATIONS, VERSION), null, 2)}\n`;
    if (opts.check) {
      checkOpenApiFile(opts.check, text);
      return;
    }
    if (opts.out) writeFileSync(opts.out, text);
    else process.stdout.write(text);
  });

let opened: App | undefined;

async function inProcessCompute() {
  const { buildCompute, computeSettings } = await import('../app/compute');
  return buildCompute({ ...computeSettings(), workers: 0 });
}

async function localApp(g: GlobalOptions): Promise<App> {
  if (opened) return opened;
  const [{ buildApp }, { openStore }, compute] = await Promise.all([
    import('../app/container'),
    import('../store/connect'),
    inProcessCompute(),
  ]);
  // A one-shot CLI call has no other request to keep responsive: its computations run in-process.
  opened = buildApp(await openStore({ databaseUrl: g.databaseUrl, home: g.home }), undefined, { compute });
  return opened;
}

program.addHelpText(
  'after',
  `\nEvery operation (each takes --json; \`ogas <command> --help\` for its options):\n${OPERATIONS.map(
    (op) => `  ogas ${op.name.replaceAll('.', ' ').padEnd(34)} ${op.summary}`,
  ).join('\n')}\n`,
);

mountOperations(program, OPERATIONS, async (op, input, g) => {
  const json = g.json ?? false;
  const [{ withProgressBar }, { invoke }] = await Promise.all([
    import('./progress-bar'),
    import('../app/invoke'),
  ]);
  const result = await withProgressBar(!json && process.stderr.isTTY, async (onProgress) => {
    if (g.server) return callRemote(g.server, op.name, input, g.token);
    const app: App =
      op.needsStore === false
        ? {
            services: { compute: await inProcessCompute() } as Services,
            clock: { now: () => new Date() },
            store: undefined as never,
            close: async () => {},
          }
        : await localApp(g);
    return invoke(app, op, input, { principal: SYSTEM, log: await log(), onProgress });
  });
  printResult(result, json, op.cli?.output);
});

try {
  await program.parseAsync(process.argv);
} catch (e) {
  process.exitCode = usageExitCode(e) ?? printError(e, process.argv.includes('--json'));
} finally {
  await opened?.close();
}
