/// Builds one output line as bytes, with columns padded to fixed widths, the way the timeline
/// lines up. Works on bytes rather than Strings because `tcplab decode` formats millions of lines.
struct LineBuilder {
    private(set) var bytes: [UInt8] = []

    init() { bytes.reserveCapacity(160) }

    var count: Int { bytes.count }

    mutating func append(_ text: String) { bytes.append(contentsOf: text.utf8) }

    mutating func spaces(_ count: Int) {
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
        var count = 1
        var rest = value / 10
        while rest > 0 {
            count += 1
            rest /= 10
        }
        spaces(width - count)
        let start = bytes.count
        spaces(count)
        var remaining = value
        var index = start + count - 1
        repeat {
            bytes[index] = UInt8(ascii: "0") + UInt8(remaining % 10)
            remaining /= 10
            index -= 1
        } while remaining > 0
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
