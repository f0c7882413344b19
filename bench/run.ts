// Benchmark runner: `npm run bench -- NAME [--size N]` loads bench/NAME.bench.ts and runs it.
// Each bench prints one JSON line per case: {"bench","size","ours_s","peer","peer_s","ratio","check",...}.
import { existsSync, readdirSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { dirname, join } from 'node:path';
import { Command } from 'commander';

export interface BenchOptions {
  size?: number;
}

const here = dirname(fileURLToPath(import.meta.url));
const available = readdirSync(here)
  .filter((f) => f.endsWith('.bench.ts'))
  .map((f) => f.slice(0, -'.bench.ts'.length))
  .sort();

const program = new Command()
  .name('npm run bench --')
  .argument('[names...]', `benchmarks to run (${available.join(', ')}); all when omitted`)
  .option('--size <n>', 'problem size (products, or readings); each bench has a default ladder', (v) =>
    Number(v),
  )
  .action(async (names: string[], opts: { size?: number }) => {
    const chosen = names.length > 0 ? names : available;
    for (const name of chosen) {
      const file = join(here, `${name}.bench.ts`);
      if (!existsSync(file)) {
        console.error(`unknown benchmark "${name}"; choose one of: ${available.join(', ')}`);
        process.exitCode = 2;
        return;
      }
      const mod = (await import(pathToFileURL(file).href)) as { default: (o: BenchOptions) => Promise<void> };
      await mod.default(opts.size === undefined ? {} : { size: opts.size });
    }
  });

await program.parseAsync(process.argv);
