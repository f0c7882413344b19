// Usage errors (unknown command or option, missing or bad argument) exit 2 like other invalid input: 1 is for bugs.
import { CommanderError, InvalidArgumentError, type Command } from 'commander';

/**
 * Makes commander throw instead of exiting, and print its error as a problem object with --json. Call it on
 * the program before adding commands: subcommands inherit both settings when they are created.
 */
export function reportUsageErrors(program: Command, json: boolean): Command {
  return program
    .exitOverride()
    .showHelpAfterError(json ? false : '(add --help to see the usage)')
    .configureOutput({
      outputError: (text, write) =>
        write(
          json
            ? `${JSON.stringify({ error: 'invalid', detail: text.replace(/^error: /, '').trim(), fix: 'add --help to see the usage' })}\n`
            : text,
        ),
    });
}

/** The exit code of a commander error: 0 for --help and --version, 2 for every usage error. */
export function usageExitCode(error: unknown): number | undefined {
  if (!(error instanceof CommanderError)) return undefined;
  return error.exitCode === 0 ? 0 : 2;
}

/** Parses a TCP port option, refusing anything but a whole number from 0 to 65535. */
export function parsePort(value: string): string {
  if (!/^\d+$/.test(value.trim()) || Number(value) > 65535) {
    throw new InvalidArgumentError('give a whole number from 0 to 65535.');
  }
  return value.trim();
}
