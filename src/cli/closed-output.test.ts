// `ogas … | head`: a reader that closes the pipe early ends the command quietly with exit 0 (it crashed on EPIPE).
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

/** Runs `ogas <args>`, closes its stdout after the first chunk, and returns its exit code and stderr. */
function runAndCloseEarly(args: string[]): Promise<{ code: number | null; stderr: string; read: number }> {
  return new Promise((resolve, reject) => {
    const home = mkdtempSync(join(tmpdir(), 'ogas-pipe-'));
    const child = spawn('node', ['bin/ogas.js', ...args], {
      env: { ...process.env, OGAS_HOME: home, DATABASE_URL: '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    let read = 0;
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.stdout.once('data', (d: Buffer) => {
      read = d.length;
      child.stdout.destroy();
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stderr, read }));
  });
}

describe('ogas with its output closed early', () => {
  it('exits 0 without an error when the reader of a long output goes away (ogas openapi | head)', async () => {
    // The OpenAPI document is far longer than one pipe buffer, so the command is still writing when the pipe closes.
    const r = await runAndCloseEarly(['openapi']);
    expect(r.read).toBeGreaterThan(0);
    expect(r.stderr).not.toContain('EPIPE');
    expect(r.code, r.stderr).toBe(0);
  }, 60_000);

  it('exits 0 when the help is cut short (ogas --help | head -1)', async () => {
    const r = await runAndCloseEarly(['--help']);
    expect(r.stderr).toBe('');
    expect(r.code, r.stderr).toBe(0);
  }, 60_000);
});
