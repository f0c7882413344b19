// The `ogas serve` command line: port, the interface to listen on (this machine only unless told), the demo.
import { Command, Option } from 'commander';
import { parsePort } from './usage';

/** Loopback: the demo's passwords are published, so the server is reachable from this machine only by default. */
export const DEFAULT_HOST = '127.0.0.1';

export interface ServeFlags {
  port: string;
  host: string;
  demo?: boolean;
}

export function serveCommand(action: (flags: ServeFlags, cmd: Command) => Promise<void>): Command {
  return new Command('serve')
    .description('Serve the API and the Opsroom (loads the demo federation on first run with --demo).')
    .addOption(new Option('--port <n>', 'port').env('PORT').default('8080').argParser(parsePort))
    .addOption(
      new Option('--host <host>', 'interface to listen on (0.0.0.0 for every interface)')
        .env('HOST')
        .default(DEFAULT_HOST),
    )
    .option('--demo', 'load the demo federation if the database is empty')
    .action(action);
}
