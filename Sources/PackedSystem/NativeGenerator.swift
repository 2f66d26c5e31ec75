/// Generates C for a system's successor generation: one function, `vmc_expand`, that does what
/// `Machine.expand` does for a state (the ground actions in order, each one's guard tests, then its compiled
/// program on the packed words), translated instruction by instruction from the machine's code, so the
/// semantics are the interpreter's by construction.
///
/// The generated code never reports a failure itself: wherever the interpreter could fail (a value outside its
/// cell's type, an index out of range, an overflow, a division by zero, a false `assert`) and where the
/// successor buffer is full, the action "bails": its successors are dropped, `vmc_expand` returns the action's
/// index, and the machine runs that action in its own path (kernel or interpreter), which emits its successors
/// or reports the failure at the exact statement. So the generated code only ever produces what the
/// interpreter would, and every failure and trace is the interpreter's.
///
/// The operand stack of the machine is static at every address (the code builder emits structured code), so
/// each stack slot becomes a C local and the C compiler keeps them in registers. A `fork` (a `choose`) calls
/// one C function per alternative on its own copy of the successor under construction.
///
/// The state properties' expressions (`predicates`: invariants, goals, the two sides of `leadsto`, the terminal
/// test) are translated the same way into `vmc_evaluate`, which `Machine.evaluate` calls first: where the
/// interpreter could fail, it bails, and the interpreter evaluates the expression and reports the failure.
struct NativeGenerator {
    let wordCount: Int
    let code: [Instruction]
    let dimensions: [Dimension]
    let cellFields: [PackedField]
    let tableEntries: [Int64]
    let constantLists: [Int64]
    let forkTargets: [Int32]
    let actions: [GroundAction]
    /// The packing, for the actions' kernels (`KernelCompiler`), which `expansionOfChunk()` translates.
    let layout: StateLayout
    /// The addresses of the expression programs `vmc_evaluate` translates.
    let predicates: [Int32]

    /// Why a program cannot be translated (the machine then runs without native code).
    struct Unsupported: Error, CustomStringConvertible {
        let description: String
    }

    /// The C source of the whole expansion, or `Unsupported`.
    func source() throws -> String {
        var out = prelude()
        var functions: [Int32: String] = [:]
        var pending = actions.map(\.program)
        while let start = pending.popLast() {
            if functions[start] != nil { continue }
            let (body, forks) = try program(start)
            functions[start] = body
            pending += forks
        }
        for start in functions.keys.sorted() {
            out += "static int p\(start)(const uint64_t *restrict s, uint64_t *restrict d, vmc_ctx *c, uint32_t act);\n"
        }
        for start in functions.keys.sorted() { out += functions[start] ?? "" }
        out += expansion()
        out += expansionOfChunk()
        out += evaluation()
        return out
    }

    /// `vmc_evaluate(program, s, value)`: the expression program at address `program` on the state `s`, into
    /// `*value`; returns 0, or 1 when the interpreter must evaluate it (it could fail there, or it is not one of
    /// `predicates`). A predicate the generator cannot translate is left to the interpreter.
    private func evaluation() -> String {
        var out = ""
        var translated: [Int32] = []
        for start in Set(predicates).sorted() {
            guard let (body, _) = try? program(start, expression: true) else { continue }
            out += body
            translated.append(start)
        }
        out += "int32_t vmc_evaluate(int32_t program, const uint64_t *restrict s, int64_t *value) {\n  switch (program) {\n"
        for start in translated { out += "  case \(start): return e\(start)(s, value);\n" }
        out += "  default: return 1;\n  }\n}\n"
        return out
    }

    // MARK: The expansion

