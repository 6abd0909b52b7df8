extension SegmentRow {
    /// Appends this row as one compact JSON object, the same keys and values `JSONEncoder` gives
    /// (keys sorted), without its per-value overhead: `tcplab decode --json` writes millions.
    public func appendJSON(to buffer: inout [UInt8]) { Self.appendJSON(self, to: &buffer) }

    /// The same from either source of the text fields (`SegmentLineSource`).
    static func appendJSON<Source: SegmentLineSource>(_ source: Source, to buffer: inout [UInt8]) {
        // `source.row.…` each time, not a copy of the row: a copy retains each of its Strings.
        var json = JSONWriter(buffer: buffer)
        buffer = []
        json.open()
        if let acknowledgment = source.row.acknowledgment { json.key("acknowledgment"); json.number(UInt64(acknowledgment)) }
        json.key("analysis"); json.strings(source.row.analysis.map(\.text))
        json.key("annotation"); json.string(source.row.annotation)
        json.key("connection"); json.number(UInt64(source.row.connection))
        json.key("destination"); json.string(source.row.destination)
        json.key("direction"); json.string(source.row.direction.rawValue)
        json.key("flags"); json.string(source.row.flags)
        if let headerBytesCaptured = source.row.headerBytesCaptured {
            json.key("headerBytesCaptured"); json.number(UInt64(headerBytesCaptured))
        }
        json.key("length"); json.number(UInt64(source.row.length))
        json.key("milliseconds"); json.double(source.row.milliseconds)
        json.key("number"); json.number(UInt64(source.row.number))
        json.key("options")
        json.buffer.append(UInt8(ascii: "["))
        for index in 0..<source.optionCount {
            if index > 0 { json.buffer.append(UInt8(ascii: ",")) }
            json.string { source.appendOption(index, to: &$0) }
        }
        json.buffer.append(UInt8(ascii: "]"))
        if source.hasPreview { json.key("payloadPreview"); json.string { source.appendPreview(to: &$0) } }
        json.key("sequence"); json.number(UInt64(source.row.sequence))
        json.key("sequenceText"); json.string { source.appendSequenceText(to: &$0) }
        json.key("source"); json.string(source.row.source)
        json.key("time"); json.signed(source.row.time)
        if let truncated = source.row.truncated { json.key("truncated"); json.string(truncated) }
        if let urgentPointer = source.row.urgentPointer { json.key("urgentPointer"); json.number(UInt64(urgentPointer)) }
        json.key("window"); json.number(UInt64(source.row.window))
        if let windowBytes = source.row.windowBytes { json.key("windowBytes"); json.number(UInt64(windowBytes)) }
        json.close()
        buffer = json.buffer
    }
}

extension DescribedSegment {
    /// This segment as `spelledOut.appendJSON(to:)` writes it, without making its Strings.
    public func appendJSON(to buffer: inout [UInt8]) { SegmentRow.appendJSON(self, to: &buffer) }

    /// Each of `segments` as `appendJSON(to:)` writes it, on a line of its own, a comma before
    /// each but the array's first (`first`: these begin the array): the elements of
    /// `tcplab decode --json`'s array. Each is read where it lies, not copied out of the array.
    public static func appendJSONLines(_ segments: [DescribedSegment], first: Bool, to buffer: inout [UInt8]) {
        for index in segments.indices {
            if index > 0 || !first { buffer.append(UInt8(ascii: ",")) }
            SegmentRow.appendJSON(segments[index], to: &buffer)
            buffer.append(UInt8(ascii: "\n"))
        }
    }
}

/// The little JSON a segment row needs: objects, strings with RFC 8259 escapes, numbers.
struct JSONWriter {
    var buffer: [UInt8]
    private var first = true

    init(buffer: [UInt8]) { self.buffer = buffer }

    mutating func open() {
        buffer.append(UInt8(ascii: "{"))
        first = true
    }

    mutating func close() { buffer.append(UInt8(ascii: "}")) }

