/// Builds one output line as bytes, with columns padded to fixed widths, the way the timeline
/// lines up. Works on bytes rather than Strings because `tcplab decode` formats millions of lines.
struct LineBuilder {
    var bytes: [UInt8] = []

    init() { bytes.reserveCapacity(160) }

    /// Continues `bytes`: the line is appended after what is there (the decode output buffer),
    /// so no line is built apart and copied.
    init(continuing bytes: [UInt8]) { self.bytes = bytes }

    var count: Int { bytes.count }

    mutating func append(_ text: String) {
        // One copy of the contiguous UTF-8; `append(contentsOf: text.utf8)` goes unit by unit.
        var text = text
        text.withUTF8 { bytes.append(contentsOf: $0) }
    }

    /// Appends a literal's bytes.
    mutating func append(_ text: StaticString) {
        text.withUTF8Buffer { for byte in $0 { bytes.append(byte) } }
    }

    mutating func spaces(_ count: Int) {
        // Byte by byte: a single-element append is inlined, a bulk one is a call per run.
        var left = count
        while left > 0 {
            bytes.append(UInt8(ascii: " "))
            left -= 1
        }
    }

    /// Appends `text` padded to `width`; a value as wide or wider still gets one space, so
    /// columns never run together.
    mutating func column(_ text: String, _ width: Int) {
        let start = bytes.count
        append(text)
        let used = bytes.count - start
        spaces(used >= width ? 1 : width - used)
    }

    /// Appends an unsigned number in decimal, right-aligned in `width`.
    mutating func number(_ value: UInt64, rightAlignedIn width: Int = 0) {
        if width > 1 { spaces(width - decimalDigits(value)) }
        bytes.appendDecimal(value)
    }

    /// `C > S`, `S > C2`: `SegmentRow.who` padded to `width`, the `who` column's width
    /// (`SegmentColumns.who`), written without building the String.
    mutating func who(connection: Int, _ direction: SegmentRow.Direction, width: Int) {
        let start = bytes.count
        func client() {
            bytes.append(UInt8(ascii: "C"))
            if connection > 1 { bytes.appendDecimal(UInt64(connection)) }
        }
        if direction == .clientToServer {
            client()
            append(" > S" as StaticString)
        } else {
            append("S > " as StaticString)
            client()
        }
        let used = bytes.count - start
        spaces(used >= width ? 1 : width - used)
    }

    /// Appends an unsigned number left-aligned in a column of `width`.
    mutating func numberColumn(_ value: UInt64, _ width: Int) {
        let start = bytes.count
        number(value)
        let used = bytes.count - start
        spaces(used >= width ? 1 : width - used)
    }

    /// `1234.568`: milliseconds with three decimals, left-aligned in `width`. A negative value
    /// (a capture whose clock went backwards) keeps its sign: `-1000.000`.
    mutating func milliseconds(_ value: Double, _ width: Int) {
        let scaled = (value * 1000).rounded()
        let thousandths = UInt64(min(scaled.magnitude, 1e18))
        let start = bytes.count
        if scaled < 0 { bytes.append(UInt8(ascii: "-")) }
        number(thousandths / 1000)
        bytes.append(UInt8(ascii: "."))
        let fraction = thousandths % 1000
        if fraction < 100 { bytes.append(UInt8(ascii: "0")) }
        if fraction < 10 { bytes.append(UInt8(ascii: "0")) }
        number(fraction)
        let used = bytes.count - start
        spaces(used >= width ? 1 : width - used)
    }

    var string: String { String(decoding: bytes, as: UTF8.self) }
}

/// How many decimal digits `value` has (1 for 0).
func decimalDigits(_ value: UInt64) -> Int {
    var count = 1
    var rest = value / 10
    while rest > 0 {
        count += 1
        rest /= 10
    }
    return count
}

extension Array where Element == UInt8 {
    /// Appends `value` in decimal ASCII digits, with no String in between: the decoder writes
    /// several numbers for each of millions of segments.
    mutating func appendDecimal(_ value: UInt64) {
        if value < 10 {
            append(UInt8(ascii: "0") + UInt8(value))
            return
        }
        // Digits worked out from the right into a buffer on the stack, then appended one by one
        // (a single-element append is inlined; a bulk one costs a call).
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 20) { digits in
            var remaining = value
            var index = 20
            repeat {
                index -= 1
                digits[index] = UInt8(ascii: "0") + UInt8(remaining % 10)
                remaining /= 10
            } while remaining > 0
            while index < 20 {
                append(digits[index])
                index += 1
            }
        }
    }
}
