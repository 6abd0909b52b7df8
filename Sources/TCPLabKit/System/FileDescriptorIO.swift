import Glibc

/// The few file-descriptor operations the lab's pipes need: whole-line writes and line reads.
public enum FileDescriptorIO {
    /// Creates a close-on-exec pipe whose two ends are numbered 10 or above, so they can be
    /// dup2'ed onto a child's 0 or 3 without colliding with them.
    public static func makePipe() throws(Errno) -> (read: Int32, write: Int32) {
        var ends: [Int32] = [0, 0]
        // pipe2 is hidden behind _GNU_SOURCE; the plain ends live only until the close-on-exec
        // copies below are made, and roles are spawned from this same thread.
        try systemCall { pipe(&ends) }
        defer { close(ends[0]); close(ends[1]) }
        let read = try systemCall { fcntl(ends[0], F_DUPFD_CLOEXEC, 10) }
        let write = try systemCall { fcntl(ends[1], F_DUPFD_CLOEXEC, 10) }
        return (read, write)
    }

    /// Writes all of `bytes`, retrying short writes and EINTR.
    public static func writeAll(_ fd: Int32, _ bytes: [UInt8]) throws(Errno) {
        var offset = 0
        while offset < bytes.count {
            let written = bytes.withUnsafeBytes { buffer in
                Result { () throws(Errno) in
                    try systemCall { write(fd, buffer.baseAddress! + offset, buffer.count - offset) }
                }
            }
            offset += try written.get()
        }
    }

    /// Writes a string followed by a newline.
    public static func writeLine(_ fd: Int32, _ line: String) throws(Errno) {
        try writeAll(fd, Array((line + "\n").utf8))
    }
}

/// Reads newline-separated lines from a descriptor, blocking, until end of file.
public struct LineReader {
    private let fd: Int32
    private var buffer: [UInt8] = []
    private var atEnd = false

    public init(fd: Int32) { self.fd = fd }

    /// Whether a whole line is already buffered, so `nextLine()` returns without reading.
    public var hasBufferedLine: Bool { buffer.contains(UInt8(ascii: "\n")) || (atEnd && !buffer.isEmpty) }

    /// The next line without its newline, or `nil` at end of file (a partial last line is returned first).
    public mutating func nextLine() -> String? {
        while true {
            if let newline = buffer.firstIndex(of: UInt8(ascii: "\n")) {
                let line = String(decoding: buffer[..<newline], as: UTF8.self)
                buffer.removeSubrange(...newline)
                return line
            }
            if atEnd {
                guard !buffer.isEmpty else { return nil }
                defer { buffer.removeAll() }
                return String(decoding: buffer, as: UTF8.self)
            }
            var chunk = [UInt8](repeating: 0, count: 4096)
            let count = (try? systemCall { read(fd, &chunk, chunk.count) }) ?? 0
            if count <= 0 { atEnd = true } else { buffer += chunk[..<count] }
        }
    }
}
