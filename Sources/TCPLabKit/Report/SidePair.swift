/// Two values, one per side of a connection (0 and 1, as `Connection` numbers them), stored
/// inline: the tracker keeps one pair per connection and reads it for every segment, and an
/// array of two would cost a heap allocation per connection and a uniqueness check per write.
struct SidePair<Value: Sendable>: Sendable {
    var first: Value
    var second: Value

    init(_ first: Value, _ second: Value) {
        self.first = first
        self.second = second
    }

    /// Side 0 or side 1; any other index is a programming error.
    subscript(side: Int) -> Value {
        get { side == 0 ? first : second }
        set {
            if side == 0 { first = newValue } else { second = newValue }
        }
    }

    /// Whether both values satisfy `predicate`.
    func allSatisfy(_ predicate: (Value) -> Bool) -> Bool { predicate(first) && predicate(second) }
}
