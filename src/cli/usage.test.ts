// Usage errors exit 2 with a clear message (1 is reserved for bugs); --help and --version exit 0.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ogas } from '../testing/run-cli';

const home = join(mkdtempSync(join(tmpdir(), 'ogas-usage-')), 'unused');

describe('ogas usage errors', () => {
  it('exits 2 on an unknown option, a missing argument, a bad value and a group without its command', async () => {
    const [unknownOption, missing, badPort, bareGroup] = await Promise.all([
      ogas(['economy', 'analyze', 'x.json', '--bogus'], home),
      ogas(['economy', 'import'], home),
      ogas(['serve', '--port', 'eighty'], home),
      ogas(['economy'], home),
    ]);
    expect([unknownOption, missing, badPort, bareGroup].map((r) => r.code)).toEqual([2, 2, 2, 2]);
    expect(unknownOption.stderr).toMatch(/unknown option '--bogus'/);
    expect(unknownOption.stderr).toMatch(/add --help to see the usage/);
    expect(missing.stderr).toMatch(/missing required argument 'content-file'/);
    expect(badPort.stderr).toMatch(/'eighty' is invalid.*0 to 65535/);
    // A group without its command shows the group's usage: a usage error too, not a bug.
    expect(bareGroup.stderr).toMatch(/Usage: ogas economy/);
  }, 120_000);

  it('answers a usage error with a problem object under --json, and exits 0 for --help', async () => {
    const [json, help] = await Promise.all([
      ogas(['holarchy', 'unit', 'get', '--json', '--nope'], home),
      ogas(['economy', 'import', '--help'], home),
    ]);
    expect(json.code).toBe(2);
    const problem = JSON.parse(json.stderr) as { error: string; detail: string; fix: string };
    expect(problem.error).toBe('invalid');
    expect(problem.detail).toMatch(/^unknown option '--nope'/);
    expect(problem.fix).toBe('add --help to see the usage');
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/Usage: ogas economy import \[options\] \[format\] <content-file>/);
  }, 120_000);
});
