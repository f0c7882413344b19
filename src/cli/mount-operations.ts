// Mounts every operation as a command: "economy.import" becomes `ogas economy import`.
import type { Command } from 'commander';
import { Option } from 'commander';
import type { AnyOperation } from '../core/operation';
import { DomainError } from '../core/errors';
import { localFiles } from './local-files';
import { convertOption, fieldSpecs, kebab } from './zod-options';
import { parserFault } from '../core/parse-error';

export type Runner = (
  op: AnyOperation,
  input: Record<string, unknown>,
  globals: GlobalOptions,
) => Promise<void>;

export interface GlobalOptions {
  json?: boolean;
  server?: string;
  token?: string;
  home?: string;
  databaseUrl?: string;
}

const MAX_FILE_BYTES = 64 * 1024 * 1024;

/** Standard input, refused beyond the limit before it is all read. */
async function readStdin(maxBytes: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of process.stdin) {
    total += (chunk as Buffer).length;
    if (total > maxBytes) {
      throw new DomainError('invalid', `standard input is larger than ${maxBytes} bytes`, {
        fix: 'split the input or give a smaller one',
      });
    }
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

/** A file named on the command line, read in chunks up to 64 MB: a device or a huge file is refused. */
async function readFile(path: string, encoding: 'utf8' | 'base64', field: string): Promise<string> {
  try {
    const content = path === '-' ? await readStdin(MAX_FILE_BYTES) : await localFiles.read(path);
    return content.toString(encoding);
  } catch (e) {
    if (e instanceof DomainError) throw e;
    throw new DomainError(
      'invalid',
      `${field}: cannot read file "${path}": ${(e as { code?: string }).code ?? 'error'}`,
      {
        issues: [{ field, message: 'file not readable' }],
        fix: 'give the path of an existing file',
      },
    );
  }
}

function subcommand(parent: Command, name: string): Command {
  return (
    parent.commands.find((c) => c.name() === name) ?? parent.command(name).description(`${name} commands`)
  );
}

export function mountOperations(program: Command, operations: readonly AnyOperation[], run: Runner): void {
  for (const op of operations) {
    const parts = op.name.split('.');
    let parent = program;
    for (const part of parts.slice(0, -1)) parent = subcommand(parent, part);
    const cmd = parent.command(parts[parts.length - 1] ?? op.name).description(op.summary);
    const specs = fieldSpecs(op.input);
    const positional = op.cli?.positional ?? [];
    const files = new Map((op.cli?.files ?? []).map((f) => [f.field, f.encoding]));
    const label = (p: string) => (files.has(p) ? `${kebab(p)}-file` : kebab(p));
    const required = (p: string) => specs.find((s) => s.name === p)?.required ?? false;
    // An optional argument before a required one (`import [format] <file>`) may be left out: commander
    // would give the one word to the first, so all are declared optional and placed below.
    const leadingOptional = positional.findIndex((p) => !required(p)) < positional.findLastIndex(required);
    for (const p of positional) {
      const description = specs.find((s) => s.name === p)?.description ?? '';
      cmd.argument(required(p) && !leadingOptional ? `<${label(p)}>` : `[${label(p)}]`, description);
    }
    if (leadingOptional) {
      cmd.usage(
        `[options] ${positional.map((p) => (required(p) ? `<${label(p)}>` : `[${label(p)}]`)).join(' ')}`,
      );
    }
    for (const spec of specs) {
      if (positional.includes(spec.name)) continue;
      const text = files.has(spec.name)
        ? `--${spec.flag} <file>`
        : spec.kind === 'boolean'
          ? `--${spec.flag}`
          : `--${spec.flag} <${spec.kind === 'json' ? 'json' : 'value'}>`;
      cmd.addOption(new Option(text, `${spec.description}${spec.kind === 'json' ? ' (JSON)' : ''}`.trim()));
    }
    const local = op.cli?.local;
    for (const o of local?.options ?? []) cmd.addOption(new Option(`--${o.flag} <path>`, o.description));
    cmd.option('--input <file>', 'read the whole input as a JSON object from a file ("-" for stdin)');
    cmd.option('--json', 'print machine-readable JSON');
    cmd.action(async (...args: unknown[]) => {
      const command = args[args.length - 1] as Command;
      const opts = command.opts<Record<string, unknown>>();
      const globals = command.optsWithGlobals<GlobalOptions>();
      let input: Record<string, unknown> = {};
      if (typeof opts.input === 'string') {
        try {
          input = JSON.parse(await readFile(opts.input, 'utf8', 'input')) as Record<string, unknown>;
        } catch (e) {
          if (e instanceof DomainError) throw e;
          throw new DomainError('invalid', `--input: not a JSON object (${parserFault(e)})`, {
            fix: 'check the file',
          });
        }
      }
      const given = positional.map((_, i) => args[i]).filter((v) => v !== undefined);
      const missing = positional.filter(required).length - given.length;
      if (missing > 0) {
        const name = positional.filter(required)[given.length] ?? '';
        command.error(`error: missing required argument '${label(name)}'`, {
          code: 'commander.missingArgument',
        });
      }
      // The given words fill the required arguments, and the optional ones from the left with what remains.
      let optionalLeft = given.length - positional.filter(required).length;
      for (const name of positional) {
        if (!required(name)) {
          if (optionalLeft <= 0) continue;
          optionalLeft--;
        }
        input[name] = given.shift();
      }
      for (const spec of specs) {
        const value = positional.includes(spec.name) ? input[spec.name] : opts[spec.name];
        if (value === undefined) continue;
        input[spec.name] = convertOption(spec, value);
      }
      for (const [field, encoding] of files) {
        if (typeof input[field] === 'string') {
          input[field] = await readFile(input[field], encoding, field);
          if (specs.some((s) => s.name === 'encoding')) input.encoding = encoding;
        }
      }
      if (local) {
        const given = Object.fromEntries(
          local.options
            .filter((o) => typeof opts[o.name] === 'string')
            .map((o) => [o.name, opts[o.name] as string]),
        );
        if (Object.keys(given).length > 0) Object.assign(input, await local.gather(given, localFiles));
      }
      await run(op, input, globals);
    });
  }
}
