import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { parserFault } from './parse-error';

const failure = (f: () => unknown): unknown => {
  try {
    f();
  } catch (e) {
    return e;
  }
  throw new Error('expected a failure');
};

describe('parserFault', () => {
  it('says where JSON broke without quoting it', () => {
    const e = failure(() => JSON.parse('root:x:0:0:secret-hash:/root:/bin/bash'));
    expect((e as Error).message).toContain('root:x'); // what the fix guards against
    expect(parserFault(e)).toMatch(/^syntax error/);
    expect(parserFault(e)).not.toContain('root');
  });

  it('gives the csv-parse code and line without the field', () => {
    const e = failure(() => parse('a,b\n"x"secret-token,1\n'));
    expect((e as Error).message).toContain('got "s"');
    expect(parserFault(e)).toMatch(/invalid closing quote at line 2/);
    expect(parserFault(e)).not.toContain('"s"');
  });

  it('keeps nothing of an unknown error', () => {
    expect(parserFault(new Error('PASSWORD=hunter2'))).toBe('the content could not be parsed');
  });
});
