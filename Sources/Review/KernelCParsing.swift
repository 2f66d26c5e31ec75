/// The grammar of the C constructs `KernelExtractor` reads: the table's designated initialisers, the
/// flags table's `|` expressions, the uAPI enum, and the shape of the resolver's loop. Each is a bounded forward
/// pass over the tokens; every error names a line and column.
extension KernelExtractor {
    /// A position in the tokens with the helpers the grammar needs; every error names a line and column.
    struct Cursor {
        let tokens: [CToken]
        var position: Int
        let file: String

        var current: CToken? { position < tokens.count ? tokens[position] : nil }

        func error(_ message: String) -> KernelSourceError {
            if let token = current {
                // A comment left open hides the code up to the next `*/`: say where the last token before the
                // gap is, so the reader looks there and not only at the line reported.
                var hint = ""
                if position > 0 && token.line - tokens[position - 1].line >= 5 {
                    hint = " (the token before is at line \(tokens[position - 1].line); only comments or preprocessor lines are in between)"
                }
                return KernelSourceError(file: file, line: token.line, column: token.column, message: message + hint)
            }
            let last = tokens.last
            return KernelSourceError(file: file, line: last?.line, column: last.map { $0.column + $0.text.count },
                                     message: message + " (the file ends here)")
        }

        func found() -> String { current.map { "'\($0.text)'" } ?? "the end of the file" }

        mutating func expect(_ text: String, _ what: String) throws {
            guard current?.text == text else { throw error("expected \(what), found \(found())") }
            position += 1
        }

        func at(_ text: String) -> Bool { current?.text == text }

        /// `[VFIO_DEVICE_STATE_X] =`, the head of a designated initialiser: the state, without the prefix.
        /// `what` names the `[` in the error when it is missing.
        mutating func designator(_ what: String) throws -> CToken {
            try expect("[", what)
            let state = try stateName()
            try expect("]", "']'")
            try expect("=", "'='")
            return state
        }

        /// Skips a `,` and says whether there was one (a list goes on after it).
        mutating func comma() -> Bool {
            guard at(",") else { return false }
            position += 1
            return true
        }

        /// A `VFIO_DEVICE_STATE_*` name; the token returned holds the name without the prefix.
        mutating func stateName() throws -> CToken {
            guard let token = current, token.kind == .identifier, token.text.hasPrefix(KernelExtractor.statePrefix),
                  token.text.count > KernelExtractor.statePrefix.count else {
                throw error("expected a VFIO_DEVICE_STATE_ name, found \(found())")
            }
            position += 1
            return CToken(kind: .identifier, text: String(token.text.dropFirst(KernelExtractor.statePrefix.count)),
                          line: token.line, column: token.column)
        }
    }

    /// One `[ROW] = { [COLUMN] = VALUE }` entry.
    struct TableEntry {
        let row: CToken
        let column: CToken
        let value: CToken
    }

    /// The index of the `{` that starts the initialiser of `name` (`name[...]... = {`), nil when there is none.
    static func definition(named name: String, in tokens: [CToken], file: String) throws -> Int? {
        let closing = closingBrackets(tokens)
        var found: [Int] = []
        for index in tokens.indices where tokens[index].kind == .identifier && tokens[index].text == name {
            var next = index + 1
            // Skip the dimensions, one bracket group at a time (an unclosed one ends the search here).
            while next < tokens.count && tokens[next].text == "[" && closing[next] > next { next = closing[next] + 1 }
            if next + 1 < tokens.count && tokens[next].text == "=" && tokens[next + 1].text == "{" {
                found.append(next + 1)
            }
        }
        if found.count > 1 {
            let second = tokens[found[1]]
            throw KernelSourceError(file: file, line: second.line, column: second.column,
                                    message: "a second definition of '\(name)' (the first is at line \(tokens[found[0]].line)); cannot tell which one is compiled")
        }
        return found.first
    }

