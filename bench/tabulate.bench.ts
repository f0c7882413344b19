// Benchmark: instant runoff on 1,000,000 generated ranked ballots with 20 candidates, against a plain
// Python count of the same ballots; checks that winners and every round's tally agree.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BenchOptions } from './run';
import { defaultRules } from '../src/participation/counting/rcv/rules';
import { tabulateRcv } from '../src/participation/counting/rcv/tabulate';
import { syntheticRankedBallots } from '../src/participation/counting/synthetic-ballots';

const here = dirname(fileURLToPath(import.meta.url));
const CANDIDATES = 20;

interface PeerRun {
  winner: number;
  rounds: Record<string, number>[];
  seconds: number;
  peak_rss_mb: number;
}

export default async function tabulateBench(opts: BenchOptions): Promise<void> {
  const sizes = opts.size !== undefined ? [opts.size] : [1_000_000];
  for (const size of sizes) {
    const ballots = syntheticRankedBallots({ ballots: size, candidates: CANDIDATES, seed: 2024 });
    const names = Array.from({ length: CANDIDATES }, (_, k) => `C${k}`);
    const contest = { candidates: names.map((name) => ({ name })), undeclaredWriteIns: false, ballots };
    const started = performance.now();
    const count = tabulateRcv(contest, defaultRules({ tiebreakMode: 'useCandidateOrder' }));
    const oursSeconds = (performance.now() - started) / 1000;

    const folder = mkdtempSync(join(tmpdir(), 'ogas-tabulate-'));
    try {
      const raw = (a: Int32Array | Uint16Array): Uint8Array =>
        new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
      writeFileSync(join(folder, 'offsets.i32'), raw(ballots.offsets));
      writeFileSync(join(folder, 'choices.u16'), raw(ballots.choices));
      const peer = JSON.parse(
        execFileSync('python3', [join(here, 'peers', 'irv.py'), folder, String(CANDIDATES)], {
          encoding: 'utf8',
          maxBuffer: 1 << 24,
        }),
      ) as PeerRun;
      const ours = count.rounds.map((r) =>
        Object.fromEntries(r.tally.map((t) => [t.candidate.slice(1), Number(t.votes.toString())])),
      );
      const sameRounds = JSON.stringify(ours) === JSON.stringify(peer.rounds);
      const sameWinner = count.winners[0] === `C${peer.winner}`;
      console.log(
        JSON.stringify({
          bench: 'tabulate',
          size,
          candidates: CANDIDATES,
          ours_s: Number(oursSeconds.toFixed(3)),
          peer: 'python (plain instant runoff)',
          peer_s: Number(peer.seconds.toFixed(3)),
          ratio: Number((oursSeconds / peer.seconds).toFixed(3)),
          check:
            sameRounds && sameWinner
              ? `ok (winner ${count.winners[0]}, ${count.rounds.length} rounds, every tally equal)`
              : `MISMATCH (winner ${count.winners[0]} vs C${peer.winner}, rounds ${sameRounds ? 'equal' : 'differ'})`,
          rounds: count.rounds.length,
          ranks: ballots.choices.length,
          peak_rss_mb: Math.round(process.resourceUsage().maxRSS / 1024),
          peer_peak_rss_mb: Math.round(peer.peak_rss_mb),
        }),
      );
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  }
}
