import { Writable } from 'node:stream';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { LOGGER_OPTIONS } from './logger';

function capture() {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      lines.push(chunk.toString());
      done();
    },
  });
  return { log: pino({ level: 'info', ...LOGGER_OPTIONS }, stream), text: () => lines.join('') };
}

describe('the logger', () => {
  it('redacts passwords, tokens, cookies and authorization headers', () => {
    const { log, text } = capture();
    log.info({ password: 'hunter2', input: { token: 'ogs_abc', newPassword: 'p2' } }, 'sign-in');
    log.info({ req: { headers: { authorization: 'Bearer ogs_x', cookie: 'ogas_session=zz' } } }, 'request');
    for (const secret of ['hunter2', 'ogs_abc', 'p2"', 'ogs_x', 'ogas_session=zz'])
      expect(text()).not.toContain(secret);
    expect(text()).toContain('(redacted)');
  });

  it('drops the parameters a database error carries', () => {
    const { log, text } = capture();
    const e = Object.assign(new Error('unsupported Unicode escape sequence'), {
      params: ['the-secret-row'],
      where: "unnamed portal parameter $5 = 'the-secret-row'",
      code: '22P05',
    });
    log.error({ err: e }, 'internal error');
    expect(text()).not.toContain('the-secret-row');
    expect(text()).toContain('22P05');
  });
});
