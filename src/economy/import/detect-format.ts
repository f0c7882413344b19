// Recognises which economy format a file is in, from its content first and its name second.
import { DomainError } from '../../core/errors';
import { toText } from './csv-text';
import type { ImportFormat } from './import-result';

const ZIP_MAGIC = 'PK\u0003\u0004';

export function detectFormat(filename: string | undefined, content: Buffer | string): ImportFormat {
  const head = typeof content === 'string' ? content.slice(0, 4) : content.subarray(0, 4).toString('latin1');
  if (head === ZIP_MAGIC || /\.xlsx$/i.test(filename ?? '')) return 'wiod-xlsx';
  const text = toText(content).trimStart();
  if (text.startsWith('{')) {
    let doc: unknown;
    try {
      doc = JSON.parse(text);
    } catch {
      // Broken JSON either way: the JSON importer refuses it with the parser's message and position.
      return 'ogas-json';
    }
    if (typeof doc === 'object' && doc !== null) {
      if ('A' in doc || 'direct_labour_l' in doc) return 'matrix-json';
      if ('technologies' in doc || 'products' in doc) return 'ogas-json';
    }
  } else {
    const header = (text.split(/\r?\n/, 1)[0] ?? '').split(',').map((h) => h.trim().replace(/^"|"$/g, ''));
    if (header.includes('record')) return 'ogas-csv';
    if (header.includes('iotables_row') || header.includes('output_bp')) return 'iot-csv';
  }
  throw new DomainError('invalid', `cannot tell the format of ${filename ?? 'the file'}`, {
    issues: [{ field: 'format', message: 'not recognised from the content or the file name' }],
    fix: 'name the format explicitly: ogas-json, ogas-csv, iot-csv, wiod-xlsx or matrix-json',
  });
}
