/// Recursive-descent parser for `.vmc` files. Each syntax error is recorded; the parser then skips to the next
/// declaration, so one run reports every independent error.
public struct Parser {
    /// The deepest nesting of expressions and blocks accepted.
    public static let maximumNesting = 200
    /// The most operators one chain of a left-associative operator (`a + b + ...`) may have.
    public static let maximumChain = 2000

    private struct Abort: Error {}

    private var tokens: [Token]
    private var position = 0
    private var depth = 0
    /// The name of the declaration being parsed, once read.
    private var declaringName: String?
    private var incompleteNames: Set<String> = []
    /// Operands in all enclosing left-associative chains: bounds the depth of the tree they build.
    private var chainTotal = 0
    private(set) var diagnostics: DiagnosticBag
    /// The file's `///` lines, the next one not yet attached, and the comments attached so far.
    private let docLines: [DocLine]
    private var docCursor = 0
    private var documentation: [DocAttachment] = []

    /// Parses a source file. Returns the model (possibly partial) and the diagnostics of lexing and parsing.
    public static func parse(_ source: SourceFile) -> (model: ModelSyntax?, diagnostics: DiagnosticBag) {
        var lexer = Lexer(source: source)
        let tokens = lexer.tokenize()
        var parser = Parser(tokens: tokens, diagnostics: lexer.diagnostics, docLines: lexer.docLines)
        let model = parser.parseModel()
        return (model, parser.diagnostics)
    }

    /// Parses one expression that fills the whole source: a predicate given outside a model (`replay --start`).
    /// Positions in the diagnostics are in that text, so they point into what the user typed.
    public static func parseExpression(_ source: SourceFile) -> (expression: Expression?, diagnostics: DiagnosticBag) {
        var lexer = Lexer(source: source)
        let tokens = lexer.tokenize()
        var parser = Parser(tokens: tokens, diagnostics: lexer.diagnostics, docLines: lexer.docLines)
        if parser.diagnostics.hasErrors { return (nil, parser.diagnostics) }
        if case .endOfFile = parser.current.kind {
            parser.diagnostics.error("expected an expression, found end of file", at: 0)
            return (nil, parser.diagnostics)
        }
        do {
            let expression = try parser.parseExpression()
            if case .endOfFile = parser.current.kind { return (expression, parser.diagnostics) }
            _ = parser.fail("expected the end of the expression, found \(parser.current.spelling)")
        } catch {
            // The error is in the bag.
        }
        return (nil, parser.diagnostics)
    }

    private init(tokens: [Token], diagnostics: DiagnosticBag, docLines: [DocLine]) {
        self.tokens = tokens
        self.diagnostics = diagnostics
        self.docLines = docLines
    }

    // MARK: Doc comments

    /// The `///` lines directly before the current token (nothing but trivia between). Lines not taken before,
    /// and lying before the previous token's end, sat inside a construct and document nothing: an error, unless
    /// `report` is false (after a syntax error, whose skipped text may hold them).
    private mutating func takeDocLines(report: Bool = true) -> [DocLine] {
        let tokenStart = current.range.start
        let previousEnd = position > 0 ? tokens[position - 1].range.end : 0
        var taken: [DocLine] = []
        var reported = false
        while docCursor < docLines.count, docLines[docCursor].offset < tokenStart {
            let line = docLines[docCursor]
            docCursor += 1
            if line.offset < previousEnd {
                if report && !reported {
                    diagnostics.error("this doc comment documents nothing: '///' goes directly before the model, a declaration or a named "
                                      + "'assert' (use '//' for a plain comment)", at: line.offset)
                    reported = true
                }
            } else {
                taken.append(line)
            }
        }
        return taken
    }

    /// Attaches the lines taken before a declaration to `target`; tags on anything but the model, a property, a named
    /// assertion or a variant are an error (the generator would never read them).
    private mutating func attachDocLines(_ lines: [DocLine], to target: DocTarget, what: String) {
        guard !lines.isEmpty else { return }
        let comment = DocComment.parse(lines, diagnostics: &diagnostics)
        if target == .other, comment.hasTags {
            diagnostics.error("doc comment tags (dispute:, point:, quote:) go on the model, a property, a named 'assert' or a variant, "
                              + "not on \(what)", at: comment.offset)
        }
        documentation.append(DocAttachment(target: target, comment: comment))
    }

