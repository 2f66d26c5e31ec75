-- deep.m: the Murphi twin of deep.vmc, for Rumur (see README.md in this directory).
--
-- Four counters 0..K, each incremented by its own rule: (K+1)^4 distinct states, depth 4K. The one state
-- without successors (every counter at K) gets a rule that changes nothing, so that Rumur's deadlock check
-- in `stuck` mode does not report it (it is vfio-mc's `terminal`). Murphi has no preprocessor: run.sh
-- rewrites the `K: 20;` line below for other sizes.
--
-- Build: rumur --deadlock-detection stuck --threads 1 --output deep.c deep.m
--        cc -O3 -o deep deep.c -lpthread && ./deep

const
  K: 20;               -- counter bound (run.sh substitutes its -n)

type
  Count: 0..K;

var
  a: Count;
  b: Count;
  c: Count;
  d: Count;

startstate "init"
begin
  a := 0; b := 0; c := 0; d := 0;
endstartstate;

rule "incA" a < K ==> begin a := a + 1; endrule;
rule "incB" b < K ==> begin b := b + 1; endrule;
rule "incC" c < K ==> begin c := c + 1; endrule;
rule "incD" d < K ==> begin d := d + 1; endrule;

-- terminal: every counter at K (a rule that changes nothing, so that this is no deadlock)
rule "terminal" a = K & b = K & c = K & d = K ==> begin endrule;
