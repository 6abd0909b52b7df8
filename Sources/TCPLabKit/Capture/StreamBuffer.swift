import Glibc

/// A larger buffer for a capture file's stdio stream than glibc's default (the file system's
/// block, 4 KiB): a 100 MB capture is then read in 1,500 `read(2)` calls instead of 25,000.
/// 64 KiB, not more: packets are copied out of a buffer that outgrew the core's caches more
/// slowly (with 1 MiB, `fread` took a tenth of the reading thread's time while the writing
/// thread ran beside it; with 64 KiB too little to show in a profile). glibc ignores the size
/// given to `setvbuf(3)` without a buffer, so the buffer is allocated here; it must outlive the
/// stream, so whoever closes the stream holds this until after `fclose(3)`.
final class StreamBuffer {
    /// The buffer's size in bytes.
    static let size = 1 << 16

    private let bytes: UnsafeMutablePointer<CChar>

    /// Makes `stream` read through this buffer; call before anything is read from it.
    init(for stream: UnsafeMutablePointer<FILE>) {
        bytes = .allocate(capacity: Self.size)
        setvbuf(stream, bytes, _IOFBF, Self.size)
    }

    deinit { bytes.deallocate() }
}
