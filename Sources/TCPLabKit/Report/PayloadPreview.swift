/// The first bytes of a segment's captured payload, as many as its preview shows, kept inline:
/// `tcplab decode` hands a million described segments from one thread to another, and a copy
/// of each payload on the heap cost an allocation, and an atomic count on every copy, each.
struct PayloadPreview: Sendable {
    /// How many payload bytes the preview shows (`DescribedSegment.appendPreview`).
    static let shownBytes = 24

    /// The first `count` bytes of the payload; the rest of the storage is unused.
    private var storage: InlineArray<24, UInt8> = .init(repeating: 0)
    /// How many payload bytes are kept (`count`).
    private var kept: UInt8 = 0
    /// The payload runs past the bytes kept (the preview ends in `…`).
    private(set) var more = false

    /// The preview of `payload`: its first `shownBytes` bytes, and whether there are more.
    init(_ payload: [UInt8]) {
        let count = min(payload.count, Self.shownBytes)
        kept = UInt8(count)
        more = payload.count > count
        for index in 0..<count { storage[index] = payload[index] }
    }

    /// How many payload bytes are kept: at most `shownBytes`.
    var count: Int { Int(kept) }

    /// No payload was captured.
    var isEmpty: Bool { kept == 0 }

    /// Byte `index` of the payload, `index` below `count`.
    subscript(index: Int) -> UInt8 { storage[index] }
}
