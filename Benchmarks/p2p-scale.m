-- p2p-scale.m: the Murphi twin of p2p-scale.vmc, for Rumur (see README.md in this directory).
--
-- N devices doing peer-to-peer DMA while a QEMU-like orchestrator migrates them with the VFIO v2
-- protocol (PRE_COPY, then PRE_COPY_P2P on every device, then STOP_COPY one by one, then STOP).
--
-- The twin has exactly the distinct states of the vfio-mc model, for every N:
--   - the state is the model's variables and nothing else (Murphi has no program counter);
--   - one rule per action of the vfio-mc model, inside a ruleset over its parameters, with the same guard
--     and the same updates; Murphi's updates are sequential, so deliver reads its target into a rule-local
--     variable first (rule locals are not part of the state), which is what vfio-mc's `let` means;
--   - the legitimate terminal states (every device in STOP) get a rule that changes nothing, so that
--     Rumur's deadlock check in `stuck` mode (no enabled rule) reports exactly vfio-mc's deadlocks;
--   - the enum's names carry a V_ prefix: Murphi's keywords are case-insensitive and ERROR is one.
-- Murphi has no preprocessor: run.sh rewrites the `N: 5;` line below for other sizes.
--
-- Build: rumur --deadlock-detection stuck --threads 1 --output p2p-scale.c p2p-scale.m
--        cc -O3 -o p2p-scale p2p-scale.c -lpthread && ./p2p-scale

const
  N: 5;               -- devices (run.sh substitutes its -n)
  D: 1;               -- bound of each device's unread migration data
  NONE: N;            -- target[i] = NONE: device i has no P2P write in flight

type
  Dev: 0..N-1;
  Tgt: 0..N;
  Dat: 0..D;
  -- VFIO v2 device states, in the order of enum vfio_device_mig_state
  State: enum { V_ERROR, V_STOP, V_RUNNING, V_STOP_COPY, V_RESUMING, V_RUNNING_P2P, V_PRE_COPY,
                V_PRE_COPY_P2P };

var
  state: array [Dev] of State;
  target: array [Dev] of Tgt;   -- the peer the device's outstanding P2P write goes to
  data: array [Dev] of Dat;     -- migration data produced and not yet read by userspace
  vmStopped: boolean;           -- the orchestrator has stopped the vCPUs

function initiatesP2P(s: State): boolean; begin return s = V_RUNNING | s = V_PRE_COPY; end;
function acceptsP2P(s: State): boolean;
begin return s = V_RUNNING | s = V_RUNNING_P2P | s = V_PRE_COPY | s = V_PRE_COPY_P2P; end;
function saving(s: State): boolean; begin return s = V_PRE_COPY | s = V_PRE_COPY_P2P | s = V_STOP_COPY; end;
function tracksData(s: State): boolean; begin return s = V_PRE_COPY | s = V_PRE_COPY_P2P; end;

startstate "init"
begin
  for d: Dev do
    state[d] := V_RUNNING;
    target[d] := NONE;
    data[d] := 0;
  endfor;
  vmStopped := false;
endstartstate;

-- Devices.

ruleset i: Dev; j: Dev do
  rule "issue" i != j & initiatesP2P(state[i]) & target[i] = NONE ==>
  begin
    target[i] := j;
  endrule;
endruleset;

ruleset i: Dev do
  rule "deliver" target[i] != NONE ==>
  var k: Dev;
  begin
    k := target[i];
    assert acceptsP2P(state[k]) "NoP2PToStoppedPeer";
    target[i] := NONE;
    if tracksData(state[k]) & data[k] < D then data[k] := data[k] + 1; endif;
  endrule;
endruleset;

ruleset d: Dev do
  rule "dirty" tracksData(state[d]) & data[d] < D ==>
  begin
    data[d] := data[d] + 1;
  endrule;
endruleset;

-- The orchestrator (QEMU).

ruleset d: Dev do
  rule "save_setup" !vmStopped & state[d] = V_RUNNING ==>
  begin
    state[d] := V_PRE_COPY;
  endrule;
endruleset;

ruleset d: Dev do
  rule "read_data" saving(state[d]) & data[d] > 0 ==>
  begin
    data[d] := data[d] - 1;
  endrule;
endruleset;

rule "vm_stop" !vmStopped & (forall d: Dev do state[d] = V_PRE_COPY endforall) ==>
begin
  vmStopped := true;
endrule;

ruleset d: Dev do
  rule "quiesce" vmStopped & state[d] = V_PRE_COPY & target[d] = NONE ==>
  begin
    state[d] := V_PRE_COPY_P2P;
  endrule;
endruleset;

ruleset d: Dev do
  rule "stop_copy" state[d] = V_PRE_COPY_P2P & (forall e: Dev do state[e] != V_PRE_COPY endforall) ==>
  begin
    state[d] := V_STOP_COPY;
  endrule;
endruleset;

ruleset d: Dev do
  rule "finish" state[d] = V_STOP_COPY & data[d] = 0 ==>
  begin
    state[d] := V_STOP;
  endrule;
endruleset;

-- terminal: every device in STOP (a rule that changes nothing, so that this is no deadlock)
rule "terminal" (forall d: Dev do state[d] = V_STOP endforall) ==>
begin
endrule;
