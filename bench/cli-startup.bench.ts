// Benchmark: start-up of the `ogas` command, compiled (dist/ogas.js, what `npm ci` builds) against the same
// command run from the TypeScript sources through tsx (OGAS_FROM_SOURCE=1, what bin/ogas.js falls back to when
// src/ is newer than the bundle). Both go through bin/ogas.js. Median of N runs (--size N, default 7) of
// `ogas --help`, of the README's first example (`ogas economy analyze` of the Ochoa table), and of
// `npx ogas --help`; checks that both sides print the same output.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BenchOptions } from './run';

const ROOT = join(import.meta.dirname, '..');
const BIN = join(ROOT, 'bin', 'ogas.js');

const OCHOA = join(ROOT, 'src', 'economy', 'fixtures', 'ochoa-1984.json');

// npx adds npm's own start-up: it reads the whole installed tree (Arborist's loadActual) to find a project's
// own command, whatever the command does; the last case shows that share.
const CASES: { name: string; program: string; args: string[]; goal_s: number }[] = [
  { name: 'node bin/ogas.js --help', program: 'node', args: [BIN, '--help'], goal_s: 0.5 },
  {
    name: 'node bin/ogas.js economy analyze ochoa-1984.json --json',
    program: 'node',
    args: [BIN, 'economy', 'analyze', OCHOA, '--json'],
    goal_s: 1,
  },
  { name: 'npx ogas --help', program: 'npx', args: ['ogas', '--help'], goal_s: 0.5 },
];

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2;
}

/** Runs the command `runs` times and returns the wall-clock seconds of each run and the last output. */
function time(
  program: string,
  args: string[],
  env: NodeJS.ProcessEnv,
  runs: number,
): { seconds: number[]; stdout: string } {
  const seconds: number[] = [];
  let stdout = '';
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    stdout = execFileSync(program, args, { cwd: ROOT, env, encoding: 'utf8', maxBuffer: 1 << 26 });
    seconds.push((performance.now() - started) / 1000);
  }
  return { seconds, stdout };
}

/** Numbers carry a `seconds` field of their own (solver time): compare the output without it. */
const comparable = (text: string) => text.replace(/"seconds": [0-9.e-]+/g, '"seconds": 0');

export default async function cliStartupBench(opts: BenchOptions): Promise<void> {
  const runs = opts.size ?? 7;
  // The compiled side must be the current sources, or bin/ogas.js would silently run tsx for both.
  execFileSync('node', ['--import', 'tsx', join(ROOT, 'scripts', 'build-cli.ts')], {
    cwd: ROOT,
    stdio: 'ignore',
  });
  const home = mkdtempSync(join(tmpdir(), 'ogas-cli-startup-'));
  try {
    const base: NodeJS.ProcessEnv = { ...process.env, OGAS_HOME: home, DATABASE_URL: '', OGAS_SERVER: '' };
    delete base.OGAS_FROM_SOURCE;
    for (const c of CASES) {
      const compiled = time(c.program, c.args, base, runs);
      const source = time(c.program, c.args, { ...base, OGAS_FROM_SOURCE: '1' }, runs);
      const ours = median(compiled.seconds);
      const peer = median(source.seconds);
      const same = comparable(compiled.stdout) === comparable(source.stdout);
      console.log(
        JSON.stringify({
          bench: 'cli-startup',
          case: c.name,
          size: runs,
          ours: 'compiled (dist/ogas.js)',
          ours_s: Number(ours.toFixed(3)),
          peer: 'from source (tsx)',
          peer_s: Number(peer.toFixed(3)),
          ratio: Number((ours / peer).toFixed(3)),
          goal_s: c.goal_s,
          within_goal: ours < c.goal_s,
          check: same ? 'ok (same output)' : 'MISMATCH (the outputs differ)',
          ours_min_s: Number(Math.min(...compiled.seconds).toFixed(3)),
          ours_max_s: Number(Math.max(...compiled.seconds).toFixed(3)),
          // Node's own start-up on this machine now: the floor under both.
          node_alone_s: Number(median(time('node', ['-e', '0'], base, runs).seconds).toFixed(3)),
        }),
      );
    }
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
}