    /// What a declaration's doc comment documents.
    private static func docTarget(_ declaration: Declaration) -> (DocTarget, String) {
        switch declaration {
        case .property(_, let name, _, _, _): return (.property(name.name), "a property")
        case .variant(let name, _, _, _): return (.variant(name.name), "a variant")
        case .constant: return (.other, "a constant")
        case .type: return (.other, "a type")
        case .variable: return (.other, "a variable")
        case .table: return (.other, "a table")
        case .definition: return (.other, "a definition")
        case .action: return (.other, "an action (document its named asserts)")
        case .entry: return (.other, "an entry point")
        case .terminal: return (.other, "a terminal predicate")
        case .expect, .expectDead: return (.other, "an expect line (document the property)")
        case .combination: return (.other, "a combination line (document the variants)")
        }
    }

    // MARK: Token access

    private var current: Token { tokens[position] }

    private func peekKind(_ offset: Int = 1) -> TokenKind {
        let i = position + offset
        return i < tokens.count ? tokens[i].kind : .endOfFile
    }

    private mutating func advance() -> Token {
        let token = tokens[position]
        if position < tokens.count - 1 { position += 1 }
        return token
    }

    private func isSymbol(_ symbol: Symbol) -> Bool {
        if case .symbol(let s) = current.kind { return s == symbol }
        return false
    }

    private func isKeyword(_ keyword: Keyword) -> Bool {
        if case .keyword(let k) = current.kind { return k == keyword }
        return false
    }

    private mutating func accept(_ symbol: Symbol) -> Bool {
        if isSymbol(symbol) { _ = advance(); return true }
        return false
    }

    private mutating func acceptKeyword(_ keyword: Keyword) -> Bool {
        if isKeyword(keyword) { _ = advance(); return true }
        return false
    }

    private mutating func fail(_ message: String, at offset: Int? = nil) -> Abort {
        diagnostics.error(message, at: offset ?? current.range.start)
        return Abort()
    }

    private mutating func expect(_ symbol: Symbol, _ context: String) throws -> Token {
        if isSymbol(symbol) { return advance() }
        throw fail("expected '\(symbol.rawValue)' \(context), found \(current.spelling)")
    }

    private mutating func expectKeyword(_ keyword: Keyword, _ context: String) throws -> Token {
        if isKeyword(keyword) { return advance() }
        throw fail("expected '\(keyword.rawValue)' \(context), found \(current.spelling)")
    }

    private mutating func expectIdentifier(_ context: String) throws -> Identifier {
        if case .identifier(let name) = current.kind {
            let token = advance()
            return Identifier(name, token.range)
        }
        if case .keyword(let keyword) = current.kind {
            throw fail("expected \(context), found keyword '\(keyword.rawValue)' (keywords cannot be used as names)")
        }
        throw fail("expected \(context), found \(current.spelling)")
    }

    private mutating func nested<T>(_ body: (inout Parser) throws -> T) throws -> T {
        depth += 1
        defer { depth -= 1 }
        if depth > Self.maximumNesting {
            throw fail("nesting too deep (the limit is \(Self.maximumNesting) levels)")
        }
        return try body(&self)
    }

    /// Counts one more operand of a left-associative chain and rejects chains that would nest too deeply.
    private mutating func chainStep(_ length: inout Int) throws {
        length += 1
        chainTotal += 1
        if chainTotal > Self.maximumChain {
            throw fail("expression too long (more than \(Self.maximumChain) operators in one chain)")
        }
    }

    // MARK: Model and declarations

    private static func isDeclarationStart(_ kind: TokenKind) -> Bool {
        if case .keyword(let keyword) = kind { return declarationStarts.contains(keyword) }
        return false
    }

    private static let declarationStarts: Set<Keyword> = [
        .const, .type, .var, .table, .def, .fair, .action, .invariant, .reachable, .eventually, .leadsto, .terminal, .expect,
        .variant, .combination, .entry,
    ]

