import ModelLanguage
import TestSupport
import Testing

/// The printer's layout and its parenthesisation, on written and on synthetic trees.
@Suite struct ASTPrinterTests {
    private static let none = SourceRange(0, 0)

    private static func name(_ text: String) -> Expression { Expression(.name(Identifier(text, none)), none) }
    private static func int(_ value: Int64) -> Expression { Expression(.integer(value), none) }
    private static func binary(_ op: BinaryOperator, _ left: Expression, _ right: Expression) -> Expression {
        Expression(.binary(op, left, right), none)
    }
    private static func not(_ operand: Expression) -> Expression { Expression(.unary(.not, operand), none) }
    private static func negate(_ operand: Expression) -> Expression { Expression(.unary(.negate, operand), none) }
    private static func conditional(_ c: Expression, _ a: Expression, _ b: Expression) -> Expression {
        Expression(.conditional(c, a, b), none)
    }
    private static func member(_ element: Expression, _ values: [Expression]) -> Expression {
        Expression(.member(element, values), none)
    }
    private static func exists(_ name: String, _ body: Expression) -> Expression {
        Expression(.quantifier(.exists, [Binding(name: Identifier(name, none), type: .bool(none))], body), none)
    }
    private static func index(_ base: Expression, _ indices: [Expression]) -> Expression { Expression(.index(base, indices), none) }

    /// The expression of `terminal TEXT`.
    private func parsedExpression(_ text: String) throws -> Expression {
        let model = try #require(parseModel("model m\nterminal " + text + "\n"))
        guard model.declarations.count == 1, case .terminal(let expression, _) = model.declarations[0] else {
            Issue.record("not one terminal declaration: \(text)")
            throw ModelErrors([])
        }
        return expression
    }

    /// Prints a synthetic tree, parses the text, and checks it gives the tree back (ignoring parentheses).
    private func roundTrip(_ expression: Expression) throws -> String {
        let text = ASTPrinter.print(expression)
        let parsed = try parsedExpression(text)
        let normalizer = Normalizer(dropParentheses: true)
        #expect(normalizer.expression(parsed) == normalizer.expression(expression), "printed as: \(text)")
        return text
    }

    @Test func parenthesesFollowPrecedenceAndAssociativity() throws {
        let (a, b, c) = (Self.name("a"), Self.name("b"), Self.name("c"))
        #expect(try roundTrip(Self.binary(.multiply, Self.binary(.add, a, b), c)) == "(a + b) * c")
        #expect(try roundTrip(Self.binary(.add, a, Self.binary(.multiply, b, c))) == "a + b * c")
        #expect(try roundTrip(Self.binary(.subtract, Self.binary(.subtract, a, b), c)) == "a - b - c")
        #expect(try roundTrip(Self.binary(.subtract, a, Self.binary(.subtract, b, c))) == "a - (b - c)")
        #expect(try roundTrip(Self.binary(.divide, a, Self.binary(.multiply, b, c))) == "a / (b * c)")
        #expect(try roundTrip(Self.binary(.implies, a, Self.binary(.implies, b, c))) == "a -> b -> c")
        #expect(try roundTrip(Self.binary(.implies, Self.binary(.implies, a, b), c)) == "(a -> b) -> c")
        #expect(try roundTrip(Self.binary(.equivalent, a, Self.binary(.implies, b, c))) == "a <-> b -> c")
        #expect(try roundTrip(Self.binary(.or, Self.binary(.and, a, b), c)) == "a && b || c")
        #expect(try roundTrip(Self.binary(.and, Self.binary(.or, a, b), c)) == "(a || b) && c")
        #expect(try roundTrip(Self.binary(.and, a, Self.binary(.and, b, c))) == "a && (b && c)")
        // `!` is looser than comparison: `!a == b` is `!(a == b)`.
        #expect(try roundTrip(Self.not(Self.binary(.equal, a, b))) == "!a == b")
        #expect(try roundTrip(Self.binary(.equal, Self.not(a), b)) == "(!a) == b")
        #expect(try roundTrip(Self.binary(.equal, Self.binary(.equal, a, b), c)) == "(a == b) == c")
        #expect(try roundTrip(Self.binary(.less, a, Self.binary(.less, b, c))) == "a < (b < c)")
        #expect(try roundTrip(Self.negate(Self.binary(.multiply, a, b))) == "-(a * b)")
        #expect(try roundTrip(Self.binary(.multiply, Self.negate(a), b)) == "-a * b")
        #expect(try roundTrip(Self.negate(Self.negate(a))) == "- -a")
        #expect(try roundTrip(Self.not(Self.not(a))) == "!!a")
        #expect(try roundTrip(Self.member(Self.binary(.add, a, Self.int(1)), [Self.int(1), Self.int(2)])) == "a + 1 in { 1, 2 }")
        #expect(try roundTrip(Self.binary(.equal, Self.member(a, [b]), c)) == "(a in { b }) == c")
        #expect(try roundTrip(Self.index(Self.binary(.add, a, b), [c])) == "(a + b)[c]")
        #expect(try roundTrip(Self.index(Self.index(a, [b]), [c])) == "(a[b])[c]")
        #expect(try roundTrip(Self.index(a, [b, c])) == "a[b][c]")
    }

