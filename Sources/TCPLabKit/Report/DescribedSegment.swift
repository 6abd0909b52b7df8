/// A segment as the tracker described it, before its text fields are spelled out: `row` has
/// every field but `options`, `payloadPreview` and `sequenceText`, which are kept here as the
/// values they are made from. `tcplab decode` writes those straight into its output buffer
/// (`SegmentLineSource`), so a million segments cost no option Strings; `spelledOut` gives the
/// `SegmentRow` everything else uses, its text written by the same code.
public struct DescribedSegment: Sendable {
    /// The row, its `options` empty, `payloadPreview` nil and `sequenceText` empty.
    public internal(set) var row: SegmentRow
    /// The header's options; each run of equal padding options is written as one entry
    /// (`nop x2`), as `TCPOption.texts(_:sackBase:)` spells them.
    let options: OptionList
    /// Subtracted from SACK blocks: the peer's initial sequence number (0 with `--absolute`).
    let sackBase: UInt32
    /// The start of the captured payload, for the preview.
    let payload: PayloadPreview

    /// `options` and `payload` are the segment's as decoded; only what is written is kept.
    init(row: SegmentRow, options: [TCPOption], sackBase: UInt32, payload: [UInt8]) {
        self.row = row
        self.options = OptionList(options)
        self.sackBase = sackBase
        self.payload = PayloadPreview(payload)
    }

    /// The row with its text fields filled in, byte for byte what `tcplab decode` prints.
    public var spelledOut: SegmentRow {
        var spelled = row
        var bytes: [UInt8] = []
        appendSequenceText(to: &bytes)
        spelled.sequenceText = String(decoding: bytes, as: UTF8.self)
        if !payload.isEmpty {
            bytes.removeAll(keepingCapacity: true)
            appendPreview(to: &bytes)
            spelled.payloadPreview = String(decoding: bytes, as: UTF8.self)
        }
        var options: [String] = []
        for index in 0..<optionCount {
            bytes.removeAll(keepingCapacity: true)
            appendOption(index, to: &bytes)
            options.append(String(decoding: bytes, as: UTF8.self))
        }
        spelled.options = options
        return spelled
    }

    /// `1:65` for data (relative, or absolute as asked), `1` otherwise; nothing for a segment
    /// whose fixed header the capture cut (`headerBytesCaptured`), as it has no numbers.
    func appendSequenceText(to bytes: inout [UInt8]) {
        guard row.headerBytesCaptured == nil else { return }
        bytes.appendDecimal(UInt64(row.sequence))
        guard row.length > 0 else { return }
        bytes.append(UInt8(ascii: ":"))
        bytes.appendDecimal(UInt64(row.sequence &+ UInt32(truncatingIfNeeded: row.length)))
    }

    /// The first 24 payload bytes as quoted text: printable ASCII as is, a newline as `\n`, a
    /// quote as `\"`, any other byte as `.`; `…` after the closing quote when there is more.
    func appendPreview(to bytes: inout [UInt8]) {
        bytes.append(UInt8(ascii: "\""))
        for index in 0..<payload.count {
            let byte = payload[index]
            switch byte {
            case 0x0a: bytes.append(UInt8(ascii: "\\")); bytes.append(UInt8(ascii: "n"))
            case UInt8(ascii: "\""): bytes.append(UInt8(ascii: "\\")); bytes.append(UInt8(ascii: "\""))
            case 0x20...0x7e: bytes.append(byte)
            default: bytes.append(UInt8(ascii: "."))
            }
        }
        bytes.append(UInt8(ascii: "\""))
        if payload.more {
            bytes.append(0xE2); bytes.append(0x80); bytes.append(0xA6)  // "…" in UTF-8
        }
    }

    /// One option as tcpdump prints it (`TCPOption.tcpdumpText(sackBase:)`); the timestamps
    /// nearly every segment carries are written digit by digit, the rest through their String.
    static func append(_ option: TCPOption, sackBase: UInt32, to bytes: inout [UInt8]) {
        if case let .timestamp(value, echo) = option {
            ("TS val " as StaticString).withUTF8Buffer { for byte in $0 { bytes.append(byte) } }
            bytes.appendDecimal(UInt64(value))
            (" ecr " as StaticString).withUTF8Buffer { for byte in $0 { bytes.append(byte) } }
            bytes.appendDecimal(UInt64(echo))
            return
        }
        var text = option.tcpdumpText(sackBase: sackBase)
        text.withUTF8 { bytes.append(contentsOf: $0) }
    }

    /// `count` padding options like `option` as `TCPOption.paddingText(_:count:)` spells them
    /// (`nop`, `nop x2`, `eol`), written byte by byte: most Linux segments carry `nop x2`.
    static func appendPadding(_ option: TCPOption, count: Int, to bytes: inout [UInt8]) {
        let name: StaticString = option == .endOfOptions ? "eol" : "nop"
        name.withUTF8Buffer { for byte in $0 { bytes.append(byte) } }
        guard count > 1 else { return }
        bytes.append(UInt8(ascii: " "))
        bytes.append(UInt8(ascii: "x"))
        bytes.appendDecimal(UInt64(count))
    }

    /// Entry `number` of the written options: its first option's index in `options` and how
    /// many options it stands for (a run of equal padding options, or 1); nil past the last.
    /// A plain loop, no closure: a closure would capture (copy) the whole segment.
    private func entry(_ number: Int) -> (start: Int, run: Int)? {
        var index = 0
        var left = number
        let count = options.count
        while index < count {
            let option = options[index]
            var run = 1
            if option.isPadding {
                while index + run < count, options[index + run] == option { run += 1 }
            }
            if left == 0 { return (index, run) }
            left -= 1
            index += run
        }
        return nil
    }
}

extension DescribedSegment: SegmentLineSource {
    var sequenceTextCount: Int {
        guard row.headerBytesCaptured == nil else { return 0 }
        let start = decimalDigits(UInt64(row.sequence))
        guard row.length > 0 else { return start }
        return start + 1 + decimalDigits(UInt64(row.sequence &+ UInt32(truncatingIfNeeded: row.length)))
    }

    var hasPreview: Bool { !payload.isEmpty }

    var optionCount: Int {
        var count = 0
        while entry(count) != nil { count += 1 }
        return count
    }

    func optionIsPadding(_ index: Int) -> Bool {
        guard let (start, _) = entry(index) else { return false }
        return options[start].isPadding
    }

    func appendOption(_ index: Int, to bytes: inout [UInt8]) {
        guard let (start, run) = entry(index) else { return }
        let option = options[start]
        if option.isPadding {
            Self.appendPadding(option, count: run, to: &bytes)
        } else {
            Self.append(option, sackBase: sackBase, to: &bytes)
        }
    }
}
