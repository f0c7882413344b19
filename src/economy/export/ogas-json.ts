// Writes an EconomyModel as OGAS economy JSON, the format importOgasJson reads back unchanged.
import type { EconomyModel } from '../economy';

export function exportEconomyJson(model: EconomyModel): string {
  return `${JSON.stringify(model, null, 2)}\n`;
}