    private mutating func parseModel() -> ModelSyntax? {
        if case .endOfFile = current.kind {
            if !diagnostics.hasErrors { diagnostics.error("empty file: a model starts with 'model NAME'", at: 0) }
            return nil
        }
        var name = Identifier("", SourceRange(0, 0))
        let modelDocs = takeDocLines()
        do {
            _ = try expectKeyword(.model, "at the start of the file ('model NAME')")
            name = try expectIdentifier("the model's name after 'model'")
            attachDocLines(modelDocs, to: .model, what: "the model")
        } catch {
            // Without a header, a declaration may follow at once: resume there.
            if !Self.isDeclarationStart(current.kind) { synchronize(from: position) }
        }
        var declarations: [Declaration] = []
        while true {
            if case .endOfFile = current.kind { break }
            let start = position
            declaringName = nil
            let docs = takeDocLines()
            do {
                let declaration = try parseDeclaration()
                declarations.append(declaration)
                let (target, what) = Self.docTarget(declaration)
                attachDocLines(docs, to: target, what: what)
            } catch {
                if let name = declaringName { incompleteNames.insert(name) }
                synchronize(from: start)
                _ = takeDocLinesBeforePrevious()
            }
        }
        if let trailing = takeDocLines().first {
            diagnostics.error("this doc comment documents nothing: it ends the file ('///' goes directly before a declaration)",
                              at: trailing.offset)
        }
        return ModelSyntax(name: name, declarations: declarations, incompleteNames: incompleteNames, documentation: documentation)
    }

    /// Skips to the next token that can start a declaration. The token at `start` (where the failed declaration
    /// began) is always skipped; a declaration keyword met later, even at the error itself, is where parsing resumes.
    private mutating func synchronize(from start: Int) {
        if case .endOfFile = current.kind { return }
        if position > start, case .keyword(let keyword) = current.kind, Self.declarationStarts.contains(keyword) { return }
        if position == start || !Self.isDeclarationStart(current.kind) { _ = advance() }
        while true {
            switch current.kind {
            case .endOfFile: return
            case .keyword(let k) where Self.declarationStarts.contains(k):
                // `expect X reachable` uses a declaration keyword as a verdict; skip it there.
                if k == .reachable, position > 0, case .identifier = tokens[position - 1].kind,
                   position > 1, case .keyword(.expect) = tokens[position - 2].kind {
                    _ = advance()
                    continue
                }
                return
            default: _ = advance()
            }
        }
    }

