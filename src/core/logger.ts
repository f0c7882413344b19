// The one logger (pino). Quiet in tests, JSON lines in production, level from OGAS_LOG_LEVEL.
import { pino, type Logger } from 'pino';

export function createLogger(name = 'ogas'): Logger {
  const level = process.env.OGAS_LOG_LEVEL ?? (process.env.VITEST ? 'silent' : 'info');
  return pino({ name, level });
}
