// File content carried in an operation's input: text as is, binary (xlsx) as base64.
import { z } from 'zod';

export const fileContentSchema = z.object({
  content: z
    .string()
    .min(1, 'the file is empty')
    .describe('the file: text as is, or base64 when encoding is "base64"'),
  encoding: z.enum(['utf8', 'base64']).default('utf8'),
});

export function fileBytes(input: { content: string; encoding: 'utf8' | 'base64' }): Buffer {
  return input.encoding === 'base64'
    ? Buffer.from(input.content, 'base64')
    : Buffer.from(input.content, 'utf8');
}
