/// Doc comments: gathered by what they document, and each quote's `{Property: v=VALUE}` checked against the
/// model's properties and variants, so a FINDINGS sentence can never name a property or a reading that does not exist.
extension TypeChecker {
    mutating func collectDocumentation(_ attachments: [DocAttachment]) -> ModelDocumentation {
        var documentation = ModelDocumentation()
        for attachment in attachments {
            switch attachment.target {
            case .model:
                documentation.model = attachment.comment
            case .property(let name), .assertion(let name):
                guard propertyIndex[name] != nil else { continue }
                if documentation.properties[name] == nil {
                    documentation.properties[name] = attachment.comment
                } else {
                    documentation.properties[name]?.merge(attachment.comment)
                }
            case .variant(let name):
                guard variantIndex[name] != nil else { continue }
                documentation.variants[name] = attachment.comment
            case .other:
                continue
            }
            checkQuotes(attachment.comment)
        }
        return documentation
    }

    /// Reports references to unknown properties, unknown variants and values a variant does not take.
    mutating func checkQuotes(_ comment: DocComment) {
        for quote in comment.quotes {
            for case .verdict(let property, let pins, let offset, let pinOffsets) in quote {
                if propertyIndex[property] == nil {
                    diagnostics.error("quote: no property named '\(property)'", at: offset)
                    continue
                }
                var seen: Set<String> = []
                for (number, pin) in pins.enumerated() {
                    let at = number < pinOffsets.count ? pinOffsets[number] : offset
                    guard let index = variantIndex[pin.name] else {
                        diagnostics.error("quote: the model has no variant named '\(pin.name)' (in {\(property): ...})", at: at)
                        continue
                    }
                    if !seen.insert(pin.name).inserted {
                        diagnostics.error("quote: variant '\(pin.name)' is given twice in {\(property): ...}", at: at)
                    }
                    let variant = variants[index]
                    let names = variant.values.map { variant.type.format($0) }
                    if !names.contains(pin.value) {
                        diagnostics.error("quote: \(pin.value) is not one of the values of variant '\(pin.name)' (\(names.joined(separator: ", ")))",
                                          at: at)
                    }
                }
            }
        }
    }
}
