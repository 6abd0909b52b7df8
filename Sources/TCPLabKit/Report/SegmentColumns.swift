/// The widths of the segment table's columns, in characters, each counting the space that
/// separates it from the next (`#` keeps a fixed width).
///
/// A column is as wide as the widest value its field can hold, so lines stay in line whatever
/// the segment: flags fit tcpdump's nine letters (`FSRP.UEWe`), ack a 10-digit number, length
/// 65535, window a 10-digit byte count (65535 × 2^14, RFC 7323's largest). Relative sequence
/// ranges, times and connection numbers have no useful bound: those columns start narrow and
/// `fit(_:)` widens them for good when a value needs more.
public struct SegmentColumns: Sendable, Equatable {
    /// Milliseconds since the first segment, three decimals, a sign when the clock went back.
    public internal(set) var time: Int
    /// `C > S`, `S > C12`: 8 holds connections up to C99 (`C99 > S` and a space).
    public internal(set) var who: Int = 8
    public internal(set) var flags: Int
    public internal(set) var sequence: Int
    public internal(set) var acknowledgment: Int
    /// Right-aligned in this width, then two spaces.
    public internal(set) var length: Int
    public internal(set) var window: Int
    /// Whether the options' padding (`nop x2`, `eol`) is printed: `tcplab decode` shows the
    /// header as tcpdump reads it; the scenario timeline leaves it out, as the lab's own
    /// segments are padded alike every time (`nop x2` before every TS) and it teaches nothing there.
    public internal(set) var showsPadding = false

    /// The scenario timeline: the lab's own segments (flags of at most three letters, relative
    /// numbers of a short exchange), in the compact widths its golden timelines use.
    public static let timeline = SegmentColumns(time: 10, flags: 7, sequence: 11, acknowledgment: 8, length: 3, window: 8)

    /// `tcplab decode`: any capture. With `absolute` numbers the sequence column holds two 10-digit
    /// numbers (`3406657145:3406657152`) from the start.
    public static func capture(absolute: Bool) -> SegmentColumns {
        SegmentColumns(time: 11, flags: 10, sequence: absolute ? 22 : 12, acknowledgment: 11, length: 5, window: 11, showsPadding: true)
    }

    /// Widens the sequence column so `row`'s range fits, with its separating space; the column
    /// never narrows again, so the lines after it stay in line with each other.
    public mutating func fit(_ row: SegmentRow) { fit(source: row) }

    /// The same for a row in parts.
    mutating func fit<Source: SegmentLineSource>(source: Source) {
        // `source.row.…` each time, not a copy of the row: a copy retains each of its Strings.
        let needed = source.sequenceTextCount + 1
        if needed > sequence { sequence = needed }
        // `-1000.000`: the whole milliseconds' digits, the point and three decimals; the line
        // pads it to one less than the width and adds a space, so it needs two more.
        let whole = UInt64(min(source.row.milliseconds.magnitude, 1e15))
        var digits = 1
        var rest = whole / 10
        while rest > 0 {
            digits += 1
            rest /= 10
        }
        let timeNeeded = digits + 4 + (source.row.milliseconds < 0 ? 1 : 0) + 2
        if timeNeeded > time { time = timeNeeded }
        // `C100 > S` and a space: the connection's digits, `C`, ` > S` and the space.
        let connection = source.row.connection
        let whoNeeded = (connection > 1 ? decimalDigits(UInt64(connection)) : 0) + 6
        if whoNeeded > who { who = whoNeeded }
    }

    /// The header line over segment lines laid out in these widths.
    public var header: String {
        var line = LineBuilder()
        line.append("   #  ")
        line.column("t ms", time)
        line.column("who", who)
        line.column("flags", flags)
        line.column("seq", sequence)
        line.column("ack", acknowledgment)
        line.spaces(length - 3)
        line.append("len  ")
        line.column("win", window)
        line.append("what")
        return line.string
    }
}
