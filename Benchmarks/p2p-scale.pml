/*
 * p2p-scale.pml: the Promela twin of p2p-scale.vmc (see README.md in this directory).
 *
 * N devices doing peer-to-peer DMA while a QEMU-like orchestrator migrates them with the VFIO v2
 * protocol (PRE_COPY, then PRE_COPY_P2P on every device, then STOP_COPY one by one, then STOP).
 *
 * The twin has exactly the distinct states of the vfio-mc model:
 *   - one process whose only control location is the head of one do-loop; every loop alternative is a
 *     single d_step (one guard, then the updates), so every transition leaves the pc where it was and
 *     SPIN's state vector holds nothing but the model variables (and a constant process header);
 *   - each ground action of the vfio-mc model (each parameter combination) is one alternative;
 *   - no scratch variables (a local would be part of the state, and SPIN refuses `hidden` ones with
 *     -DNCORE): deliver reads the target through tgt[d] before it clears it, which is what vfio-mc's
 *     parallel assignment means;
 *   - the do-loop has no `end` label: a state without a successor is reported by SPIN as an invalid end
 *     state, like vfio-mc's deadlock check; the legitimate terminal states (every device in STOP) get a
 *     self-loop alternative, which adds a transition but no state.
 * The only encoding difference: vfio-mc's enum State is a byte holding the v2 uAPI number here.
 *
 * Build: spin -DN=6 -a p2p-scale.pml && gcc -O2 -DSAFETY -DNOFAIR -o pan pan.c && ./pan -m5500000 -w27
 * (the DFS reaches depth 4,604,955 at N=6; run.sh chooses -m and -w for each N).
 * N is a macro (1 .. 8, default 5).
 */

#ifndef N
#define N 5
#endif
#define D    1          /* bound of each device's unread migration data */
#define NONE N          /* tgt[i] == NONE: device i has no P2P write in flight */

/* VFIO v2 device states (enum vfio_device_mig_state) */
#define ERROR        0
#define STOP         1
#define RUNNING      2
#define STOP_COPY    3
#define RESUMING     4
#define RUNNING_P2P  5
#define PRE_COPY     6
#define PRE_COPY_P2P 7

byte st[N]  = RUNNING;  /* device state */
byte tgt[N] = NONE;     /* peer targeted by the device's outstanding P2P write, or NONE */
byte dat[N] = 0;        /* migration data produced and not yet read by userspace, 0 .. D */
bool vmstop = false;    /* the orchestrator has stopped the VM (vCPUs) */

#define INITIATES(s) ((s) == RUNNING || (s) == PRE_COPY)
#define ACCEPTS(s)   ((s) == RUNNING || (s) == RUNNING_P2P || (s) == PRE_COPY || (s) == PRE_COPY_P2P)
#define SAVING(s)    ((s) == PRE_COPY || (s) == PRE_COPY_P2P || (s) == STOP_COPY)
#define TRACKS(s)    ((s) == PRE_COPY || (s) == PRE_COPY_P2P)

#define IS_PRE_COPY(d)     (st[d] == PRE_COPY)
#define NOT_PRE_COPY(d)    (st[d] != PRE_COPY)
#define IS_STOP(d)         (st[d] == STOP)

#if N == 1
#define FOREACH(M) M(0)
#define ALL(P) (P(0))
#define PAIRS(M)
#elif N == 2
#define FOREACH(M) M(0) M(1)
#define ALL(P) (P(0) && P(1))
#define PAIRS(M) M(0,1) M(1,0)
#elif N == 3
#define FOREACH(M) M(0) M(1) M(2)
#define ALL(P) (P(0) && P(1) && P(2))
#define PAIRS(M) M(0,1) M(0,2) M(1,0) M(1,2) M(2,0) M(2,1)
#elif N == 4
#define FOREACH(M) M(0) M(1) M(2) M(3)
#define ALL(P) (P(0) && P(1) && P(2) && P(3))
#define PAIRS(M) M(0,1) M(0,2) M(0,3) M(1,0) M(1,2) M(1,3) M(2,0) M(2,1) M(2,3) M(3,0) M(3,1) M(3,2)
#elif N == 5
#define FOREACH(M) M(0) M(1) M(2) M(3) M(4)
#define ALL(P) (P(0) && P(1) && P(2) && P(3) && P(4))
#define PAIRS(M) M(0,1) M(0,2) M(0,3) M(0,4) M(1,0) M(1,2) M(1,3) M(1,4) M(2,0) M(2,1) M(2,3) M(2,4) M(3,0) M(3,1) \
                 M(3,2) M(3,4) M(4,0) M(4,1) M(4,2) M(4,3)
