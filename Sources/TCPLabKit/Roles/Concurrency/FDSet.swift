import Glibc

/// select(2)'s descriptor set, with bounds-checked bit helpers in place of the C macros
/// FD_ZERO/FD_SET/FD_ISSET, which Swift cannot import.
///
/// `fd_set` is a fixed array of FD_SETSIZE (1024) bits: descriptor N is bit N % 64 of word N / 64.
/// There is no room for descriptor 1024 or above. C's FD_SET would write past the end of the
/// array (or abort, with _FORTIFY_SOURCE); `insert` refuses instead, which is the limit the
/// posts warn about.
public struct FDSet {
    public private(set) var raw = fd_set()
    /// How many descriptors an fd_set can hold: FD_SETSIZE.
    public static let capacity = MemoryLayout<fd_set>.size * 8
    private static let bitsPerWord = MemoryLayout<Int>.size * 8

    public init() {}

    /// Wraps the set select() filled in.
    public init(raw: fd_set) { self.raw = raw }

    /// Adds `fd`; false, and the set unchanged, when the descriptor does not fit.
    @discardableResult
    public mutating func insert(_ fd: Int32) -> Bool {
        guard fd >= 0, Int(fd) < FDSet.capacity else { return false }
        withUnsafeMutableBytes(of: &raw) { bytes in
            let words = bytes.bindMemory(to: Int.self)
            words[Int(fd) / FDSet.bitsPerWord] |= 1 << (Int(fd) % FDSet.bitsPerWord)
        }
        return true
    }

    /// Lends the raw fd_set to C (glibc's FD_SET through the fortified shim).
    mutating func withRaw(_ body: (UnsafeMutableRawPointer) -> Void) {
        withUnsafeMutableBytes(of: &raw) { body($0.baseAddress!) }
    }

    /// Whether `fd` is in the set (after select: whether it is ready); false for any out of range.
    public func contains(_ fd: Int32) -> Bool {
        guard fd >= 0, Int(fd) < FDSet.capacity else { return false }
        var copy = raw
        return withUnsafeBytes(of: &copy) { bytes in
            bytes.load(fromByteOffset: (Int(fd) / FDSet.bitsPerWord) * MemoryLayout<Int>.size, as: Int.self)
                & (1 << (Int(fd) % FDSet.bitsPerWord)) != 0
        }
    }
}