    private mutating func parseDeclaration() throws -> Declaration {
        let start = current.range.start
        guard case .keyword(let keyword) = current.kind else {
            throw fail("expected a declaration (const, variant, combination, type, var, table, def, action, invariant, reachable, eventually, leadsto, terminal, entry or expect), found \(current.spelling)")
        }
        switch keyword {
        case .const:
            _ = advance()
            let name = try expectIdentifier("a constant name")
            declaringName = name.name
            _ = try expect(.equal, "after the constant's name")
            let value = try parseExpression()
            return .constant(name: name, value: value, range: SourceRange(start, value.range.end))
        case .type:
            _ = advance()
            let name = try expectIdentifier("a type name")
            declaringName = name.name
            _ = try expect(.equal, "after the type's name")
            let type = try parseType(allowDeclarationOnly: true)
            return .type(name: name, type: type, range: SourceRange(start, type.range.end))
        case .var:
            _ = advance()
            let name = try expectIdentifier("a variable name")
            declaringName = name.name
            _ = try expect(.colon, "after the variable's name")
            let type = try parseType(allowDeclarationOnly: false)
            let initializer: Initializer
            if accept(.equal) {
                if isKeyword(.any) {
                    initializer = .any(advance().range)
                } else {
                    initializer = .value(try parseExpression())
                }
            } else if acceptKeyword(.in) {
                initializer = .oneOf(try parseSetLiteral("of initial values"))
            } else {
                throw fail("expected '=' or 'in' after the type of '\(name.name)' (every variable needs an initial value)")
            }
            return .variable(name: name, type: type, initializer: initializer, range: SourceRange(start, tokens[max(0, position - 1)].range.end))
        case .table:
            _ = advance()
            let name = try expectIdentifier("a table name")
            declaringName = name.name
            _ = try expect(.colon, "after the table's name")
            let type = try parseType(allowDeclarationOnly: false)
            _ = try expect(.equal, "after the table's type")
            let body = try parseTableLiteral()
            return .table(name: name, type: type, body: body, range: SourceRange(start, body.range.end))
        case .def:
            _ = advance()
            let name = try expectIdentifier("a definition name")
            declaringName = name.name
            var parameters: [Binding] = []
            if isSymbol(.leftParen) { parameters = try parseParameterList() }
            var result: TypeExpression?
            if accept(.colon) { result = try parseType(allowDeclarationOnly: false) }
            _ = try expect(.equal, "before the body of definition '\(name.name)'")
            let body = try parseExpression()
            return .definition(name: name, parameters: parameters, result: result, body: body, range: SourceRange(start, body.range.end))
        case .fair, .action:
            let fair = acceptKeyword(.fair)
            _ = try expectKeyword(.action, "after 'fair'")
            let name = try expectIdentifier("an action name")
            declaringName = name.name
            var parameters: [Binding] = []
            if isSymbol(.leftParen) { parameters = try parseParameterList() }
            var guardExpression: Expression?
            if acceptKeyword(.when) { guardExpression = try parseExpression() }
            var emits: [EmitClause] = []
            if acceptKeyword(.emits) {
                repeat { emits.append(try parseEmitClause()) } while accept(.comma)
            }
            let body = try parseBlock()
            return .action(name: name, fair: fair, parameters: parameters, guard: guardExpression, body: body, emits: emits,
                           range: SourceRange(start, tokens[max(0, position - 1)].range.end))
        case .entry:
            _ = advance()
            let name = try expectIdentifier("an entry point name")
            _ = try expect(.colon, "after the entry point's name")
            let predicate = try parseExpression()
            return .entry(name: name, predicate: predicate, range: SourceRange(start, predicate.range.end))
        case .invariant, .reachable, .eventually, .leadsto:
            _ = advance()
            let kind: PropertyKind = keyword == .invariant ? .invariant : keyword == .reachable ? .reachable : keyword == .eventually ? .eventually : .leadsto
            let name = try expectIdentifier("a property name")
            declaringName = name.name
            _ = try expect(.colon, "after the property's name")
            let predicate = try parseExpression()
            var second: Expression?
            if kind == .leadsto {
                _ = try expect(.leadsTo, "between the two sides of 'leadsto' (P ~> Q)")
                second = try parseExpression()
            }
            return .property(kind: kind, name: name, predicate: predicate, second: second,
                             range: SourceRange(start, (second ?? predicate).range.end))
        case .terminal:
            _ = advance()
            let predicate = try parseExpression()
            return .terminal(predicate, range: SourceRange(start, predicate.range.end))
        case .expect:
            _ = advance()
            // `dead` is a word only here: `expect dead A` when another name follows (a property named `dead` is
            // followed by its verdict, a keyword).
            if case .identifier("dead") = current.kind, case .identifier = peekKind() {
                _ = advance()
                let action = try expectIdentifier("an action name after 'expect dead'")
                guard acceptKeyword(.when) else {
                    return .expectDead(action: action, condition: nil, range: SourceRange(start, action.range.end))
                }
                let condition = try parseExpression()
                return .expectDead(action: action, condition: condition, range: SourceRange(start, condition.range.end))
            }
            let name = try expectIdentifier("a property name after 'expect'")
            guard case .keyword(let word) = current.kind, let verdict = ExpectedVerdict(rawValue: word.rawValue) else {
                throw fail("expected a verdict (holds, violated, reachable or unreachable), found \(current.spelling)")
            }
            var end = advance().range.end
            // `trivially` and `vacuously` are words only here, not keywords.
            var meant: SanityMark?
            if case .identifier(let word) = current.kind, let mark = SanityMark(rawValue: word) {
                guard verdict == .holds else { throw fail("'\(word)' goes with 'holds' ('expect \(name.name) holds \(word)')") }
                meant = mark
                end = advance().range.end
            }
            guard acceptKeyword(.when) else {
                return .expect(name: name, verdict: verdict, meant: meant, condition: nil, range: SourceRange(start, end))
            }
            let condition = try parseExpression()
            return .expect(name: name, verdict: verdict, meant: meant, condition: condition, range: SourceRange(start, condition.range.end))
        case .variant:
            _ = advance()
            let name = try expectIdentifier("a variant name")
            declaringName = name.name
            _ = try expect(.colon, "after the variant's name")
            let type = try parseType(allowDeclarationOnly: false)
            var values: [Expression]?
            if acceptKeyword(.in) { values = try parseSetLiteral("of the variant's values") }
            return .variant(name: name, type: type, values: values, range: SourceRange(start, tokens[max(0, position - 1)].range.end))
        case .combination:
            _ = advance()
            var choices: [VariantChoice] = []
            repeat {
                let name = try expectIdentifier("a variant name in 'combination'")
                _ = try expect(.equal, "after '\(name.name)' in 'combination' (NAME = VALUE)")
                choices.append(VariantChoice(name: name, value: try parseExpression()))
            } while accept(.comma)
            return .combination(choices, range: SourceRange(start, tokens[max(0, position - 1)].range.end))
        default:
            throw fail("expected a declaration, found keyword '\(keyword.rawValue)'")
        }
    }

