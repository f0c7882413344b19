// Files of the repository that the program reads at run time (package.json, the demo's reference data, the
// Opsroom's build) are found from the project's root, not from the reading module: the sources (src/<folder>/)
// and the compiled bundle (dist/) sit at different depths, and both must find the same files.
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

let root: string | undefined;

/** The folder of the nearest package.json above this module: the project's root. */
export function projectRoot(): string {
  if (root !== undefined) return root;
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json'))) {
    const up = dirname(dir);
    if (up === dir) throw new Error(`no package.json above ${fileURLToPath(import.meta.url)}`);
    dir = up;
  }
  root = dir;
  return dir;
}

/** A path inside the project, e.g. projectPath('src', 'economy', 'fixtures', 'example-economy.json'). */
export function projectPath(...segments: string[]): string {
  return join(projectRoot(), ...segments);
}
