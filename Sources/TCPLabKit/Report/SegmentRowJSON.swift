extension SegmentRow {
    /// Appends this row as one compact JSON object, the same keys and values `JSONEncoder` gives
    /// (keys sorted), without its per-value overhead: `tcplab decode --json` writes millions.
    public func appendJSON(to buffer: inout [UInt8]) {
        var json = JSONWriter(buffer: buffer)
        buffer = []
        json.open()
        if let acknowledgment { json.key("acknowledgment"); json.number(UInt64(acknowledgment)) }
        json.key("analysis"); json.strings(analysis.map(\.text))
        json.key("annotation"); json.string(annotation)
        json.key("connection"); json.number(UInt64(connection))
        json.key("destination"); json.string(destination)
        json.key("direction"); json.string(direction.rawValue)
        json.key("flags"); json.string(flags)
        if let headerBytesCaptured { json.key("headerBytesCaptured"); json.number(UInt64(headerBytesCaptured)) }
        json.key("length"); json.number(UInt64(length))
        json.key("milliseconds"); json.double(milliseconds)
        json.key("number"); json.number(UInt64(number))
        json.key("options"); json.strings(options)
        if let payloadPreview { json.key("payloadPreview"); json.string(payloadPreview) }
        json.key("sequence"); json.number(UInt64(sequence))
        json.key("sequenceText"); json.string(sequenceText)
        json.key("source"); json.string(source)
        json.key("time"); json.signed(time)
        if let truncated { json.key("truncated"); json.string(truncated) }
        json.key("window"); json.number(UInt64(window))
        if let windowBytes { json.key("windowBytes"); json.number(UInt64(windowBytes)) }
        json.close()
        buffer = json.buffer
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

    mutating func key(_ name: String) {
        if !first { buffer.append(UInt8(ascii: ",")) }
        first = false
        string(name)
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
        let text = String(fraction)
        for _ in 0..<(digits - text.count) { buffer.append(UInt8(ascii: "0")) }
        buffer.append(contentsOf: text.utf8)
    }

    mutating func number(_ value: UInt64) {
        var line = LineBuilder()
        line.number(value)
        buffer.append(contentsOf: line.bytes)
    }

    mutating func strings(_ values: [String]) {
        buffer.append(UInt8(ascii: "["))
        for (index, value) in values.enumerated() {
            if index > 0 { buffer.append(UInt8(ascii: ",")) }
            string(value)
        }
        buffer.append(UInt8(ascii: "]"))
    }

    mutating func string(_ value: String) {
        buffer.append(UInt8(ascii: "\""))
        for byte in value.utf8 {
            switch byte {
            case UInt8(ascii: "\""): buffer.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\"")])
            case UInt8(ascii: "\\"): buffer.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\\")])
            case 0x0a: buffer.append(contentsOf: Array("\\n".utf8))
            case 0x0d: buffer.append(contentsOf: Array("\\r".utf8))
            case 0x09: buffer.append(contentsOf: Array("\\t".utf8))
            case 0..<0x20:
                let hex = Array("0123456789abcdef".utf8)
                buffer.append(contentsOf: Array("\\u00".utf8))
                buffer.append(hex[Int(byte >> 4)])
                buffer.append(hex[Int(byte & 0xf)])
            default: buffer.append(byte)
            }
        }
        buffer.append(UInt8(ascii: "\""))
    }
}