    /// `KIND(ARGUMENT, ...) [if CONDITION]` after `emits`.
    private mutating func parseEmitClause() throws -> EmitClause {
        let kind = try expectIdentifier("an event kind after 'emits' (set, reset or state)")
        _ = try expect(.leftParen, "after the event kind '\(kind.name)'")
        var arguments: [Expression] = []
        if !isSymbol(.rightParen) {
            repeat { arguments.append(try parseExpression()) } while accept(.comma)
        }
        var end = try expect(.rightParen, "to close the arguments of event '\(kind.name)'").range.end
        var condition: Expression?
        if acceptKeyword(.if) {
            let parsed = try parseExpression()
            condition = parsed
            end = parsed.range.end
        }
        return EmitClause(kind: kind, arguments: arguments, condition: condition, range: SourceRange(kind.range.start, end))
    }

    private mutating func parseParameterList() throws -> [Binding] {
        _ = try expect(.leftParen, "to open the parameter list")
        var bindings: [Binding] = []
        if !isSymbol(.rightParen) {
            repeat {
                let name = try expectIdentifier("a parameter name")
                _ = try expect(.colon, "after parameter '\(name.name)'")
                bindings.append(Binding(name: name, type: try parseType(allowDeclarationOnly: false)))
            } while accept(.comma)
        }
        _ = try expect(.rightParen, "to close the parameter list")
        return bindings
    }

    private mutating func parseSetLiteral(_ context: String) throws -> [Expression] {
        _ = try expect(.leftBrace, "to open the set \(context)")
        var values: [Expression] = []
        if !isSymbol(.rightBrace) {
            repeat {
                if isSymbol(.rightBrace) { break }
                values.append(try parseExpression())
            } while accept(.comma)
        }
        _ = try expect(.rightBrace, "to close the set \(context)")
        return values
    }

    // MARK: Types

    private mutating func parseType(allowDeclarationOnly: Bool) throws -> TypeExpression {
        try nested { parser in try parser.parseTypeBody(allowDeclarationOnly: allowDeclarationOnly) }
    }

    private mutating func parseTypeBody(allowDeclarationOnly: Bool) throws -> TypeExpression {
        let start = current.range.start
        if accept(.leftBracket) {
            let index = try parseType(allowDeclarationOnly: false)
            _ = try expect(.rightBracket, "after the index type")
            let rest = try parseType(allowDeclarationOnly: false)
            if case .array(let indices, let element, _) = rest { return .array([index] + indices, element, start: start) }
            return .array([index], rest, start: start)
        }
        if isKeyword(.bool) { return .bool(advance().range) }
        if isKeyword(.enum) {
            _ = advance()
            if !allowDeclarationOnly { throw fail("an enum type must be declared with 'type NAME = enum { ... }'", at: start) }
            _ = try expect(.leftBrace, "after 'enum'")
            var names: [Identifier] = []
            repeat {
                if isSymbol(.rightBrace) { break }
                names.append(try expectIdentifier("an enum constant"))
            } while accept(.comma)
            let end = try expect(.rightBrace, "to close the enum").range.end
            if names.isEmpty { throw fail("an enum needs at least one constant", at: start) }
            return .enumeration(names, SourceRange(start, end))
        }
        if isKeyword(.scalarset) {
            _ = advance()
            if !allowDeclarationOnly { throw fail("a scalarset type must be declared with 'type NAME = scalarset(N)'", at: start) }
            _ = try expect(.leftParen, "after 'scalarset'")
            let size = try parseExpression()
            let end = try expect(.rightParen, "after the scalarset's size").range.end
            return .scalarset(size, SourceRange(start, end))
        }
        let low = try parseAdditive()
        if accept(.dotDot) {
            let high = try parseAdditive()
            return .range(low, high)
        }
        if case .name(let identifier) = low.kind { return .named(identifier) }
        throw fail("expected a type (bool, a type name, 'lo..hi' or '[Index] Element')", at: start)
    }

