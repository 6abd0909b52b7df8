/// A bounds-checked, big-endian cursor over a captured frame.
///
/// Every read checks the bytes are there and throws `DecodeError.truncated` naming the layer
/// being read, so a short or hostile frame can never index past the end of the bytes.
/// `end` can be set below the bytes' end to keep a layer from reading into what follows it.
///
/// The reader is a view of the frame's bytes lent for the length of a `reading` call, not a
/// copy or a reference: a frame passes through a dozen readers on its way to a segment, and a
/// reader holding the array would retain and release it at each one (a tenth of the decoder's
/// time). It must not outlive the `reading` call that made it; what it reads out
/// (`readBytes`, `readRest`) is copied into arrays of its own.
struct ByteReader {
    /// The whole captured frame, lent; the reader only ever looks at `position..<end`.
    private let bytes: UnsafeRawBufferPointer
    /// Index of the next byte to read.
    private(set) var position: Int
    /// One past the last byte this reader may read.
    let end: Int

    /// A reader over `bytes[start..<end]`; both bounds are clamped into the bytes.
    private init(_ bytes: UnsafeRawBufferPointer, start: Int, end: Int?) {
        self.bytes = bytes
        let limit = min(max(end ?? bytes.count, 0), bytes.count)
        self.end = limit
        self.position = min(max(start, 0), limit)
    }

    /// Calls `body` with a reader over `bytes[start..<end]` (both bounds clamped into the
    /// array), valid only inside `body`, and returns what it returns or throws what it throws.
    static func reading<Result>(
        _ bytes: [UInt8], start: Int = 0, end: Int? = nil,
        _ body: (inout ByteReader) throws(DecodeError) -> Result
    ) throws(DecodeError) -> Result {
        var outcome: Swift.Result<Result, DecodeError>?
        bytes.withUnsafeBytes { view in
            var reader = ByteReader(view, start: start, end: end)
            do throws(DecodeError) { outcome = .success(try body(&reader)) } catch { outcome = .failure(error) }
        }
        return try outcome!.get()
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

    /// A reader over the same bytes from `start` (clamped) to this reader's end.
    func from(_ start: Int) -> ByteReader {
        ByteReader(bytes, start: start, end: end)
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
        return Array(UnsafeRawBufferPointer(rebasing: bytes[position..<position + count]))
    }

    /// Skips `count` bytes.
    mutating func skip(_ count: Int, layer: String) throws(DecodeError) {
        try require(count, layer: layer)
        position += count
    }

    /// Everything from `position` to `end`, consuming it.
    mutating func readRest() -> [UInt8] {
        defer { position = end }
        return Array(UnsafeRawBufferPointer(rebasing: bytes[position..<end]))
    }
}