    /// For each opening bracket, the index of the bracket that closes it (-1 when none does), in one pass with a
    /// stack, so that finding a group's end never rescans the tokens (which nested groups would make quadratic).
    static func closingBrackets(_ tokens: [CToken]) -> [Int] {
        var closing = [Int](repeating: -1, count: tokens.count)
        var open: [Int] = []
        let pairs: [String: String] = [")": "(", "]": "[", "}": "{"]
        for (index, token) in tokens.enumerated() where token.kind == .punct {
            if token.text == "(" || token.text == "[" || token.text == "{" {
                open.append(index)
            } else if let opener = pairs[token.text] {
                // A closer that does not match the innermost opener is ignored (the input is not C we read).
                if let last = open.last, tokens[last].text == opener {
                    closing[last] = index
                    open.removeLast()
                }
            }
        }
        return closing
    }

    /// `{ [ROW] = { [COLUMN] = VALUE, ... }, ... }`, trailing commas allowed.
    static func parseTable(_ cursor: inout Cursor) throws -> [TableEntry] {
        var entries: [TableEntry] = []
        try cursor.expect("{", "'{'")
        while !cursor.at("}") {
            let row = try cursor.designator("'[' of a designated initialiser '[VFIO_DEVICE_STATE_X] = { ... }'")
            try cursor.expect("{", "'{' opening the row of \(row.text)")
            while !cursor.at("}") {
                let column = try cursor.designator("'[' of a designated initialiser '[VFIO_DEVICE_STATE_Y] = VFIO_DEVICE_STATE_Z'")
                let value = try cursor.stateName()
                entries.append(TableEntry(row: row, column: column, value: value))
                if !cursor.comma() { break }
            }
            try cursor.expect("}", "'}' closing the row of \(row.text), or ','")
            if !cursor.comma() { break }
        }
        try cursor.expect("}", "'}' closing vfio_from_fsm_table, or ','")
        try cursor.expect(";", "';' after vfio_from_fsm_table's initialiser")
        return entries
    }

    /// `{ [STATE] = FLAG | FLAG, [STATE] = ~0U, ... }`.
    static func parseFlagsTable(_ cursor: inout Cursor) throws -> [(CToken, StateNeeds)] {
        var entries: [(CToken, StateNeeds)] = []
        try cursor.expect("{", "'{'")
        while !cursor.at("}") {
            let state = try cursor.designator("'[' of a designated initialiser")
            entries.append((state, try flagExpression(&cursor, depth: 0)))
            if !cursor.comma() { break }
        }
        try cursor.expect("}", "'}' closing state_flags_table, or ','")
        return entries
    }

    /// TERM ('|' TERM)*, TERM = VFIO_MIGRATION_X | ~0 (any suffix) | 0 | '(' EXPR ')'.
    static func flagExpression(_ cursor: inout Cursor, depth: Int) throws -> StateNeeds {
        guard depth < 32 else { throw cursor.error("parentheses nested too deeply") }
        var flags: Set<String> = []
        var allBits = false
        repeat {
            if cursor.at("|") { cursor.position += 1 }
            guard let token = cursor.current else { throw cursor.error("expected a flag") }
            if token.kind == .identifier && token.text.hasPrefix(flagPrefix) && token.text.count > flagPrefix.count {
                flags.insert(String(token.text.dropFirst(flagPrefix.count)))
                cursor.position += 1
            } else if token.text == "~" {
                cursor.position += 1
                guard let zero = cursor.current, zero.kind == .number, isZero(zero.text) else {
                    throw cursor.error("expected '~0U', found '~' followed by \(cursor.found())")
                }
                cursor.position += 1
                allBits = true
            } else if token.kind == .number && isZero(token.text) {
                cursor.position += 1
            } else if token.text == "(" {
                cursor.position += 1
                let inner = try flagExpression(&cursor, depth: depth + 1)
                try cursor.expect(")", "')'")
                flags.formUnion(inner.flags)
                allBits = allBits || inner.allBits
            } else {
                throw cursor.error("expected a VFIO_MIGRATION_ flag, '~0U' or '0', found \(cursor.found())")
            }
        } while cursor.at("|")
        return StateNeeds(flags: flags, allBits: allBits)
    }

    /// `0`, `0U`, `0u`, `0UL`, `0x0`...
    static func isZero(_ text: String) -> Bool {
        let digits = text.lowercased().drop { $0 == "0" }.filter { $0 != "u" && $0 != "l" && $0 != "x" }
        return text.first == "0" && digits.isEmpty
    }