    private func prelude() -> String {
        var out = """
        #include <stdint.h>
        #include <string.h>
        typedef struct {
          uint64_t *succ; uint32_t *acts; int64_t count; int64_t cap; int64_t *fired; int64_t any;
        } vmc_ctx;
        #define W \(wordCount)
        static inline int vmc_test(uint64_t x, unsigned shift, uint64_t mask, uint64_t low, uint64_t span, uint64_t allowed) {
          uint64_t o = ((x >> shift) & mask) - low;
          return o <= span && ((allowed >> (o & 63)) & 1);
        }
        /* StateStore.hash, word for word (NativeCodeTests compares them). */
        static inline uint64_t vmc_mix(uint64_t x) {
          uint64_t z = x + UINT64_C(0x9E3779B97F4A7C15);
          z = (z ^ (z >> 30)) * UINT64_C(0xBF58476D1CE4E5B9);
          z = (z ^ (z >> 27)) * UINT64_C(0x94D049BB133111EB);
          return z ^ (z >> 31);
        }
        static inline uint64_t vmc_hash(const uint64_t *x) {
          uint64_t h = UINT64_C(0x243F6A8885A308D3);
          for (int k = 0; k < W; k++) h = vmc_mix(h ^ x[k]);
          return h;
        }

        """
        if !cellFields.isEmpty {
            out += "static const struct { int32_t word; uint32_t shift; uint64_t mask; int64_t low; int64_t count; } CF[] = {\n"
            for field in cellFields {
                out += "  {\(field.word), \(field.shift), \(hex(widthMask(field.width))), \(literal(field.lowerBound)), \(literal(field.count))},\n"
            }
            out += "};\n"
        }
        if !tableEntries.isEmpty {
            out += "static const int64_t TE[] = {" + tableEntries.map(literal).joined(separator: ",") + "};\n"
        }
        return out
    }

    /// `vmc_expand(s, start, succ, acts, io, fired)`: the actions from `start` on, in order, appending successors
    /// at `succ` (and their actions at `acts`) from `io[0]` on, up to the capacity `io[1]`; on return `io[0]` is
    /// the new count and `io[2]` whether some action produced a successor. Returns the action count when every
    /// action is done, else the index of the action the machine must run itself (its successors dropped).
    private func expansion() -> String {
        let count = actions.count
        let guards = GuardJumps(actions)
        var out = "int32_t vmc_expand(const uint64_t *restrict s, int32_t start, uint64_t *succ, uint32_t *acts, int64_t *io, int64_t *fired) {\n"
        out += "  vmc_ctx context = { succ, acts, io[0], io[1], fired, 0 }, *c = &context;\n"
        out += "  uint64_t d[W];\n  int64_t before;\n  int32_t result = \(count);\n"
        out += "  switch (start) {\n"
        for action in 0..<count { out += "  case \(action): goto A\(action);\n" }
        out += "  default: goto done;\n  }\n"
        for (index, action) in actions.enumerated() {
            out += "A\(index):\n"
            out += guards.tests(of: index, indent: "  ")
            out += "  before = c->count;\n"
            out += "  if (p\(action.program)(s, d, c, \(index))) { c->count = before; result = \(index); goto done; }\n"
            out += "  if (c->count > before) { c->fired[\(index)]++; c->any = 1; }\n"
        }
        out += "A\(count):\ndone:\n  io[0] = c->count; io[2] = c->any;\n  return result;\n}\n"
        return out
    }