    @Test func conditionalsAndQuantifiersAreClosedWhenSomethingFollows() throws {
        let (a, b, c) = (Self.name("a"), Self.name("b"), Self.name("c"))
        let choice = Self.conditional(a, Self.int(1), Self.int(2))
        #expect(try roundTrip(Self.binary(.add, choice, Self.int(3))) == "(if a then 1 else 2) + 3")
        #expect(try roundTrip(Self.binary(.add, Self.int(3), choice)) == "3 + if a then 1 else 2")
        // The conditional ends the right operand of `+`, but `==` follows the sum.
        #expect(try roundTrip(Self.binary(.equal, Self.binary(.add, Self.int(3), choice), c)) == "(3 + if a then 1 else 2) == c")
        #expect(try roundTrip(Self.binary(.add, Self.binary(.add, Self.int(3), choice), b)) == "3 + (if a then 1 else 2) + b")
        #expect(try roundTrip(Self.binary(.and, Self.exists("x", Self.name("x")), b)) == "(exists x: bool. x) && b")
        #expect(try roundTrip(Self.binary(.and, b, Self.exists("x", Self.name("x")))) == "b && exists x: bool. x")
        #expect(try roundTrip(Self.binary(.implies, Self.not(Self.exists("x", Self.name("x"))), b)) == "(!exists x: bool. x) -> b")
        #expect(try roundTrip(Self.member(choice, [Self.int(1)])) == "(if a then 1 else 2) in { 1 }")
        #expect(try roundTrip(Self.index(choice, [Self.int(1)])) == "(if a then 1 else 2)[1]")
        // Nested conditionals need no parentheses: `then` and `else` delimit them.
        #expect(try roundTrip(Self.conditional(choice, choice, choice))
            == "if if a then 1 else 2 then if a then 1 else 2 else if a then 1 else 2")
    }

    @Test func writtenParenthesesAreKept() throws {
        let expression = try parsedExpression("((a)) && (b || c) && (exists x: bool. x)")
        #expect(ASTPrinter.print(expression) == "((a)) && (b || c) && (exists x: bool. x)")
    }

    @Test func layout() throws {
        let source = """
            model   layout   const N=2 type S=enum{A,B} type D=scalarset(N)
            var x:[D][S] 0..N = 0 var y: S in {A,B} var z: bool = any
            table t: [S][S] S = { A: {A, B}, B: {B, A} } table w: [S] 0..3 = {1, 2}
            def f(s: S): bool = s == A def g = 1
            fair action go(d: D, s: S) when x[d][s] < N { if f(s) { x[d][s] := x[d][s] + 1 } else if y == B { y := A }
              else { choose v: S where v != y { y := v } } choose k in {1, 2} { let q = k assert Q: q > 0 : "say \\"hi\\" \\\\" assert q > 0 } }
            action idle { }
            invariant I: x[d0()][A] >= 0 leadsto L: y == A ~> y == B terminal true
            expect I holds expect L violated
            """
        let model = try #require(parseModel(source))
        let expected = """
            model layout

            const N = 2
            type S = enum { A, B }
            type D = scalarset(N)
            var x: [D][S] 0..N = 0
            var y: S in { A, B }
            var z: bool = any
            table t: [S][S] S = {
              A: { A, B },
              B: { B, A },
            }
            table w: [S] 0..3 = { 1, 2 }
            def f(s: S): bool = s == A
            def g = 1
            fair action go(d: D, s: S) when x[d][s] < N {
              if f(s) {
                x[d][s] := x[d][s] + 1
              } else if y == B {
                y := A
              } else {
                choose v: S where v != y {
                  y := v
                }
              }
              choose k in { 1, 2 } {
                let q = k
                assert Q: q > 0 : "say \\"hi\\" \\\\"
                assert q > 0
              }
            }
            action idle { }
            invariant I: x[d0()][A] >= 0
            leadsto L: y == A ~> y == B
            terminal true
            expect I holds
            expect L violated

            """
        #expect(ASTPrinter.print(model) == expected)
    }

    @Test func assertionWithBareConditionAndMessageStaysUnambiguous() throws {
        let none = Self.none
        let statement = Statement.assert(name: nil, condition: Self.name("ok"), message: "m", range: none)
        let target = Expression(.parenthesized(Self.name("x")), none)
        let model = ModelSyntax(name: Identifier("m", none), declarations: [
            .action(name: Identifier("a", none), fair: false, parameters: [], guard: nil, body: [
                statement,
                .assign(target: Self.name("y"), value: Self.name("f"), range: none),
                .assign(target: target, value: Self.int(1), range: none),
            ], range: none),
        ])
        let text = ASTPrinter.print(model)
        #expect(text.contains("assert (ok) : \"m\""))
        // `y := f` followed by `(x) := 1` would read as the call `f(x)`.
        #expect(text.contains("y := f;"))
        let parsed = try #require(parseModel(text))
        let normalizer = Normalizer(dropParentheses: true)
        #expect(normalizer.model(parsed) == normalizer.model(model))
    }

    // MARK: Random trees

    private struct TreeGenerator {
        var random: SplitMix64
        let none = SourceRange(0, 0)

        mutating func pick(_ n: Int) -> Int { Int(random.next() % UInt64(n)) }

        mutating func name() -> Expression {
            Expression(.name(Identifier(["a", "b", "c", "x"][pick(4)], none)), none)
        }

        mutating func type() -> TypeExpression {
            switch pick(3) {
            case 0: return .bool(none)
            case 1: return .named(Identifier("T", none))
            default: return .range(expression(1), expression(1))
            }
        }

        mutating func expression(_ depth: Int) -> Expression {
            if depth <= 0 || pick(5) == 0 {
                switch pick(3) {
                case 0: return Expression(.integer(Int64(pick(10))), none)
                case 1: return Expression(.boolean(pick(2) == 0), none)
                default: return name()
                }
            }
            let kind: ExpressionKind
            switch pick(9) {
            case 0: kind = .unary(pick(2) == 0 ? .not : .negate, expression(depth - 1))
            case 1, 2, 3:
                let op = BinaryOperator.allCases[pick(BinaryOperator.allCases.count)]
                kind = .binary(op, expression(depth - 1), expression(depth - 1))
            case 4: kind = .member(expression(depth - 1), (0..<pick(3)).map { _ in expression(depth - 1) })
            case 5: kind = .conditional(expression(depth - 1), expression(depth - 1), expression(depth - 1))
            case 6:
                let quantifier: QuantifierKind = [.forall, .exists, .count][pick(3)]
                let count = quantifier == .count ? 1 : 1 + pick(2)
                let bindings = (0..<count).map { _ in Binding(name: Identifier(["i", "j"][pick(2)], none), type: type()) }
                kind = .quantifier(quantifier, bindings, expression(depth - 1))
            case 7: kind = .index(pick(3) == 0 ? expression(depth - 1) : name(), (0..<(1 + pick(2))).map { _ in expression(depth - 1) })
            default: kind = .call(Identifier("f", none), (0..<pick(3)).map { _ in expression(depth - 1) })
            }
            return Expression(kind, none)
        }
    }

    @Test func randomTreesParseBackToThemselves() throws {
        var generator = TreeGenerator(random: SplitMix64(seed: 0x5EED_0001))
        for _ in 0..<3000 {
            let tree = generator.expression(6)
            let text = ASTPrinter.print(tree)
            let parsed = try parsedExpression(text)
            let normalizer = Normalizer(dropParentheses: true)
            #expect(normalizer.expression(parsed) == normalizer.expression(tree), "printed as: \(text)")
            #expect(ASTPrinter.print(parsed) == text, "printing is not a fixpoint for: \(text)")
        }
    }
}
