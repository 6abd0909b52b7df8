/// A bounds-checked, big-endian cursor over a captured frame.
///
/// Every read checks the bytes are there and throws `DecodeError.truncated` naming the layer
/// being read, so a short or hostile frame can never index past the end of the array.
/// `end` can be set below the array's end to keep a layer from reading into what follows it.
struct ByteReader: Sendable {
    /// The whole captured frame; the reader only ever looks at `position..<end`.
    let bytes: [UInt8]
    /// Index of the next byte to read.
    private(set) var position: Int
    /// One past the last byte this reader may read.
    let end: Int

    /// A reader over `bytes[start..<end]`; both bounds are clamped into the array.
    init(_ bytes: [UInt8], start: Int = 0, end: Int? = nil) {
        self.bytes = bytes
        let limit = min(max(end ?? bytes.count, 0), bytes.count)
        self.end = limit
        self.position = min(max(start, 0), limit)
    }

    /// Bytes left between `position` and `end`.
    var remaining: Int { end - position }

    /// Throws `.truncated(layer, needed: count, available: remaining)` unless `count` bytes remain.
    func require(_ count: Int, layer: String) throws(DecodeError) {
        guard count >= 0, count <= remaining else {
            throw .truncated(layer: layer, needed: count, available: remaining)
        }
    }

    /// A reader over the next `count` bytes (clamped to what remains), starting where this one is.
    func prefix(_ count: Int) -> ByteReader {
        ByteReader(bytes, start: position, end: position + min(max(count, 0), remaining))
    }

    /// Reads one byte.
    mutating func readUInt8(layer: String) throws(DecodeError) -> UInt8 {
        try require(1, layer: layer)
        defer { position += 1 }
        return bytes[position]
    }

    /// Reads a big-endian (network order) 16-bit value.
    mutating func readUInt16(layer: String) throws(DecodeError) -> UInt16 {
        try require(2, layer: layer)
        defer { position += 2 }
        return UInt16(bytes[position]) << 8 | UInt16(bytes[position + 1])
    }

    /// Reads a big-endian (network order) 32-bit value.
    mutating func readUInt32(layer: String) throws(DecodeError) -> UInt32 {
        try require(4, layer: layer)
        defer { position += 4 }
        var value: UInt32 = 0
        for index in position..<position + 4 { value = value << 8 | UInt32(bytes[index]) }
        return value
    }

    /// Reads `count` bytes as a new array.
    mutating func readBytes(_ count: Int, layer: String) throws(DecodeError) -> [UInt8] {
        try require(count, layer: layer)
        defer { position += count }
        return Array(bytes[position..<position + count])
    }

    /// Skips `count` bytes.
    mutating func skip(_ count: Int, layer: String) throws(DecodeError) {
        try require(count, layer: layer)
        position += count
    }

    /// Everything from `position` to `end`, consuming it.
    mutating func readRest() -> [UInt8] {
        defer { position = end }
        return Array(bytes[position..<end])
    }
}