    /// `vmc_expand_chunk(states, index, end, words, acts, parents, hashes, io, fired)`: the expansion of stored
    /// states `index ..< end` (at `states`, `W` words each) straight into the explorer's successor batch (words,
    /// actions, parents and hashes from `io[0]` on, up to the capacity `io[1]`), so that a chunk of the one-thread
    /// search costs one call instead of one per state and a copy. An action with a kernel (`KernelCompiler`: the
    /// machine's own, compiled the same way) runs as its kernel's steps in C, without the range checks its program
    /// has and the guard makes needless (deep's `a := a + 1` under `a < K` is one add); the others call the
    /// program's function, as `vmc_expand` does. Returns `end` when every state is done; else the state where it
    /// stopped, with `io[3]` the action the machine must run itself (it could fail, or the batch is full: its
    /// successors are dropped), or the action count when the state produced no successor (the machine then
    /// checks for a deadlock), and `io[4]` whether an earlier action of that state produced a successor. The
    /// successors of the states done, and of that state's earlier actions, are in the batch; `io[0]` is its count.
    private func expansionOfChunk() -> String {
        let count = actions.count
        let guards = GuardJumps(actions)
        var compiler = KernelCompiler(layout: layout)
        let kernels = actions.map { compiler.compile($0) }
        let steps = compiler.steps
        let table = compiler.table
        var out = "int64_t vmc_expand_chunk(const uint64_t *restrict states, int64_t index, int64_t end, uint64_t *words, "
        out += "uint32_t *acts, uint32_t *parents, uint64_t *hashes, int64_t *io, int64_t *fired) {\n"
        out += "  int64_t n = io[0], before = 0, any = 0;\n  const int64_t cap = io[1];\n  int32_t at = 0;\n"
        out += "  vmc_ctx context = { words, acts, 0, cap, fired, 0 }, *c = &context;\n"
        out += "  uint64_t d[W], *o = words;\n  (void)d; (void)c; (void)o; (void)before;\n"
        out += "  for (; index < end; index++) {\n"
        out += "    const uint64_t *restrict s = states + index * W;\n    const uint32_t parent = (uint32_t)index;\n    any = 0;\n"
        for (index, action) in actions.enumerated() {
            out += "A\(index):\n"
            out += guards.tests(of: index, indent: "    ")
            if let start = kernels[index] {
                out += "    if (n >= cap) { at = \(index); goto bail; }\n"
                out += "    o = words + n * W;\n    for (int k = 0; k < W; k++) o[k] = s[k];\n"
                out += kernelSteps(from: Int(start), steps: steps, table: table, action: index)
                out += "E\(index):\n"
                out += "    acts[n] = \(index); parents[n] = parent; hashes[n] = vmc_hash(o); n++; fired[\(index)]++; any = 1;\n"
            } else {
                out += "    before = n; c->count = n;\n"
                out += "    if (p\(action.program)(s, d, c, \(index))) { n = before; at = \(index); goto bail; }\n"
                out += "    n = c->count;\n"
                out += "    if (n > before) { for (int64_t k = before; k < n; k++) { parents[k] = parent; hashes[k] = vmc_hash(words + k * W); } "
                out += "fired[\(index)]++; any = 1; }\n"
            }
        }
        out += "A\(count):\n    if (!any) { at = \(count); goto bail; }\n  }\n"
        out += "  io[0] = n;\n  return end;\nbail:\n  io[0] = n; io[3] = at; io[4] = any;\n  return index;\n}\n"
        return out
    }

    /// The guard tests of each action as C, shared by both expansions: a failing test jumps to the label `A<k>` of
    /// the first action that does not share it (`Machine.skipTable`), as the machine's scan skips.
    private struct GuardJumps {
        let actions: [GroundAction]
        /// The index of each action's first test in the flat list of tests.
        let starts: [Int]
        let skipAt: [Int]

        init(_ actions: [GroundAction]) {
            self.actions = actions
            var starts: [Int] = [0]
            for action in actions { starts.append(starts[starts.count - 1] + action.guardTests.count) }
            self.starts = starts
            skipAt = Machine.skipTable(actions).map { Int($0) }
        }

        func tests(of index: Int, indent: String) -> String {
            var out = ""
            for (position, test) in actions[index].guardTests.enumerated() {
                let skip = skipAt[starts[index] + position]
                out += indent + "if (!vmc_test(s[\(test.word)], \(test.shift), \(NativeGenerator.hex(test.mask)), "
                out += "\(NativeGenerator.hex(test.low)), \(NativeGenerator.hex(test.span)), \(NativeGenerator.hex(test.allowed)))) goto A\(skip);\n"
            }
            return out
        }
    }

