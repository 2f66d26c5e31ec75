#!/usr/bin/env python3
"""Independent breadth-first search of the p2p-scale model, written from its description (README.md).

It shares no code with vfio-mc or SPIN: its counts of distinct states, transitions and BFS depth are the third
opinion that established the equality of p2p-scale.vmc and p2p-scale.pml. Usage: reference-count.py N
(N <= 5 in seconds to a minute; N = 6 needs hours and tens of GB).
"""
import sys

N = int(sys.argv[1]) if len(sys.argv) > 1 else 4
D = 1
NONE = N
ERROR, STOP, RUNNING, STOP_COPY, RESUMING, RUNNING_P2P, PRE_COPY, PRE_COPY_P2P = range(8)


def initiates(s): return s in (RUNNING, PRE_COPY)
def accepts(s): return s in (RUNNING, RUNNING_P2P, PRE_COPY, PRE_COPY_P2P)
def saving(s): return s in (PRE_COPY, PRE_COPY_P2P, STOP_COPY)
def tracks(s): return s in (PRE_COPY, PRE_COPY_P2P)


def put(t, i, v):
    l = list(t)
    l[i] = v
    return tuple(l)


def successors(state):
    st, tg, da, vm = state
    out = []
    for i in range(N):                                           # issue(i, j)
        for j in range(N):
            if i != j and initiates(st[i]) and tg[i] == NONE:
                out.append((st, put(tg, i, j), da, vm))
    for i in range(N):                                           # deliver(i)
        if tg[i] != NONE:
            j = tg[i]
            assert accepts(st[j]), "NoP2PToStoppedPeer"
            da2 = put(da, j, da[j] + 1) if tracks(st[j]) and da[j] < D else da
            out.append((st, put(tg, i, NONE), da2, vm))
    for d in range(N):
        if tracks(st[d]) and da[d] < D:                          # dirty(d)
            out.append((st, tg, put(da, d, da[d] + 1), vm))
        if not vm and st[d] == RUNNING:                          # save_setup(d)
            out.append((put(st, d, PRE_COPY), tg, da, vm))
        if saving(st[d]) and da[d] > 0:                          # read_data(d)
            out.append((st, tg, put(da, d, da[d] - 1), vm))
    if not vm and all(s == PRE_COPY for s in st):                # vm_stop
        out.append((st, tg, da, True))
    for d in range(N):
        if vm and st[d] == PRE_COPY and tg[d] == NONE:           # quiesce(d)
            out.append((put(st, d, PRE_COPY_P2P), tg, da, vm))
        if st[d] == PRE_COPY_P2P and all(s != PRE_COPY for s in st):   # stop_copy(d)
            out.append((put(st, d, STOP_COPY), tg, da, vm))
        if st[d] == STOP_COPY and da[d] == 0:                    # finish(d)
            out.append((put(st, d, STOP), tg, da, vm))
    return out


init = ((RUNNING,) * N, (NONE,) * N, (0,) * N, False)
seen = {init}
frontier = [init]
transitions = depth = deadlocks = 0
while frontier:
    following = []
    for s in frontier:
        succ = successors(s)
        transitions += len(succ)
        if not succ and not all(x == STOP for x in s[0]):
            deadlocks += 1
        for t in succ:
            if t not in seen:
                seen.add(t)
                following.append(t)
    if following:
        depth += 1
    frontier = following
formula = (3 * N) ** N + (2 * N + 2) ** N - 2 ** N + 5 ** N
print(f"N={N} states={len(seen)} transitions={transitions} depth={depth} deadlocks={deadlocks} formula={formula}")
