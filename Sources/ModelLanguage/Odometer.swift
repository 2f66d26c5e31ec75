/// Counting through every combination of choices, one digit per choice, the last digit fastest: the order the
/// triviality analysis walks valuations and the builder lists initial states in (so both see the same order).
public enum Odometer {
    /// Advances `digits` to the next combination, where digit `i` counts below `radix(i)`. Returns false when
    /// every digit wrapped back to 0, that is, after the last combination.
    public static func advance(_ digits: inout [Int], radix: (Int) -> Int) -> Bool {
        var position = digits.count - 1
        while position >= 0 {
            digits[position] += 1
            if digits[position] < radix(position) { return true }
            digits[position] = 0
            position -= 1
        }
        return false
    }
}
