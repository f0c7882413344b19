"""Peer for bench/plan.bench.ts: solves the plan LP with scipy.optimize.linprog(method="highs").

Reads the LP the bench wrote (DIR/meta.json plus raw little-endian arrays: CSC matrix and bounds),
times linprog alone, and prints one JSON object: status, objective, seconds, load_seconds.
Usage: python3 plan_linprog.py DIR [TIME_LIMIT_SECONDS]
"""
import json
import sys
import time

import numpy as np
import scipy.sparse as sp
from scipy.optimize import linprog


def main() -> None:
    folder = sys.argv[1]
    time_limit = float(sys.argv[2]) if len(sys.argv) > 2 else 600.0
    started = time.perf_counter()
    with open(f"{folder}/meta.json", encoding="utf8") as f:
        meta = json.load(f)
    read = lambda name, dtype: np.fromfile(f"{folder}/{name}.bin", dtype=dtype)
    rows, cols = meta["rows"], meta["cols"]
    a = sp.csc_matrix((read("values", "<f8"), read("rowIndex", "<i4"), read("colStart", "<i4")), shape=(rows, cols)).tocsr()
    c = read("objective", "<f8")
    row_lower, row_upper = read("rowLower", "<f8"), read("rowUpper", "<f8")
    col_lower, col_upper = read("colLower", "<f8"), read("colUpper", "<f8")
    if meta["sense"] == "max":
        c = -c
    # linprog takes A_ub x <= b_ub and A_eq x = b_eq: split each two-sided row into its finite sides.
    eq = row_lower == row_upper
    up = np.isfinite(row_upper) & ~eq
    lo = np.isfinite(row_lower) & ~eq
    a_ub = sp.vstack([a[up], -a[lo]]).tocsr()
    b_ub = np.concatenate([row_upper[up], -row_lower[lo]])
    bounds = np.column_stack([np.where(np.isfinite(col_lower), col_lower, -np.inf), np.where(np.isfinite(col_upper), col_upper, np.inf)])
    load_seconds = time.perf_counter() - started
    t0 = time.perf_counter()
    res = linprog(
        c,
        A_ub=a_ub if a_ub.shape[0] > 0 else None,
        b_ub=b_ub if a_ub.shape[0] > 0 else None,
        A_eq=a[eq] if eq.any() else None,
        b_eq=row_lower[eq] if eq.any() else None,
        bounds=bounds,
        method="highs",
        options={"time_limit": time_limit},
    )
    seconds = time.perf_counter() - t0
    objective = float(res.fun) if res.fun is not None else None
    if objective is not None and meta["sense"] == "max":
        objective = -objective
    print(json.dumps({"status": int(res.status), "message": res.message, "objective": objective, "seconds": seconds, "load_seconds": load_seconds}))


if __name__ == "__main__":
    main()
