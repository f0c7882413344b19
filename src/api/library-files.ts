// The library's two streaming routes, beside the operations because their bodies are files, not JSON:
//   PUT /api/library/upload?unitId=…   the request body is the file; it streams to the content-addressed
//                                      store (hashed and counted on the way, refused past the size limit,
//                                      nothing kept of a refused or broken upload). Access: `manage` on the
//                                      unit, through the same central check as library.upload.
//   GET /api/library/download/:versionId/:name   a file of a version the caller may read (else 404).
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { App } from '../app/container';
import { authorize } from '../core/access';
import { DomainError } from '../core/errors';
import { actorKey, type Principal } from '../core/principal';

export function mountLibraryFiles(
  server: FastifyInstance,
  app: App,
  principalOf: (req: FastifyRequest) => Promise<Principal>,
): void {
  void server.register(async (scope) => {
    // Any content type: the body is never parsed, only streamed to the store.
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', (_req, _payload, done) => done(null));
    scope.put<{ Querystring: { unitId?: string } }>('/api/library/upload', async (req, reply) => {
      const principal = await principalOf(req);
      const unitId = req.query.unitId;
      if (typeof unitId !== 'string' || unitId.length === 0) {
        req.raw.resume();
        throw new DomainError('invalid', 'name the unit the file is for', {
          issues: [{ field: 'unitId', message: 'required query parameter' }],
          fix: 'PUT /api/library/upload?unitId=<unit id> with the file as the body',
        });
      }
      const access = { kind: 'unit' as const, permission: 'manage' as const, unit: () => unitId };
      try {
        await authorize(principal, access, {}, app.services.access);
      } catch (e) {
        req.raw.resume();
        throw e;
      }
      const declared = Number(req.headers['content-length'] ?? NaN);
      if (Number.isFinite(declared) && declared > app.services.library.blobs.maxBytes) {
        req.raw.resume();
        throw new DomainError(
          'invalid',
          `the file is larger than the limit of ${app.services.library.blobs.maxBytes} bytes`,
          {
            issues: [{ field: 'file', message: `at most ${app.services.library.blobs.maxBytes} bytes` }],
            fix: 'send a smaller file, or raise OGAS_LIBRARY_MAX_FILE_MB on the server',
          },
        );
      }
      const blob = await app.services.library.upload(principal, req.raw);
      await app.services.audit.record({
        at: app.clock.now(),
        actor: actorKey(principal),
        operation: 'library.upload',
        unitId,
        detail: { sha256: blob.sha256, size: blob.size },
      });
      return reply.send(blob);
    });
  });
  server.get<{ Params: { versionId: string; name: string } }>(
    '/api/library/download/:versionId/:name',
    async (req, reply) => {
      const principal = await principalOf(req);
      const file = await app.services.library.openFile(principal, req.params.versionId, req.params.name);
      return reply
        .header('content-type', file.mediaType)
        .header('content-length', String(file.size))
        .header('content-disposition', `attachment; filename*=UTF-8''${encodeURIComponent(file.name)}`)
        .send(file.stream);
    },
  );
}