    // MARK: Tables

    private mutating func parseTableLiteral() throws -> TableLiteral {
        try nested { parser in
            let start = parser.current.range.start
            _ = try parser.expect(.leftBrace, "to open the table's rows")
            var rows: [(label: Expression?, row: TableLiteral)] = []
            while !parser.isSymbol(.rightBrace) {
                if parser.isSymbol(.leftBrace) {
                    rows.append((nil, try parser.parseTableLiteral()))
                } else {
                    let first = try parser.parseExpression()
                    if parser.accept(.colon) {
                        let row: TableLiteral = parser.isSymbol(.leftBrace) ? try parser.parseTableLiteral() : .value(try parser.parseExpression())
                        rows.append((first, row))
                    } else {
                        rows.append((nil, .value(first)))
                    }
                }
                if !parser.accept(.comma) { break }
            }
            let end = try parser.expect(.rightBrace, "to close the table's rows").range.end
            return .rows(rows, SourceRange(start, end))
        }
    }

    // MARK: Statements

    private mutating func parseBlock() throws -> [Statement] {
        try nested { parser in
            _ = try parser.expect(.leftBrace, "to open a block")
            var statements: [Statement] = []
            while !parser.isSymbol(.rightBrace) {
                if case .endOfFile = parser.current.kind { throw parser.fail("expected '}' to close the block, found end of file") }
                statements.append(try parser.parseStatement())
                while parser.accept(.semicolon) {}
            }
            _ = parser.advance()
            return statements
        }
    }

    /// Drops, silently, the doc lines inside text a syntax error skipped.
    private mutating func takeDocLinesBeforePrevious() -> Int {
        let previousEnd = position > 0 ? tokens[position - 1].range.end : 0
        var dropped = 0
        while docCursor < docLines.count, docLines[docCursor].offset < previousEnd {
            docCursor += 1
            dropped += 1
        }
        return dropped
    }

    private mutating func parseStatement() throws -> Statement {
        let start = current.range.start
        let docs = takeDocLines()
        if !docs.isEmpty {
            if isKeyword(.assert), case .identifier(let text) = peekKind(), case .symbol(.colon) = peekKind(2), !Self.isString(peekKind(3)) {
                attachDocLines(docs, to: .assertion(text), what: "an assertion")
            } else {
                diagnostics.error("a doc comment inside an action documents a named assert only ('assert NAME: ...'); use '//' here",
                                  at: docs[0].offset)
            }
        }
        if acceptKeyword(.if) { return try parseIfRest(start: start) }
        if acceptKeyword(.choose) {
            let name = try expectIdentifier("a name after 'choose'")
            if acceptKeyword(.in) {
                let values = try parseSetLiteral("of choices")
                let body = try parseBlock()
                return .chooseSet(name, values: values, body: body, range: SourceRange(start, previousEnd))
            }
            _ = try expect(.colon, "or 'in' after the chosen name")
            let type = try parseType(allowDeclarationOnly: false)
            var filter: Expression?
            if acceptKeyword(.where) { filter = try parseExpression() }
            let body = try parseBlock()
            return .chooseType(Binding(name: name, type: type), filter: filter, body: body, range: SourceRange(start, previousEnd))
        }
        if acceptKeyword(.let) {
            let name = try expectIdentifier("a name after 'let'")
            _ = try expect(.equal, "after the name in 'let'")
            let value = try parseExpression()
            return .letBinding(name, value, range: SourceRange(start, value.range.end))
        }
        if acceptKeyword(.assert) {
            var name: Identifier?
            if case .identifier(let text) = current.kind, case .symbol(.colon) = peekKind(), !Self.isString(peekKind(2)) {
                name = Identifier(text, advance().range)
                _ = advance()
            }
            let condition = try parseExpression()
            var message: String?
            if accept(.colon) {
                guard case .string(let text) = current.kind else { throw fail("expected a message string after ':' in 'assert'") }
                message = text
                _ = advance()
            }
            return .assert(name: name, condition: condition, message: message, range: SourceRange(start, previousEnd))
        }
        let first = current
        let target = try parsePostfix()
        guard accept(.assign) else {
            if isSymbol(.equal) { throw fail("expected ':=' in an assignment ('=' is only for declarations)") }
            switch target.kind {
            case .name, .index:
                throw fail("expected ':=' after the assignment target, found \(current.spelling)")
            default:
                throw fail("expected a statement (assignment 'x := e', if, choose, let or assert), found \(first.spelling)", at: start)
            }
        }
        let value = try parseExpression()
        return .assign(target: target, value: value, range: SourceRange(start, value.range.end))
    }