#elif N == 6
#define FOREACH(M) M(0) M(1) M(2) M(3) M(4) M(5)
#define ALL(P) (P(0) && P(1) && P(2) && P(3) && P(4) && P(5))
#define PAIRS(M) M(0,1) M(0,2) M(0,3) M(0,4) M(0,5) M(1,0) M(1,2) M(1,3) M(1,4) M(1,5) M(2,0) M(2,1) M(2,3) M(2,4) \
                 M(2,5) M(3,0) M(3,1) M(3,2) M(3,4) M(3,5) M(4,0) M(4,1) M(4,2) M(4,3) M(4,5) M(5,0) M(5,1) M(5,2) \
                 M(5,3) M(5,4)
#elif N == 7
#define FOREACH(M) M(0) M(1) M(2) M(3) M(4) M(5) M(6)
#define ALL(P) (P(0) && P(1) && P(2) && P(3) && P(4) && P(5) && P(6))
#define PAIRS(M) M(0,1) M(0,2) M(0,3) M(0,4) M(0,5) M(0,6) M(1,0) M(1,2) M(1,3) M(1,4) M(1,5) M(1,6) M(2,0) M(2,1) \
                 M(2,3) M(2,4) M(2,5) M(2,6) M(3,0) M(3,1) M(3,2) M(3,4) M(3,5) M(3,6) M(4,0) M(4,1) M(4,2) M(4,3) \
                 M(4,5) M(4,6) M(5,0) M(5,1) M(5,2) M(5,3) M(5,4) M(5,6) M(6,0) M(6,1) M(6,2) M(6,3) M(6,4) M(6,5)
#elif N == 8
#define FOREACH(M) M(0) M(1) M(2) M(3) M(4) M(5) M(6) M(7)
#define ALL(P) (P(0) && P(1) && P(2) && P(3) && P(4) && P(5) && P(6) && P(7))
#define PAIRS(M) M(0,1) M(0,2) M(0,3) M(0,4) M(0,5) M(0,6) M(0,7) M(1,0) M(1,2) M(1,3) M(1,4) M(1,5) M(1,6) M(1,7) \
                 M(2,0) M(2,1) M(2,3) M(2,4) M(2,5) M(2,6) M(2,7) M(3,0) M(3,1) M(3,2) M(3,4) M(3,5) M(3,6) M(3,7) \
                 M(4,0) M(4,1) M(4,2) M(4,3) M(4,5) M(4,6) M(4,7) M(5,0) M(5,1) M(5,2) M(5,3) M(5,4) M(5,6) M(5,7) \
                 M(6,0) M(6,1) M(6,2) M(6,3) M(6,4) M(6,5) M(6,7) M(7,0) M(7,1) M(7,2) M(7,3) M(7,4) M(7,5) M(7,6)
#else
#error "p2p-scale.pml supports N = 1 .. 8"
#endif

/* action issue(i, j): device i starts a P2P write to peer j */
#define ISSUE(i, k) \
  :: d_step { (INITIATES(st[i]) && tgt[i] == NONE) -> tgt[i] = k }

#define DEVICE(d) \
  /* action deliver(d): the write of device d reaches its target */ \
  :: d_step { (tgt[d] != NONE) -> \
       assert(ACCEPTS(st[tgt[d]])); /* NoP2PToStoppedPeer */ \
       if \
       :: (TRACKS(st[tgt[d]]) && dat[tgt[d]] < D) -> dat[tgt[d]] = dat[tgt[d]] + 1 \
       :: else -> skip \
       fi; \
       tgt[d] = NONE } \
  /* action dirty(d): the device changes its internal state during pre-copy */ \
  :: d_step { (TRACKS(st[d]) && dat[d] < D) -> dat[d] = dat[d] + 1 } \
  /* action save_setup(d): RUNNING -> PRE_COPY, opens the saving session */ \
  :: d_step { (!vmstop && st[d] == RUNNING) -> st[d] = PRE_COPY } \
  /* action read_data(d): userspace reads one unit of migration data */ \
  :: d_step { (SAVING(st[d]) && dat[d] > 0) -> dat[d] = dat[d] - 1 } \
  /* action quiesce(d): PRE_COPY -> PRE_COPY_P2P; the arc returns once d has no P2P write in flight */ \
  :: d_step { (vmstop && st[d] == PRE_COPY && tgt[d] == NONE) -> st[d] = PRE_COPY_P2P } \
  /* action stop_copy(d): PRE_COPY_P2P -> STOP_COPY once no device is left in PRE_COPY */ \
  :: d_step { (st[d] == PRE_COPY_P2P && ALL(NOT_PRE_COPY)) -> st[d] = STOP_COPY } \
  /* action finish(d): the stream is read to the end, STOP_COPY -> STOP */ \
  :: d_step { (st[d] == STOP_COPY && dat[d] == 0) -> st[d] = STOP }

active proctype p2p_scale()
{
  do
  PAIRS(ISSUE)
  FOREACH(DEVICE)
  /* action vm_stop: every device has entered pre-copy; the orchestrator stops the vCPUs */
  :: d_step { (!vmstop && ALL(IS_PRE_COPY)) -> vmstop = true }
  /* terminal: every device in STOP (a self-loop, so that SPIN does not see an invalid end state) */
  :: d_step { ALL(IS_STOP) -> skip }
  od
}
