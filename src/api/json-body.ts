// The JSON body parser of the HTTP edge. V8's JSON.parse does not recurse, so any body parses; the shape is
// checked (depth, sizes, prototype keys) before anything recursive runs on it. Text and numbers are judged
// by the input guard of the operation (src/core/execute.ts), which knows the fields judged one by one.
import type { FastifyInstance } from 'fastify';
import { DomainError } from '../core/errors';
import { guardInput } from '../core/input-guard';

export function registerJsonBody(server: FastifyInstance): void {
  server.removeContentTypeParser('application/json');
  server.addContentTypeParser('application/json', { parseAs: 'string' }, (_req, body, done) => {
    const text = typeof body === 'string' ? body : body.toString('utf8');
    if (text.trim() === '') {
      done(
        new DomainError('invalid', 'the body is empty', {
          issues: [{ field: '(root)', message: 'empty; send a JSON object, {} when there is no input' }],
          fix: 'send a JSON object body with Content-Type: application/json',
        }),
      );
      return;
    }
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (e) {
      // The parser's message quotes the body around the error; say where, never what.
      const at = /position (\d+)/.exec((e as Error).message)?.[1];
      done(
        new DomainError(
          'invalid',
          `the body is not valid JSON${at === undefined ? '' : ` (at character ${at})`}`,
          {
            issues: [{ field: '(root)', message: 'not valid JSON' }],
            fix: 'send a JSON object body with Content-Type: application/json',
          },
        ),
      );
      return;
    }
    try {
      guardInput(value, { shapeOnly: true }, 'body');
      done(null, value);
    } catch (e) {
      done(e as Error);
    }
  });
}
