"""Peer for bench/lp-solvers.bench.ts: solves a generic LP with scipy.optimize.linprog(method="highs").

Reads DIR/meta.json ({"rows","cols","sense"}) and raw little-endian arrays DIR/NAME.bin (CSC colStart,
rowIndex, values; objective; rowLower, rowUpper, colLower, colUpper with IEEE infinities), times linprog
alone and prints one JSON object: status, objective, seconds.
Usage: python3 lp_linprog.py DIR [TIME_LIMIT_SECONDS]
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
    with open(f"{folder}/meta.json", encoding="utf8") as f:
        meta = json.load(f)

    def read(name: str, dtype: str) -> np.ndarray:
        return np.fromfile(f"{folder}/{name}.bin", dtype=dtype)

    rows, cols = meta["rows"], meta["cols"]
    a = sp.csc_matrix((read("values", "<f8"), read("rowIndex", "<i4"), read("colStart", "<i4")), shape=(rows, cols)).tocsr()
    sign = -1.0 if meta["sense"] == "max" else 1.0
    c = sign * read("objective", "<f8")
    row_lower, row_upper = read("rowLower", "<f8"), read("rowUpper", "<f8")
    bounds = np.column_stack([read("colLower", "<f8"), read("colUpper", "<f8")])
    # linprog takes A_ub x <= b_ub and A_eq x = b_eq: split each two-sided row into its finite sides.
    eq = row_lower == row_upper
    up = np.isfinite(row_upper) & ~eq
    lo = np.isfinite(row_lower) & ~eq
    a_ub = sp.vstack([a[up], -a[lo]]).tocsr()
    b_ub = np.concatenate([row_upper[up], -row_lower[lo]])
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
    objective = None if res.fun is None else sign * float(res.fun)
    print(json.dumps({"status": int(res.status), "objective": objective, "seconds": seconds}))


if __name__ == "__main__":
    main()
