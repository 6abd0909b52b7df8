import Glibc

/// Small readers for /proc files and links, shared by the socket-table code.
///
/// /proc files report size 0 in `stat`, so they are read in chunks until EOF rather than by
/// size; EINTR is retried. Errors come back as the errno value, never thrown past here.
enum ProcText {
    /// The whole file as UTF-8 text, or the errno that stopped the read.
    static func read(path: String) -> Result<String, ProcTextError> {
        let fd = retryingEINTR { open(path, O_RDONLY | O_CLOEXEC) }
        guard fd >= 0 else { return .failure(ProcTextError(errno: errno)) }
        defer { close(fd) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            let count = chunk.withUnsafeMutableBytes { buffer in
                retryingEINTR { Glibc.read(fd, buffer.baseAddress, buffer.count) }
            }
            if count < 0 { return .failure(ProcTextError(errno: errno)) }
            if count == 0 { break }
            bytes.append(contentsOf: chunk[0..<count])
        }
        return .success(String(decoding: bytes, as: UTF8.self))
    }

    /// The target of a symbolic link (e.g. `socket:[18694]` for /proc/PID/fd/3), or nil.
    static func readLink(path: String) -> String? {
        // fd links are short ("socket:[18694]", paths); PATH_MAX covers any target.
        var buffer = [UInt8](repeating: 0, count: Int(PATH_MAX))
        let count = buffer.withUnsafeMutableBytes { raw in
            readlink(path, raw.baseAddress!.assumingMemoryBound(to: CChar.self), raw.count)
        }
        guard count > 0 else { return nil }
        return String(decoding: buffer[0..<count], as: UTF8.self)
    }

    /// The names in a directory (without `.` and `..`), or nil if it cannot be opened.
    static func directoryEntries(path: String) -> [String]? {
        guard let dir = opendir(path) else { return nil }
        defer { closedir(dir) }
        var names: [String] = []
        while let entry = readdir(dir) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix(while: { $0 != 0 }), as: UTF8.self)
            }
            if name != "." && name != ".." { names.append(name) }
        }
        return names
    }

    private static func retryingEINTR<T: BinaryInteger>(_ call: () -> T) -> T {
        while true {
            let result = call()
            if result >= 0 || errno != EINTR { return result }
        }
    }
}

/// An errno from reading /proc, with its strerror text.
struct ProcTextError: Error {
    var errno: Int32
    var message: String { String(cString: strerror(errno)) }
}
