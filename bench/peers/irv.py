# Peer for the tabulation benchmark: a straightforward instant-runoff count in plain Python.
# Usage: python3 irv.py DIR N_CANDIDATES
# DIR holds offsets.i32 (ballot b owns choices[offsets[b]:offsets[b+1]], first choice first) and
# choices.u16, written by the TypeScript side. Each ballot sits in the pile of its current choice; a
# round eliminates the candidate with the fewest votes (ties: the highest index, as "candidate order")
# and moves only that pile. Prints the winner, every round's tally and the seconds spent counting.
import json
import resource
import sys
import time
from array import array


def main() -> None:
    folder, n = sys.argv[1], int(sys.argv[2])
    offsets = array("i")
    choices = array("H")
    with open(f"{folder}/offsets.i32", "rb") as f:
        offsets.frombytes(f.read())
    with open(f"{folder}/choices.u16", "rb") as f:
        choices.frombytes(f.read())
    ballots = len(offsets) - 1

    started = time.perf_counter()
    position = list(offsets[:-1])
    ends = offsets[1:]
    piles = [[] for _ in range(n)]
    for b in range(ballots):
        if position[b] < ends[b]:
            piles[choices[position[b]]].append(b)
    continuing = [True] * n
    rounds = []
    winner = None
    while True:
        tally = {c: len(piles[c]) for c in range(n) if continuing[c]}
        rounds.append(tally)
        active = sum(tally.values())
        leader = max(tally, key=lambda c: (tally[c], -c))
        if 2 * tally[leader] > active or len(tally) == 1:
            winner = leader
            break
        fewest = min(tally.values())
        loser = max(c for c in tally if tally[c] == fewest)
        continuing[loser] = False
        for b in piles[loser]:
            p = position[b] + 1
            end = ends[b]
            while p < end and not continuing[choices[p]]:
                p += 1
            position[b] = p
            if p < end:
                piles[choices[p]].append(b)
        piles[loser] = []
    seconds = time.perf_counter() - started
    print(
        json.dumps(
            {
                "winner": winner,
                "rounds": [{str(c): v for c, v in r.items()} for r in rounds],
                "seconds": seconds,
                "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
            }
        )
    )


if __name__ == "__main__":
    main()