    /// `"name":` (after a comma unless first). Keys are plain ASCII literals: nothing to escape.
    mutating func key(_ name: StaticString) {
        if !first { buffer.append(UInt8(ascii: ",")) }
        first = false
        buffer.append(UInt8(ascii: "\""))
        name.withUTF8Buffer { buffer.append(contentsOf: $0) }
        buffer.append(UInt8(ascii: "\""))
        buffer.append(UInt8(ascii: ":"))
    }

    mutating func raw(_ text: String) { buffer.append(contentsOf: text.utf8) }

    mutating func signed(_ value: Int64) {
        if value < 0 { buffer.append(UInt8(ascii: "-")) }
        number(value.magnitude)
    }

    /// As JSONEncoder writes a Double (its shortest form: `0`, `1.5`, `0.007`). Milliseconds are
    /// whole microseconds over 1000, and a correctly rounded quotient prints as that decimal, so
    /// the common case is written digit by digit; anything else goes through `description`.
    mutating func double(_ value: Double) {
        if value < 0 {
            // A clock that went backwards: JSONEncoder writes `-1000`, the magnitude with a sign.
            buffer.append(UInt8(ascii: "-"))
            double(-value)
            return
        }
        let thousandths = (value * 1000).rounded()
        guard thousandths < 1e15, thousandths / 1000 == value else {
            raw("\(value)")
            return
        }
        let whole = UInt64(thousandths)
        number(whole / 1000)
        var fraction = whole % 1000
        guard fraction > 0 else { return }
        buffer.append(UInt8(ascii: "."))
        var digits = 3
        while fraction % 10 == 0 {
            fraction /= 10
            digits -= 1
        }
        for _ in 0..<(digits - decimalDigits(fraction)) { buffer.append(UInt8(ascii: "0")) }
        buffer.appendDecimal(fraction)
    }

    mutating func number(_ value: UInt64) { buffer.appendDecimal(value) }

    mutating func strings(_ values: [String]) {
        buffer.append(UInt8(ascii: "["))
        for (index, value) in values.enumerated() {
            if index > 0 { buffer.append(UInt8(ascii: ",")) }
            string(value)
        }
        buffer.append(UInt8(ascii: "]"))
    }

    /// `value` quoted, with RFC 8259's escapes as JSONEncoder writes them. Runs of bytes that need
    /// no escape (nearly all of them) are copied whole.
    mutating func string(_ value: String) {
        buffer.append(UInt8(ascii: "\""))
        var value = value
        value.withUTF8 { bytes in
            var run = 0
            for index in bytes.indices {
                let byte = bytes[index]
                guard byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") else { continue }
                buffer.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[run..<index]))
                escape(byte)
                run = index + 1
            }
            buffer.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[run...]))
        }
        buffer.append(UInt8(ascii: "\""))
    }

    /// A string whose text `write` appends: written in place, then escaped in place in the
    /// rare case it holds a quote, a backslash or a control character.
    mutating func string(_ write: (inout [UInt8]) -> Void) {
        buffer.append(UInt8(ascii: "\""))
        let start = buffer.count
        write(&buffer)
        if buffer[start...].contains(where: { $0 < 0x20 || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\\") }) {
            let text = String(decoding: buffer[start...], as: UTF8.self)
            buffer.removeSubrange(start...)
            buffer.removeLast()  // the opening quote: `string(_:)` writes its own
            string(text)
            return
        }
        buffer.append(UInt8(ascii: "\""))
    }

    /// The escape for a quote, a backslash or a control character.
    private mutating func escape(_ byte: UInt8) {
        buffer.append(UInt8(ascii: "\\"))
        switch byte {
        case UInt8(ascii: "\""): buffer.append(UInt8(ascii: "\""))
        case UInt8(ascii: "\\"): buffer.append(UInt8(ascii: "\\"))
        case 0x0a: buffer.append(UInt8(ascii: "n"))
        case 0x0d: buffer.append(UInt8(ascii: "r"))
        case 0x09: buffer.append(UInt8(ascii: "t"))
        default:
            let hex: StaticString = "0123456789abcdef"
            buffer.append(contentsOf: "u00".utf8)
            hex.withUTF8Buffer { digits in
                buffer.append(digits[Int(byte >> 4)])
                buffer.append(digits[Int(byte & 0xf)])
            }
        }
    }
}
