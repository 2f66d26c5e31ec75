/*
 * deep.pml: the Promela twin of deep.vmc (see README.md in this directory).
 *
 * Four counters 0..K, each incremented by its own action: (K+1)^4 distinct states, depth 4K. As in
 * p2p-scale.pml, one process whose body is one do-loop of single d_steps (so SPIN's state vector holds the
 * four counters and a constant process header), and no `end` label: the one state without successors
 * (every counter at K) gets a self-loop alternative, so that it is not an invalid end state, which adds a
 * transition and no state. The depth-first search goes at most 4K + 1 steps deep.
 *
 * Build: spin -DK=70 -a deep.pml && gcc -O2 -DSAFETY -DNOFAIR -o pan pan.c && ./pan -m1000 -w26
 * K is a macro (1 .. 255, default 20).
 */

#ifndef K
#define K 20
#endif

byte a = 0;
byte b = 0;
byte c = 0;
byte d = 0;

active proctype deep()
{
  do
  :: d_step { (a < K) -> a = a + 1 }
  :: d_step { (b < K) -> b = b + 1 }
  :: d_step { (c < K) -> c = c + 1 }
  :: d_step { (d < K) -> d = d + 1 }
  /* terminal: every counter at K (a self-loop, so that SPIN does not see an invalid end state) */
  :: d_step { (a == K && b == K && c == K && d == K) -> skip }
  od
}
