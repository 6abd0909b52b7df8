/// Where a segment's line and JSON object get their text fields: a finished `SegmentRow` (its
/// Strings, as a scenario or a recording has them) or a `DescribedSegment` (the values those
/// Strings are spelled from, written without making them). One layout, two sources: the
/// timeline line (`TimelinePrinter`) and the JSON object (`SegmentRowJSON`) are written once,
/// generically, and print the same bytes from either.
protocol SegmentLineSource {
    /// Every field but the three below (in a `DescribedSegment`, those are left empty).
    var row: SegmentRow { get }
    /// The length of `sequenceText` in bytes (the sequence column widens to fit it).
    var sequenceTextCount: Int { get }
    /// Appends `sequenceText` (`1:65`, `1`).
    func appendSequenceText(to bytes: inout [UInt8])
    /// There is a `payloadPreview`.
    var hasPreview: Bool { get }
    /// Appends `payloadPreview` (`"GET / HTTP/1.1\r…"`), quotes included.
    func appendPreview(to bytes: inout [UInt8])
    /// How many strings `options` has.
    var optionCount: Int { get }
    /// Whether `options[index]` is padding (`nop`, `nop x2`, `eol`): the scenario timeline leaves it out.
    func optionIsPadding(_ index: Int) -> Bool
    /// Appends `options[index]`.
    func appendOption(_ index: Int, to bytes: inout [UInt8])
}

extension SegmentRow: SegmentLineSource {
    var row: SegmentRow { self }

    var sequenceTextCount: Int { sequenceText.utf8.count }

    func appendSequenceText(to bytes: inout [UInt8]) { bytes.appendUTF8(sequenceText) }

    var hasPreview: Bool { payloadPreview != nil }

    func appendPreview(to bytes: inout [UInt8]) {
        if let payloadPreview { bytes.appendUTF8(payloadPreview) }
    }

    var optionCount: Int { options.count }

    func optionIsPadding(_ index: Int) -> Bool { TCPOption.isPaddingText(options[index]) }

    func appendOption(_ index: Int, to bytes: inout [UInt8]) { bytes.appendUTF8(options[index]) }
}

extension Array where Element == UInt8 {
    /// Appends `text`'s UTF-8 in one copy (`append(contentsOf: text.utf8)` goes unit by unit).
    mutating func appendUTF8(_ text: String) {
        var text = text
        text.withUTF8 { append(contentsOf: $0) }
    }
}
