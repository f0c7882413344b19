// `ogas serve` listens on this machine only unless told otherwise (--host or HOST).
import { afterEach, describe, expect, it } from 'vitest';
import { serveCommand, type ServeFlags } from './serve-command';

async function flagsOf(args: string[]): Promise<ServeFlags> {
  let seen: ServeFlags | undefined;
  await serveCommand(async (flags) => {
    seen = flags;
  }).parseAsync(args, { from: 'user' });
  if (!seen) throw new Error('the serve action did not run');
  return seen;
}

describe('ogas serve options', () => {
  const saved = process.env.HOST;
  afterEach(() => {
    if (saved === undefined) delete process.env.HOST;
    else process.env.HOST = saved;
  });

  it('listens on the loopback interface by default', async () => {
    delete process.env.HOST;
    expect((await flagsOf([])).host).toBe('127.0.0.1');
  });

  it('listens where HOST or --host says, the flag winning', async () => {
    process.env.HOST = '0.0.0.0';
    expect((await flagsOf([])).host).toBe('0.0.0.0');
    expect((await flagsOf(['--host', '192.0.2.1'])).host).toBe('192.0.2.1');
  });
});