    private static func isString(_ kind: TokenKind) -> Bool {
        if case .string = kind { return true }
        return false
    }

    private var previousEnd: Int { tokens[max(0, position - 1)].range.end }

    private mutating func parseIfRest(start: Int) throws -> Statement {
        let condition = try parseExpression()
        let then = try parseBlock()
        var otherwise: [Statement]?
        if acceptKeyword(.else) {
            if isKeyword(.if) {
                let nestedStart = advance().range.start
                otherwise = [try nested { parser in try parser.parseIfRest(start: nestedStart) }]
            } else {
                otherwise = try parseBlock()
            }
        }
        return .ifThen(condition: condition, then: then, otherwise: otherwise, range: SourceRange(start, previousEnd))
    }

    // MARK: Expressions

    /// Parses a full expression (the loosest level: implication and equivalence).
    mutating func parseExpression() throws -> Expression {
        try nested { parser in
            let left = try parser.parseOr()
            if parser.accept(.arrow) {
                let right = try parser.parseExpression()
                return Expression(.binary(.implies, left, right), left.range.merged(with: right.range))
            }
            if parser.accept(.equivalence) {
                let right = try parser.parseExpression()
                return Expression(.binary(.equivalent, left, right), left.range.merged(with: right.range))
            }
            return left
        }
    }

    private mutating func parseOr() throws -> Expression {
        var left = try parseAnd()
        var length = 0
        defer { chainTotal -= length }
        while accept(.orOr) {
            try chainStep(&length)
            let right = try parseAnd()
            left = Expression(.binary(.or, left, right), left.range.merged(with: right.range))
        }
        return left
    }

    private mutating func parseAnd() throws -> Expression {
        var left = try parseNot()
        var length = 0
        defer { chainTotal -= length }
        while accept(.andAnd) {
            try chainStep(&length)
            let right = try parseNot()
            left = Expression(.binary(.and, left, right), left.range.merged(with: right.range))
        }
        return left
    }

    private mutating func parseNot() throws -> Expression {
        let start = current.range.start
        if accept(.bang) {
            let operand = try nested { parser in try parser.parseNot() }
            return Expression(.unary(.not, operand), SourceRange(start, operand.range.end))
        }
        return try parseComparison()
    }

    private mutating func parseComparison() throws -> Expression {
        let left = try parseAdditive()
        if acceptKeyword(.in) {
            let values = try parseSetLiteral("after 'in'")
            return Expression(.member(left, values), SourceRange(left.range.start, previousEnd))
        }
        let comparisons: [(Symbol, BinaryOperator)] = [
            (.equalEqual, .equal), (.notEqual, .notEqual), (.lessEqual, .lessEqual), (.less, .less),
            (.greaterEqual, .greaterEqual), (.greater, .greater),
        ]
        for (symbol, op) in comparisons where accept(symbol) {
            let right = try parseAdditive()
            if comparisons.contains(where: { isSymbol($0.0) }) {
                throw fail("comparisons do not chain; use parentheses or '&&'")
            }
            return Expression(.binary(op, left, right), left.range.merged(with: right.range))
        }
        return left
    }

