"""Peer for bench/lp-solvers.bench.ts: reads a free-format MPS file and solves it with
scipy.optimize.linprog(method="highs"), so scipy's HiGHS sees exactly the file the other solvers read.

scipy has no MPS reader, so this script parses free MPS itself (numpy and scipy only): ROWS N/E/L/G, COLUMNS,
RHS (including the objective offset), RANGES and BOUNDS UP/LO/FX/FR/MI/PL. It times linprog alone and prints one
JSON object: status, objective, seconds, cpu_seconds (of this process, every thread), parse_seconds.
Usage: python3 lp_mps.py FILE.mps [TIME_LIMIT_SECONDS] [METHOD]   (METHOD: highs, highs-ds or highs-ipm)
"""
import json
import sys
import time

import numpy as np
import scipy.sparse as sp
from scipy.optimize import linprog


def parse_mps(path):
    section = None
    obj_row = None
    sense = 1.0
    row_id, row_type = {}, []
    col_id = {}
    cost, lower, upper = [], [], []
    ri, ci, vals = [], [], []
    rhs, rng = {}, {}
    offset = 0.0
    with open(path, encoding="utf8") as f:
        for raw in f:
            if not raw.strip() or raw.startswith("*"):
                continue
            fields = raw.split()
            if not raw[0].isspace():
                section = fields[0]
                if section == "ENDATA":
                    break
                continue
            if section == "OBJSENSE":
                sense = -1.0 if fields[0].startswith("MAX") else 1.0
            elif section == "ROWS":
                kind, name = fields
                if kind == "N" and obj_row is None:
                    obj_row = name
                else:
                    row_id[name] = len(row_type)
                    row_type.append(kind)
            elif section == "COLUMNS":
                name = fields[0]
                j = col_id.get(name)
                if j is None:
                    j = col_id[name] = len(cost)
                    cost.append(0.0)
                    lower.append(0.0)
                    upper.append(np.inf)
                for k in range(1, len(fields) - 1, 2):
                    r, v = fields[k], float(fields[k + 1])
                    if r == obj_row:
                        cost[j] = v
                    else:
                        ri.append(row_id[r])
                        ci.append(j)
                        vals.append(v)
            elif section in ("RHS", "RANGES"):
                start = 1 if len(fields) % 2 == 1 else 0
                for k in range(start, len(fields) - 1, 2):
                    r, v = fields[k], float(fields[k + 1])
                    if section == "RHS" and r == obj_row:
                        offset = -v
                    else:
                        (rhs if section == "RHS" else rng)[row_id[r]] = v
            elif section == "BOUNDS":
                kind = fields[0]
                if kind in ("FR", "MI", "PL"):
                    j = col_id[fields[-1]]
                    if kind == "FR":
                        lower[j], upper[j] = -np.inf, np.inf
                    elif kind == "MI":
                        lower[j] = -np.inf
                    else:
                        upper[j] = np.inf
                else:
                    j, v = col_id[fields[-2]], float(fields[-1])
                    if kind == "UP":
                        upper[j] = v
                        if v < 0 and lower[j] == 0:
                            lower[j] = -np.inf
                    elif kind == "LO":
                        lower[j] = v
                    elif kind == "FX":
                        lower[j] = upper[j] = v
    m, n = len(row_type), len(cost)
    a = sp.csr_matrix((vals, (ri, ci)), shape=(m, n))
    row_lower = np.full(m, -np.inf)
    row_upper = np.full(m, np.inf)
    for i, kind in enumerate(row_type):
        b = rhs.get(i, 0.0)
        if kind in ("E", "G"):
            row_lower[i] = b
        if kind in ("E", "L"):
            row_upper[i] = b
        if i in rng:
            r = rng[i]
            if kind == "L":
                row_lower[i] = b - abs(r)
            elif kind == "G":
                row_upper[i] = b + abs(r)
            elif r >= 0:
                row_upper[i] = b + r
            else:
                row_lower[i] = b + r
    return sense, np.array(cost), offset, a, row_lower, row_upper, np.array(lower), np.array(upper)


def main() -> None:
    path = sys.argv[1]
    time_limit = float(sys.argv[2]) if len(sys.argv) > 2 else 600.0
    method = sys.argv[3] if len(sys.argv) > 3 else "highs"
    t0 = time.perf_counter()
    sense, c, offset, a, row_lower, row_upper, col_lower, col_upper = parse_mps(path)
    # linprog takes A_ub x <= b_ub and A_eq x = b_eq: split each two-sided row into its finite sides.
    eq = row_lower == row_upper
    up = np.isfinite(row_upper) & ~eq
    lo = np.isfinite(row_lower) & ~eq
    a_ub = sp.vstack([a[up], -a[lo]]).tocsr()
    b_ub = np.concatenate([row_upper[up], -row_lower[lo]])
    parse_seconds = time.perf_counter() - t0
    t1 = time.perf_counter()
    c1 = time.process_time()
    res = linprog(
        sense * c,
        A_ub=a_ub if a_ub.shape[0] > 0 else None,
        b_ub=b_ub if a_ub.shape[0] > 0 else None,
        A_eq=a[eq] if eq.any() else None,
        b_eq=row_lower[eq] if eq.any() else None,
        bounds=np.column_stack([col_lower, col_upper]),
        method=method,
        options={"time_limit": time_limit},
    )
    seconds = time.perf_counter() - t1
    cpu_seconds = time.process_time() - c1
    objective = None if res.fun is None else sense * float(res.fun) + offset
    print(json.dumps({"status": int(res.status), "objective": objective, "seconds": seconds, "cpu_seconds": cpu_seconds, "parse_seconds": parse_seconds}))


if __name__ == "__main__":
    main()
