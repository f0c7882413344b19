// `ogas node init`: makes this OGAS home a node of the federation (settings in $OGAS_HOME/node.json); `ogas
// serve` then runs it as part of the federation.
import { Command, Option } from 'commander';

export interface NodeInitFlags {
  node: string;
  parent?: string;
  unit: string;
  nats: string;
  natsUser?: string;
  natsPassword?: string;
  natsNkeySeed?: string;
  parentLink?: string;
  prefix?: string;
  opsPrefix?: string;
  bucketSeconds?: string;
  reportEvery?: string;
  alertForwardSeconds?: string;
}

export function nodeCommand(
  init: (flags: NodeInitFlags, cmd: Command) => Promise<void>,
  natsConfig: (flags: { tree: string; out?: string }) => Promise<void>,
  nkey: (flags: { json?: boolean }) => Promise<void>,
): Command {
  const node = new Command('node').description('This server as a node of a federation over NATS JetStream.');
  node
    .command('init')
    .description('Make this OGAS home a federation node; `ogas serve` then joins the federation.')
    .requiredOption('--node <name>', "this node's name (letters, digits, _ and -), e.g. region-north")
    .option('--parent <name>', 'the parent node (leave out for the central node)')
    .requiredOption('--unit <id-or-code>', 'the top unit of the subtree this node serves')
    .addOption(
      new Option('--nats <url>', 'NATS server').env('OGAS_NATS_URL').default('nats://127.0.0.1:4222'),
    )
    .addOption(new Option('--nats-user <user>', "this node's NATS user").env('OGAS_NATS_USER'))
    .addOption(
      new Option('--nats-password <password>', "this node's NATS password").env('OGAS_NATS_PASSWORD'),
    )
    .addOption(
      new Option(
        '--nats-nkey-seed <seed>',
        "this node's NKey seed (SU…, from `ogas node nkey`), instead of a password",
      ).env('OGAS_NATS_NKEY_SEED'),
    )
    .option(
      '--parent-link <file>',
      "a partner federation's central only: JSON of its link into the federation it joins as a child (docs/guide/federation.md, Partners)",
    )
    .option('--prefix <subject>', 'subject prefix of the federation streams (default ogas.fed)')
    .option(
      '--ops-prefix <subject>',
      'operations are served on <prefix>.<name> (default ogas.op on the central node, ogas.node.<name>.op below)',
    )
    .option('--bucket-seconds <n>', 'time bucket of the reports sent up (default 3600)')
    .option('--report-every <seconds>', 'seconds between reports (default 5)')
    .option(
      '--alert-forward-seconds <n>',
      'an alert from below climbs on after this long unacknowledged (default 900)',
    )
    .action(init);
  node
    .command('nats-config')
    .description(
      'Write the NATS server configuration of a federation: one user per node, allowed only its own subjects.',
    )
    .requiredOption(
      '--tree <file>',
      'JSON: { "nodes": [{ "id", "parent", "password" | "nkey" }], "clients", "partners", "port", "storeDir" }',
    )
    .option('--out <file>', 'write it here (default: standard output)')
    .action(natsConfig);
  node
    .command('nkey')
    .description(
      'Make an NKey for a node: the public key goes into the NATS configuration tree ("nkey"), the seed to the node (--nats-nkey-seed) and nowhere else.',
    )
    .action(nkey);
  return node;
}
