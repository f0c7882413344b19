// Which LP column is which activity, investment, stock or objective variable, and which row is which constraint.
import type { HarmonyPieces } from '../../numeric/harmony/harmony-pwl';
import type { LinearProgram } from '../../numeric/lp/lp';
import type { CompiledPlan } from './compiled-plan';

/**
 * Positions are period-major: activity of technology j in period t is column t·nT + j; the balance of
 * product p in period t is row t·nP + p. Other arrays hold −1 where the variable or row does not exist.
 */
export interface PlanIndex {
  nT: number;
  nP: number;
  nS: number;
  nR: number;
  nK: number;
  periods: number;
  /** True for the elastic (minimal relaxation) programme. */
  elastic: boolean;
  /** Column of investment in stock k in period t (t·nK + k); −1 when it could not be used in the horizon. */
  investCol: Int32Array;
  /** Stock k in period t is column stockStart + t·nK + k. */
  stockStart: number;
  /** λ column per period (shared by every period unless per-period assortment). */
  lambdaCol: Int32Array;
  /** Harmony: the product-period (t·nP + p) of each target with a piecewise-linear harmony term. */
  harmonyTarget: Int32Array;
  /** Segment k of harmony term q is column segmentStart + q·segmentsPerTarget + k. */
  segmentStart: number;
  segmentsPerTarget: number;
  skillRow: Int32Array;
  resourceRow: Int32Array;
  /** Capacity rows exist only in the elastic programme; otherwise capacity is the activity's upper bound. */
  capacityRow: Int32Array;
  /** Row perUnit·x − K ≤ 0 of stock k in period t is stockUseStart + t·nK + k. */
  stockUseStart: number;
  /** Row Kₜ − (1−d)Kₜ₋₁ − Iₜ₋lag ≤ 0 (t ≥ 2). */
  stockBalanceRow: Int32Array;
  /** Elastic only: K₁ − σ ≤ initial. */
  initialStockRow: Int32Array;
  /** Elastic slack columns, −1 where absent. */
  slack: {
    balance: Int32Array;
    skill: Int32Array;
    resource: Int32Array;
    capacity: Int32Array;
    initialStock: Int32Array;
  };
}

export interface PlanFormulation {
  plan: CompiledPlan;
  lp: LinearProgram;
  index: PlanIndex;
  /** The breakpoints of harmony's interpolant, for the harmony objective. */
  pieces: HarmonyPieces | null;
}

export const activityCol = (ix: PlanIndex, j: number, t: number): number => t * ix.nT + j;
export const stockCol = (ix: PlanIndex, k: number, t: number): number => ix.stockStart + t * ix.nK + k;
export const stockUseRow = (ix: PlanIndex, k: number, t: number): number => ix.stockUseStart + t * ix.nK + k;
