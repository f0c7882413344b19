// The one logger (pino). Quiet in tests, JSON lines in production, level from OGAS_LOG_LEVEL. Secrets never
// reach a log line: credentials are redacted wherever they appear, and errors lose the parts that carry data.
import { pino, stdSerializers, type Logger, type LoggerOptions } from 'pino';

const SECRET_KEYS = [
  'password',
  'currentPassword',
  'newPassword',
  'token',
  'secret',
  'authorization',
  'cookie',
  'set-cookie',
  'content',
];

/** Paths pino censors: a secret key at the top level, one or two levels down, and in request headers. */
export const REDACTED_PATHS = [
  ...SECRET_KEYS.map((k) => `["${k}"]`),
  ...SECRET_KEYS.map((k) => `*["${k}"]`),
  ...SECRET_KEYS.map((k) => `*.*["${k}"]`),
];

/**
 * An error as logged: name, message, stack and code, without the data some errors carry. PostgreSQL errors
 * hold the statement's parameters (`params`, and `where` quotes them), which may be passwords or file text.
 */
export function safeError(e: unknown): unknown {
  if (!(e instanceof Error)) return e;
  const out = { ...stdSerializers.err(e) } as Record<string, unknown>;
  for (const key of ['params', 'parameters', 'where', 'input', 'body', 'payload']) delete out[key];
  return out;
}

export const LOGGER_OPTIONS: LoggerOptions = {
  redact: { paths: REDACTED_PATHS, censor: '(redacted)' },
  serializers: { err: safeError, error: safeError },
};

export function createLogger(name = 'ogas'): Logger {
  const level = process.env.OGAS_LOG_LEVEL ?? (process.env.VITEST ? 'silent' : 'info');
  return pino({ name, level, ...LOGGER_OPTIONS });
}
