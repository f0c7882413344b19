// Runs the `ogas` command as a user would, on its own OGAS_HOME, and returns its exit code and output.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

export async function ogas(args: string[], home: string, env: Record<string, string> = {}): Promise<CliRun> {
  try {
    const r = await run('node', ['bin/ogas.js', ...args], {
      env: { ...process.env, OGAS_HOME: home, DATABASE_URL: '', ...env },
      maxBuffer: 64 * 1024 * 1024,
    });
    return { code: 0, stdout: r.stdout, stderr: r.stderr };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, stdout: err.stdout, stderr: err.stderr };
  }
}
