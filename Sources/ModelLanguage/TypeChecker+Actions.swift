/// Actions (parameters, guard, body), their `emits` clauses against the one event signature of the model,
/// and `entry` points.
extension TypeChecker {
    mutating func declareAction(_ name: Identifier, _ fair: Bool, _ parameters: [Binding], _ guardExpression: Expression?,
                                        _ body: [Statement], _ emits: [EmitClause], _ range: SourceRange) {
        if !actionNames.insert(name.name).inserted {
            diagnostics.error("duplicate action '\(name.name)'", at: name.range)
        }
        var scope: [Local] = []
        var infos: [ParameterInfo] = []
        var seen: Set<String> = []
        for parameter in parameters {
            if !seen.insert(parameter.name.name).inserted {
                diagnostics.error("duplicate parameter '\(parameter.name.name)'", at: parameter.name.range)
            }
            guard let type = resolveFiniteType(parameter.type) else { continue }
            let id = freshBound()
            infos.append(ParameterInfo(id: id, name: parameter.name.name, type: type))
            scope.append(Local(name: parameter.name.name, expression: .bound(id, type.valueType)))
        }
        let typedGuard = guardExpression.map { checkCondition($0, scope, "an action guard") } ?? .literal(1, .bool)
        let typedBody = checkBlock(body, scope)
        var info = ActionInfo(name: name.name, fair: fair, parameters: infos, guardExpression: typedGuard, body: typedBody, range: range)
        info.emissions = emits.compactMap { checkEmission($0, scope) }
        actions.append(info)
    }

    /// Checks one `emits` clause: a known kind with its number of arguments, a device and states of the types every
    /// other clause uses (the first clause fixes them), and a bool condition.
    mutating func checkEmission(_ clause: EmitClause, _ scope: [Local]) -> EmissionInfo? {
        guard let kind = EventKind(rawValue: clause.kind.name) else {
            diagnostics.error("unknown event kind '\(clause.kind.name)' (the kinds are set, reset and state)", at: clause.kind.range)
            return nil
        }
        let arities: [Int]
        let shape: String
        switch kind {
        case .set: arities = [3, 4]; shape = "set(DEVICE, REQUESTED, AFTER) or set(DEVICE, REQUESTED, RECOVER, AFTER)"
        case .reset: arities = [2]; shape = "reset(DEVICE, AFTER)"
        case .state: arities = [2]; shape = "state(DEVICE, STATE)"
        }
        let typed = clause.arguments.map { check($0, scope) }
        let condition = clause.condition.map { checkCondition($0, scope, "the condition of an emitted event") }
        guard arities.contains(typed.count) else {
            diagnostics.error("event '\(kind.rawValue)' takes \(arities.map(String.init).joined(separator: " or ")) arguments, "
                              + "found \(typed.count): \(shape)", at: clause.range)
            return nil
        }
        var ok = true
        let deviceType = typed[0].type
        let stateType = typed[1].type
        if deviceType == .bool {
            diagnostics.error("type mismatch: the device of an event cannot be bool", at: clause.arguments[0].range)
            ok = false
        }
        if stateType == .bool {
            diagnostics.error("type mismatch: the state of an event cannot be bool", at: clause.arguments[1].range)
            ok = false
        }
        for position in 2..<typed.count where !typed[position].type.isCompatible(with: stateType) {
            diagnostics.error("type mismatch: the states of an event must have one type; argument \(position + 1) is "
                              + "\(typed[position].type.description), argument 2 is \(stateType.description)", at: clause.arguments[position].range)
            ok = false
        }
        if ok, deviceType != .error, stateType != .error {
            if let signature = eventSignature {
                let first = eventSignatureAt.map { range -> String in
                    let position = source.position(of: range.start)
                    return " (the first emitted event, at line \(position.line), column \(position.column))"
                } ?? ""
                if !deviceType.isCompatible(with: signature.deviceType) {
                    diagnostics.error("type mismatch: every event names its device with one type; this one is \(deviceType.description), "
                                      + "the others \(signature.deviceType.description)\(first)", at: clause.arguments[0].range)
                    ok = false
                }
                if !stateType.isCompatible(with: signature.stateType) {
                    diagnostics.error("type mismatch: every event's states have one type; this one is \(stateType.description), "
                                      + "the others \(signature.stateType.description)\(first)", at: clause.arguments[1].range)
                    ok = false
                }
            } else {
                eventSignature = EventSignature(deviceType: deviceType, stateType: stateType)
                eventSignatureAt = clause.range
            }
        }
        guard ok else { return nil }
        switch kind {
        case .set:
            return EmissionInfo(kind: kind, device: typed[0], requested: typed[1], recover: typed.count == 4 ? typed[2] : nil,
                                state: typed[typed.count - 1], condition: condition, range: clause.range)
        case .reset, .state:
            return EmissionInfo(kind: kind, device: typed[0], requested: nil, recover: nil, state: typed[1], condition: condition,
                                range: clause.range)
        }
    }

    mutating func declareEntry(_ name: Identifier, _ predicate: Expression) {
        let typed = checkCondition(predicate, [], "an entry point")
        if entries.contains(where: { $0.name == name.name }) {
            diagnostics.error("duplicate entry point '\(name.name)'", at: name.range)
            return
        }
        entries.append(EntryInfo(name: name.name, predicate: typed, range: name.range))
    }
}