    /// The C of a kernel's steps (`Machine.runKernelSteps`, step for step) from `start`: they read the state `s`
    /// and write the successor `o` (a copy of it); the end jumps to `E<action>`, a bail to `bail` with `at` set.
    private func kernelSteps(from start: Int, steps: [KernelStep], table: [Int32], action: Int) -> String {
        var reached: Set<Int> = []
        var work = [start]
        while let step = work.popLast() {
            guard step >= 0, step < steps.count, reached.insert(step).inserted else { continue }
            let change = steps[step]
            switch change.kind {
            case .end:
                break
            case .store, .add, .offset, .require:
                work.append(step + 1)
            case .test:
                work.append(step + 1)
                work.append(Int(change.next))
            case .jump:
                work.append(Int(change.next))
            case .dispatch:
                for ordinal in 0...Int(change.sourceMask) {
                    let next = table[Int(change.next) + ordinal]
                    if next >= 0 { work.append(Int(next)) }
                }
            }
        }
        let bail = "{ at = \(action); goto bail; }"
        func label(_ step: Int) -> String { "K\(action)_\(step)" }
        func test(_ change: KernelStep) -> String {
            "vmc_test(s[\(change.sourceWord)], \(change.sourceShift), \(hex(change.sourceMask)), \(hex(UInt64(bitPattern: change.bias))), \(hex(change.count)), \(hex(change.set)))"
        }
        var out = ""
        for step in reached.sorted() {
            let change = steps[step]
            out += "\(label(step)): "
            let word = change.word
            switch change.kind {
            case .end:
                out += "goto E\(action);"
            case .store:
                out += "o[\(word)] = (o[\(word)] & ~\(hex(change.clear))) | \(hex(change.set));"
            case .add:
                out += "o[\(word)] += \(hex(change.set));"
            case .offset:
                out += "{ uint64_t v = ((s[\(change.sourceWord)] >> \(change.sourceShift)) & \(hex(change.sourceMask))) + \(hex(UInt64(bitPattern: change.bias)));"
                out += " if (v >= \(hex(change.count))) \(bail) o[\(word)] = (o[\(word)] & ~\(hex(change.clear))) | (v << \(change.shift)); }"
            case .test:
                out += "if (!\(test(change))) goto \(label(Int(change.next)));"
            case .require:
                out += "if (!\(test(change))) \(bail)"
            case .jump:
                out += "goto \(label(Int(change.next)));"
            case .dispatch:
                out += "switch ((s[\(change.sourceWord)] >> \(change.sourceShift)) & \(hex(change.sourceMask))) {"
                for ordinal in 0...Int(change.sourceMask) {
                    let next = table[Int(change.next) + ordinal]
                    if next >= 0 { out += " case \(ordinal): goto \(label(Int(next)));" }
                }
                out += " default: \(bail) }"
            }
            out += "\n"
        }
        return out
    }

    // MARK: Programs

    /// The stack depth before each instruction reachable from `start`, in the order found.
    private func depths(from start: Int32, expression: Bool = false) throws -> [Int: Int] {
        var depth: [Int: Int] = [:]
        var work: [(Int, Int)] = [(Int(start), 0)]
        func reach(_ pc: Int, _ d: Int) throws {
            guard pc >= 0, pc < code.count else { throw Unsupported(description: "jump to \(pc) outside the code") }
            if let known = depth[pc] {
                if known != d { throw Unsupported(description: "stack depth \(d) and \(known) meet at \(pc)") }
                return
            }
            guard d >= 0, d < 256 else { throw Unsupported(description: "stack depth \(d) at \(pc)") }
            depth[pc] = d
            work.append((pc, d))
        }
        depth[Int(start)] = 0
        while let (pc, d) = work.popLast() {
            let instruction = code[pc]
            if expression, Self.isActionOnly(instruction.op) {
                throw Unsupported(description: "an action's \(instruction.op) inside an expression")
            }
            switch instruction.op {
            case .constant, .field, .fieldEquals, .fieldIn, .fieldCell, .fieldTable:
                try reach(pc + 1, d + 1)
            case .cell, .table:
                try reach(pc + 1, d - Int(instruction.word) + 1)
            case .not, .negate, .inBits, .inList, .copyState, .storeConstant:
                try reach(pc + 1, d)
            case .add, .subtract, .multiply, .divide, .remainder, .equal, .notEqual, .less, .lessEqual, .greater,
                 .greaterEqual, .store, .assert:
                try reach(pc + 1, d - 1)
            case .storeCell:
                try reach(pc + 1, d - 1 - Int(instruction.word))
            case .jump:
                try reach(Int(instruction.arg), d)
            case .jumpIfFalse:
                try reach(pc + 1, d - 1)
                try reach(Int(instruction.arg), d - 1)
            case .andJump, .orJump:
                try reach(pc + 1, d - 1)
                try reach(Int(instruction.arg), d)
            case .result:
                guard expression else { throw Unsupported(description: "an expression's result inside an action program") }
            case .fork, .emit, .abandon:
                break
            }
        }
        return depth
    }

    /// Whether only an action's program holds this instruction (it builds, emits or abandons a successor, or
    /// checks an `assert`): an expression holding one is not translated.
    private static func isActionOnly(_ op: Opcode) -> Bool {
        switch op {
        case .copyState, .store, .storeConstant, .storeCell, .assert, .fork, .emit, .abandon: true
        default: false
        }
    }

