// Calls an operation on a running OGAS server over HTTP, for when the database belongs to that server.
import { DomainError, ERROR_KINDS, type ErrorKind } from '../core/errors';

export async function callRemote(
  server: string,
  name: string,
  input: unknown,
  token?: string,
): Promise<unknown> {
  const url = new URL(`/api/${name.replaceAll('.', '/')}`, server);
  let response: Response;
  try {
    response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify(input),
    });
  } catch (e) {
    throw new DomainError('unavailable', `cannot reach ${server}: ${(e as Error).message}`, {
      fix: 'start the server (npm start) or check --server',
    });
  }
  const body = (await response.json()) as Record<string, unknown>;
  if (response.ok) return body;
  const kind = (String(body.type ?? '')
    .split('/')
    .pop() ?? 'invalid') as ErrorKind;
  throw new DomainError(
    kind in ERROR_KINDS ? kind : 'unavailable',
    String(body.detail ?? response.statusText),
    {
      issues: (body.issues as { field: string; message: string }[] | undefined) ?? [],
      ...(typeof body.fix === 'string' ? { fix: body.fix } : {}),
    },
  );
}
