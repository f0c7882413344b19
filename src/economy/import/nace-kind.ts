// Guesses a product's kind from an industry code (NACE/CPA sections) or name, for I-O table imports.
import type { ProductKind } from '../economy';

const GOODS_SECTION = /^[a-f](\d|[-_]|$)/i;
const SERVICE_SECTION = /^[g-u](\d|[-_]|$)/i;

/**
 * NACE sections A–F (agriculture, mining, manufacturing, energy, water, construction) make
 * means of production; G–U are services. Codes that are not NACE-like fall back on the name:
 * "service" in it means a service, anything else a means of production. I-O tables do not say
 * which products are consumer goods, so that kind is never guessed.
 */
export function kindFromIndustry(code: string, name: string): ProductKind {
  const bare = code.replace(/^cpa_/i, '');
  if (GOODS_SECTION.test(bare)) return 'means-of-production';
  if (SERVICE_SECTION.test(bare)) return 'service';
  return /servic/i.test(name) ? 'service' : 'means-of-production';
}