    /// The C that reads the cell (`cell`) or the table entry at index `arena + index` of its arena into `target`,
    /// for `cell`, `table`, `fieldCell` and `fieldTable` alike.
    private func read(cell: Bool, arena: Int64, at index: String, into target: String) -> String {
        cell ? " { int64_t f = \(index) + \(literal(arena)); \(target) = (int64_t)((s[CF[f].word] >> CF[f].shift) & CF[f].mask) + CF[f].low; }"
            : " \(target) = TE[\(literal(arena)) + \(index)];"
    }

    /// The C function for the program at `start`, and the fork targets it calls: an action's `p<start>`, or with
    /// `expression` an expression's `e<start>`, which writes the result to `*v` and returns 0 (both return 1 where
    /// the machine must take over).
    private func program(_ start: Int32, expression: Bool = false) throws -> (String, [Int32]) {
        let depth = try depths(from: start, expression: expression)
        let maximum = (depth.values.max() ?? 0) + 2
        var forks: [Int32] = []
        var out = expression ? "static int e\(start)(const uint64_t *restrict s, int64_t *v) {\n"
            : "static int p\(start)(const uint64_t *restrict s, uint64_t *restrict d, vmc_ctx *c, uint32_t act) {\n"
        out += "  int64_t " + (0..<maximum).map { "t\($0) = 0" }.joined(separator: ", ") + ";\n"
        if !expression { out += "  (void)s; (void)d; (void)c; (void)act;\n" }
        out += "  goto L\(start);\n"
        for pc in depth.keys.sorted() {
            guard let sp = depth[pc] else { continue }
            let i = code[pc]
            out += "L\(pc): "
            func t(_ k: Int) -> String { "t\(k)" }
            let top = t(sp - 1), second = t(sp - 2)
            switch i.op {
            case .constant:
                out += "\(t(sp)) = \(literal(i.imm));"
            case .field:
                out += "\(t(sp)) = (int64_t)((s[\(i.word)] >> \(i.shift)) & \(hex(widthMask(i.width)))) + \(literal(i.imm));"
            case .fieldEquals:
                out += "\(t(sp)) = ((s[\(i.word)] >> \(i.shift)) & \(hex(widthMask(i.width)))) == \(hex(UInt64(bitPattern: i.imm)));"
            case .fieldIn:
                out += "{ uint64_t o = (s[\(i.word)] >> \(i.shift)) & \(hex(widthMask(i.width))); \(t(sp)) = o < 64 && ((\(hex(i.bits)) >> o) & 1); }"
            case .cell, .table:
                let count = Int(i.word)
                var index = "{ int64_t flat = 0, o;"
                for k in 0..<count {
                    let dimension = dimensions[Int(i.arg) + k]
                    index += " o = (int64_t)((uint64_t)\(t(sp - count + k)) - \(hex(UInt64(bitPattern: dimension.lowerBound))));"
                    index += " if (o < 0 || o >= \(literal(dimension.count))) return 1; flat = flat * \(literal(dimension.count)) + o;"
                }
                out += index + read(cell: i.op == .cell, arena: i.imm, at: "flat", into: t(sp - count)) + " }"
            case .fieldCell, .fieldTable:
                let dimension = dimensions[Int(i.arg)]
                // In unsigned arithmetic, wrapping as the interpreter's `&+` and `&-` do.
                var access = "{ int64_t o = (int64_t)(((s[\(i.word)] >> \(i.shift)) & \(hex(widthMask(i.width))))"
                access += " + \(hex(i.bits)) - \(hex(UInt64(bitPattern: dimension.lowerBound))));"
                access += " if (o < 0 || o >= \(literal(dimension.count))) return 1;"
                out += access + read(cell: i.op == .fieldCell, arena: i.imm, at: "o", into: t(sp)) + " }"
            case .not:
                out += "\(top) = \(top) == 0;"
            case .negate:
                out += "if (__builtin_sub_overflow((int64_t)0, \(top), &\(top))) return 1;"
            case .add:
                out += "if (__builtin_add_overflow(\(second), \(top), &\(second))) return 1;"
            case .subtract:
                out += "if (__builtin_sub_overflow(\(second), \(top), &\(second))) return 1;"
            case .multiply:
                out += "if (__builtin_mul_overflow(\(second), \(top), &\(second))) return 1;"
            case .divide, .remainder:
                out += "if (\(top) == 0 || (\(top) == -1 && \(second) == INT64_MIN)) return 1; "
                out += "\(second) = \(second) \(i.op == .divide ? "/" : "%") \(top);"
            case .equal: out += "\(second) = \(second) == \(top);"
            case .notEqual: out += "\(second) = \(second) != \(top);"
            case .less: out += "\(second) = \(second) < \(top);"
            case .lessEqual: out += "\(second) = \(second) <= \(top);"
            case .greater: out += "\(second) = \(second) > \(top);"
            case .greaterEqual: out += "\(second) = \(second) >= \(top);"
            case .inBits:
                out += "{ int64_t o = (int64_t)((uint64_t)\(top) - \(hex(UInt64(bitPattern: i.imm)))); \(top) = o >= 0 && o < 64 && ((\(hex(i.bits)) >> o) & 1); }"
            case .inList:
                let values = (0..<Int(i.word)).map { constantLists[Int(i.arg) + $0] }
                out += "\(top) = " + (values.isEmpty ? "0" : values.map { "\(top) == \(literal($0))" }.joined(separator: " || ")) + ";"
            case .jump:
                out += "goto L\(i.arg);"
            case .jumpIfFalse:
                out += "if (\(top) == 0) goto L\(i.arg);"
            case .andJump:
                out += "if (\(top) == 0) goto L\(i.arg);"
            case .orJump:
                out += "if (\(top) != 0) goto L\(i.arg);"
            case .result:
                out += "*v = \(top); return 0;"
            case .copyState:
                out += "memcpy(d, s, sizeof(uint64_t) * W);"
            case .store:
                out += "{ int64_t o = (int64_t)((uint64_t)\(top) - \(hex(UInt64(bitPattern: i.imm)))); if (o < 0 || o >= \(literal(Int64(bitPattern: i.bits)))) return 1; "
                out += "d[\(i.word)] = (d[\(i.word)] & ~\(hex(widthMask(i.width) << UInt64(i.shift)))) | ((uint64_t)o << \(i.shift)); }"
            case .storeConstant:
                out += "d[\(i.word)] = (d[\(i.word)] & ~\(hex(i.bits))) | \(hex(UInt64(bitPattern: i.imm)));"
            case .storeCell:
                let count = Int(i.word)
                let base = sp - 1 - count
                var store = "{ int64_t flat = 0, o;"
                for k in 0..<count {
                    let dimension = dimensions[Int(i.arg) + k]
                    store += " o = (int64_t)((uint64_t)\(t(base + k)) - \(hex(UInt64(bitPattern: dimension.lowerBound))));"
                    store += " if (o < 0 || o >= \(literal(dimension.count))) return 1; flat = flat * \(literal(dimension.count)) + o;"
                }
                store += " flat += \(literal(i.imm));"
                store += " o = (int64_t)((uint64_t)\(top) - (uint64_t)CF[flat].low); if (o < 0 || o >= CF[flat].count) return 1;"
                store += " d[CF[flat].word] = (d[CF[flat].word] & ~(CF[flat].mask << CF[flat].shift)) | ((uint64_t)o << CF[flat].shift); }"
                out += store
            case .assert:
                out += "if (\(top) == 0) return 1;"
            case .fork:
                let targets = (0..<Int(i.word)).map { forkTargets[Int(i.arg) + $0] }
                forks += targets
                for target in targets {
                    out += " { uint64_t e[W]; memcpy(e, d, sizeof(uint64_t) * W); if (p\(target)(s, e, c, act)) return 1; }"
                }
                out += " return 0;"
            case .emit:
                out += "if (c->count >= c->cap) return 1; memcpy(c->succ + c->count * W, d, sizeof(uint64_t) * W); c->acts[c->count] = act; c->count++; return 0;"
            case .abandon:
                out += "return 0;"
            }
            out += "\n"
        }
        out += "}\n"
        return (out, forks)
    }

    private func widthMask(_ width: UInt8) -> UInt64 {
        width >= 64 ? ~0 : (UInt64(1) << UInt64(width)) &- 1
    }

    private func hex(_ value: UInt64) -> String { Self.hex(value) }
    fileprivate static func hex(_ value: UInt64) -> String { "UINT64_C(0x" + String(value, radix: 16) + ")" }

    /// An Int64 literal C reads as int64_t (INT64_MIN has no literal form).
    private func literal(_ value: Int64) -> String {
        value == Int64.min ? "INT64_MIN" : "INT64_C(\(value))"
    }
}
