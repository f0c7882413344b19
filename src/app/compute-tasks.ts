// Every task the compute pool runs: operation name (or role) → the pure function a worker calls. The workers
// import this module, so it must stay free of services and I/O.
import type { TaskRegistry } from '../core/compute-task';
import { parseReadingsCsv } from '../cybernet/readings-csv';
import { evaluateTask } from '../cyberstride/evaluation.operations';
import { nabTask } from '../cyberstride/nab.operations';
import { analyzeFileTask, analyzeModelTask } from '../economy/analysis.operations';
import { extractTextTask } from '../library/extract-text';
import { importEconomy, type ImportEconomyOptions } from '../economy/import/import-economy';
import { countTask } from '../participation/count.operations';
import { countPabulibTask } from '../participation/budget.operations';
import { labourValuesTask } from '../participation/budget-scenario';
import { exportBltTask, tabulateTask } from '../participation/tabulate.operations';
import { fiveYearTask } from '../planning/fiveyear.operations';
import { solvePlanTask } from '../planning/plan-solve-task';
import { closeRoundTask } from '../planning/rounds/round-close';

/** Parses an economy file; `content` arrives as bytes (a Buffer becomes a Uint8Array across threads). */
function parseEconomyTask(i: { content: Uint8Array; options: ImportEconomyOptions }) {
  return importEconomy(Buffer.from(i.content.buffer, i.content.byteOffset, i.content.byteLength), i.options);
}

export const COMPUTE_TASKS = {
  'economy.parse': parseEconomyTask,
  'readings.parse-csv': parseReadingsCsv,
  'economy.analyze': analyzeFileTask,
  'economy.analysis': analyzeModelTask,
  'planning.solve': solvePlanTask,
  'planning.fiveyear': fiveYearTask,
  'planning.rounds.close': closeRoundTask,
  'monitor.evaluate': evaluateTask,
  'monitor.nab': nabTask,
  'vote.count': countTask,
  'vote.tabulate': tabulateTask,
  'vote.export-blt': exportBltTask,
  'library.extract': extractTextTask,
  'budget.count-pabulib': countPabulibTask,
  'budget.labour-values': labourValuesTask,
} satisfies TaskRegistry;