    /// `enum vfio_device_mig_state { NAME [= NUMBER], ... }`: the members (prefix removed) and their values.
    static func parseEnum(_ tokens: [CToken], file: String) throws -> [(String, Int)] {
        var start: Int?
        for index in tokens.indices where index + 2 < tokens.count {
            if tokens[index].text == "enum" && tokens[index + 1].text == "vfio_device_mig_state" && tokens[index + 2].text == "{" {
                start = index + 2
                break
            }
        }
        guard let start else {
            throw KernelSourceError(file: file, line: nil, column: nil, message: "no 'enum vfio_device_mig_state { ... }' found")
        }
        var cursor = Cursor(tokens: tokens, position: start, file: file)
        try cursor.expect("{", "'{'")
        var members: [(String, Int)] = []
        var seen: Set<String> = []
        var next = 0
        while !cursor.at("}") {
            let name = try cursor.stateName()
            if cursor.at("=") {
                cursor.position += 1
                guard let number = cursor.current, number.kind == .number, let value = integer(number.text) else {
                    throw cursor.error("expected an integer value for VFIO_DEVICE_STATE_\(name.text), found \(cursor.found())")
                }
                cursor.position += 1
                next = value
            }
            if !seen.insert(name.text).inserted {
                throw KernelSourceError(file: file, line: name.line, column: name.column,
                                        message: "VFIO_DEVICE_STATE_\(name.text) is listed twice")
            }
            members.append((name.text, next))
            next += 1
            if cursor.at(",") { cursor.position += 1 } else { break }
        }
        try cursor.expect("}", "'}' closing the enum, or ','")
        // The sentinel that counts the states (VFIO_DEVICE_STATE_NR) is not a state.
        return members.filter { $0.0 != "NR" }
    }

    /// A decimal or hexadecimal C integer literal with an optional U/L suffix, nil when out of range.
    static func integer(_ text: String) -> Int? {
        var body = Substring(text.lowercased())
        while let last = body.last, last == "u" || last == "l" { body = body.dropLast() }
        if body.hasPrefix("0x") { return Int(body.dropFirst(2), radix: 16) }
        return Int(body, radix: 10)
    }

    /// Finds the resolver's `while` over unsupported states (its condition reads `state_flags_table`) and tells
    /// whether it tests ERROR (the posted fix) or not (the shipped loop).
    static func loopReading(_ tokens: [CToken]) -> LoopReading {
        let closing = closingBrackets(tokens)
        // Prefix counts of the two names, and the next ';' from each token: every range query is O(1).
        var flagsBefore = [Int](repeating: 0, count: tokens.count + 1)
        var errorBefore = [Int](repeating: 0, count: tokens.count + 1)
        for (index, token) in tokens.enumerated() {
            flagsBefore[index + 1] = flagsBefore[index] + (token.text == "state_flags_table" ? 1 : 0)
            errorBefore[index + 1] = errorBefore[index] + (token.text == statePrefix + "ERROR" ? 1 : 0)
        }
        var nextSemicolon = [Int](repeating: tokens.count - 1, count: tokens.count)
        var following = tokens.count - 1
        for index in tokens.indices.reversed() {
            if tokens[index].text == ";" { following = index }
            nextSemicolon[index] = following
        }
        for index in tokens.indices where index + 1 < tokens.count {
            guard tokens[index].kind == .identifier, tokens[index].text == "while", tokens[index + 1].text == "(" else { continue }
            let conditionEnd = closing[index + 1]
            guard conditionEnd > index else {
                return .unknown(reason: "the while at line \(tokens[index].line) has unbalanced parentheses")
            }
            guard flagsBefore[conditionEnd + 1] - flagsBefore[index + 1] > 0 else { continue }
            var bodyEnd = min(conditionEnd + 1, tokens.count - 1)
            if tokens[bodyEnd].text == "{" {
                bodyEnd = closing[bodyEnd] > bodyEnd ? closing[bodyEnd] : tokens.count - 1
            } else {
                bodyEnd = nextSemicolon[bodyEnd]
            }
            let testsError = errorBefore[bodyEnd + 1] - errorBefore[index + 1] > 0
            return testsError ? .fixed(line: tokens[index].line) : .shipped(line: tokens[index].line)
        }
        return .unknown(reason: "no while loop over state_flags_table found")
    }
}