    private mutating func parseAdditive() throws -> Expression {
        var left = try parseMultiplicative()
        var length = 0
        defer { chainTotal -= length }
        while true {
            let op: BinaryOperator
            if accept(.plus) { op = .add } else if accept(.minus) { op = .subtract } else { return left }
            try chainStep(&length)
            let right = try parseMultiplicative()
            left = Expression(.binary(op, left, right), left.range.merged(with: right.range))
        }
    }

    private mutating func parseMultiplicative() throws -> Expression {
        var left = try parseUnary()
        var length = 0
        defer { chainTotal -= length }
        while true {
            let op: BinaryOperator
            if accept(.star) { op = .multiply } else if accept(.slash) { op = .divide } else if accept(.percent) { op = .remainder } else { return left }
            try chainStep(&length)
            let right = try parseUnary()
            left = Expression(.binary(op, left, right), left.range.merged(with: right.range))
        }
    }

    private mutating func parseUnary() throws -> Expression {
        let start = current.range.start
        if accept(.minus) {
            let operand = try nested { parser in try parser.parseUnary() }
            return Expression(.unary(.negate, operand), SourceRange(start, operand.range.end))
        }
        return try parsePostfix()
    }

    private mutating func parsePostfix() throws -> Expression {
        var base = try parsePrimary()
        var indices: [Expression] = []
        while accept(.leftBracket) {
            indices.append(try parseExpression())
            _ = try expect(.rightBracket, "after the index")
        }
        if !indices.isEmpty { base = Expression(.index(base, indices), SourceRange(base.range.start, previousEnd)) }
        return base
    }

    private mutating func parsePrimary() throws -> Expression {
        let token = current
        switch token.kind {
        case .integer(let value):
            _ = advance()
            return Expression(.integer(value), token.range)
        case .keyword(.true):
            _ = advance()
            return Expression(.boolean(true), token.range)
        case .keyword(.false):
            _ = advance()
            return Expression(.boolean(false), token.range)
        case .identifier(let name):
            _ = advance()
            let identifier = Identifier(name, token.range)
            if accept(.leftParen) {
                var arguments: [Expression] = []
                if !isSymbol(.rightParen) {
                    repeat { arguments.append(try parseExpression()) } while accept(.comma)
                }
                let end = try expect(.rightParen, "to close the arguments of '\(name)'").range.end
                return Expression(.call(identifier, arguments), SourceRange(token.range.start, end))
            }
            return Expression(.name(identifier), token.range)
        case .symbol(.leftParen):
            _ = advance()
            let inner = try parseExpression()
            let end = try expect(.rightParen, "to close the parenthesis").range.end
            return Expression(.parenthesized(inner), SourceRange(token.range.start, end))
        case .keyword(.if):
            _ = advance()
            let condition = try parseExpression()
            _ = try expectKeyword(.then, "after the condition of 'if'")
            let then = try parseExpression()
            _ = try expectKeyword(.else, "in a conditional expression ('if C then A else B')")
            let otherwise = try parseExpression()
            return Expression(.conditional(condition, then, otherwise), SourceRange(token.range.start, otherwise.range.end))
        case .keyword(.forall), .keyword(.exists), .keyword(.count):
            _ = advance()
            let kind: QuantifierKind
            if case .keyword(.forall) = token.kind { kind = .forall } else if case .keyword(.exists) = token.kind { kind = .exists } else { kind = .count }
            var bindings: [Binding] = []
            repeat {
                let name = try expectIdentifier("a bound name")
                _ = try expect(.colon, "after the bound name '\(name.name)'")
                bindings.append(Binding(name: name, type: try parseType(allowDeclarationOnly: false)))
            } while accept(.comma)
            _ = try expect(.dot, "after the bindings of '\(kind.rawValue)'")
            let body = try parseExpression()
            return Expression(.quantifier(kind, bindings, body), SourceRange(token.range.start, body.range.end))
        default:
            throw fail("expected an expression, found \(token.spelling)")
        }
    }
}
