# Peer for the balance and labour-value benchmarks: scipy's sparse direct solver, a numpy Jacobi iteration and
# scipy's Krylov solvers (GMRES, BiCGSTAB) on I - M; the TypeScript side compares against the fastest of those
# that reach the tolerance.
# Usage: python3 leontief.py DIR MODE N  (MODE balance: x = A x + d; MODE values: v = A^T v + l)
# DIR holds row_start.i32, col_index.i32, values.f64, rhs.f64 written by the TypeScript side; this writes
# x_<method>.f64 and prints one JSON object with the times, residuals and peak memory.
import json
import resource
import sys
import time

import numpy as np
import scipy.sparse as sp
import scipy.sparse.linalg as spla

SPSOLVE_MAX_N = 20_000  # SuperLU fill-in: at 10^5 products it ran > 5 CPU-minutes and 1.7 GB, so larger sizes skip it


def main() -> None:
    folder, mode, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
    tol = 1e-10
    row_start = np.fromfile(f"{folder}/row_start.i32", dtype=np.int32)
    col_index = np.fromfile(f"{folder}/col_index.i32", dtype=np.int32)
    values = np.fromfile(f"{folder}/values.f64", dtype=np.float64)
    b = np.fromfile(f"{folder}/rhs.f64", dtype=np.float64)
    A = sp.csr_matrix((values, col_index, row_start), shape=(n, n))
    M = A.T.tocsr() if mode == "values" else A  # the transpose is prepared outside the timed region
    b_norm = np.linalg.norm(b)
    out = {}

    # (b) Jacobi / Neumann iteration x <- M x + b; the step x_{k+1} - x_k is the residual of x_k.
    t = time.perf_counter()
    c = time.process_time()
    x = b.copy()
    iterations = 0
    while True:
        nxt = M @ x
        nxt += b
        iterations += 1
        residual = np.linalg.norm(nxt - x) / b_norm
        if residual <= tol or iterations >= 10_000 or not np.isfinite(residual):
            break
        x = nxt
    secs = time.perf_counter() - t
    x.tofile(f"{folder}/x_jacobi.f64")
    out["jacobi"] = {"seconds": secs, "cpu_seconds": time.process_time() - c, "iterations": iterations, "residual": float(residual)}

    # (c) Krylov solvers on I - M (building I - M is timed); scipy's stopping test is its own residual
    # estimate, so the true residual is recomputed and reported.
    for name, solver in (("gmres", spla.gmres), ("bicgstab", spla.bicgstab)):
        t = time.perf_counter()
        c = time.process_time()
        system = (sp.identity(n, format="csr") - M).tocsr()
        kwargs = {"restart": 30, "callback_type": "pr_norm"} if name == "gmres" else {}
        count = [0]

        def step(_):
            count[0] += 1

        y, info = solver(system, b, rtol=tol, atol=0.0, maxiter=2000, callback=step, **kwargs)
        secs = time.perf_counter() - t
        cpu_secs = time.process_time() - c
        res = np.linalg.norm(y - M @ y - b) / b_norm
        y.tofile(f"{folder}/x_{name}.f64")
        out[name] = {"seconds": secs, "cpu_seconds": cpu_secs, "iterations": count[0], "residual": float(res), "info": int(info)}

    # (a) sparse LU of I - M.
    if n <= SPSOLVE_MAX_N:
        t = time.perf_counter()
        c = time.process_time()
        system = (sp.identity(n, format="csc") - M.tocsc()).tocsc()
        y = spla.spsolve(system, b)
        secs = time.perf_counter() - t
        res = np.linalg.norm(y - M @ y - b) / b_norm
        y.tofile(f"{folder}/x_spsolve.f64")
        out["spsolve"] = {"seconds": secs, "cpu_seconds": time.process_time() - c, "iterations": 1, "residual": float(res)}
    else:
        out["spsolve"] = {"skipped": f"n = {n} > {SPSOLVE_MAX_N}: SuperLU fill-in makes it too slow and memory-hungry"}

    out["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps(out))


if __name__ == "__main__":
    main()
