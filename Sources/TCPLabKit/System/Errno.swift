import Foundation
import Glibc

/// An errno value with the name a student looks up in man pages (`EPIPE`) and the C library's text.
///
/// Expected outcomes (a send that fails with EPIPE, a connect refused) are recorded as values;
/// only failures of the lab itself are thrown.
public struct Errno: Error, Sendable, Hashable, Codable, CustomStringConvertible {
    public let rawValue: Int32

    public init(rawValue: Int32) { self.rawValue = rawValue }

    /// The calling thread's `errno`, read right after a failed call.
    public static var current: Errno { Errno(rawValue: errno) }

    public static let brokenPipe = Errno(rawValue: EPIPE)
    public static let connectionReset = Errno(rawValue: ECONNRESET)
    public static let connectionRefused = Errno(rawValue: ECONNREFUSED)
    public static let addressInUse = Errno(rawValue: EADDRINUSE)
    public static let interrupted = Errno(rawValue: EINTR)
    public static let wouldBlock = Errno(rawValue: EAGAIN)
    public static let permissionDenied = Errno(rawValue: EPERM)

    /// The symbolic name, e.g. `EPIPE`; `errno N` for one the table does not know.
    public var name: String { Errno.names[rawValue] ?? "errno \(rawValue)" }

    /// The C library's message, e.g. `Broken pipe`.
    public var message: String { String(cString: strerror(rawValue)) }

    public var description: String { "\(name) (\(message))" }

    /// The errno a student names: by symbol (`EPIPE`, any case), by the C library's text
    /// (`Broken pipe`, any case), by number (`32`), or as the lab prints it (`EPIPE (Broken pipe)`).
    /// Only the errnos of the name table are known by symbol and text; nil for anything else.
    public init?(spelling: some StringProtocol) {
        var text = spelling.trimmingCharacters(in: .whitespaces)
        if let open = text.firstIndex(of: "("), text.hasSuffix(")"), open != text.startIndex {
            text = text[..<open].trimmingCharacters(in: .whitespaces)
        }
        if let number = Int32(text), number > 0 { self.init(rawValue: number); return }
        let wanted = text.lowercased()
        guard let known = Errno.names.first(where: { code, name in
            name.lowercased() == wanted || Errno(rawValue: code).message.lowercased() == wanted
        }) else { return nil }
        self.init(rawValue: known.key)
    }

    private static let names: [Int32: String] = [
        EPERM: "EPERM", ENOENT: "ENOENT", ESRCH: "ESRCH", EINTR: "EINTR", EIO: "EIO", EBADF: "EBADF",
        ECHILD: "ECHILD", EAGAIN: "EAGAIN", ENOMEM: "ENOMEM", EACCES: "EACCES", EEXIST: "EEXIST",
        EINVAL: "EINVAL", ENFILE: "ENFILE", EMFILE: "EMFILE", EPIPE: "EPIPE", ENOSYS: "ENOSYS",
        ENOTSOCK: "ENOTSOCK", EMSGSIZE: "EMSGSIZE", EADDRINUSE: "EADDRINUSE",
        EADDRNOTAVAIL: "EADDRNOTAVAIL", ENETDOWN: "ENETDOWN", ENETUNREACH: "ENETUNREACH",
        ECONNABORTED: "ECONNABORTED", ECONNRESET: "ECONNRESET", ENOBUFS: "ENOBUFS", EISCONN: "EISCONN",
        ENOTCONN: "ENOTCONN", ETIMEDOUT: "ETIMEDOUT", ECONNREFUSED: "ECONNREFUSED",
        EHOSTUNREACH: "EHOSTUNREACH", EALREADY: "EALREADY", EINPROGRESS: "EINPROGRESS",
        EAFNOSUPPORT: "EAFNOSUPPORT", EPROTONOSUPPORT: "EPROTONOSUPPORT", EOPNOTSUPP: "EOPNOTSUPP",
    ]
}

/// Runs a system call, retrying it while it fails with EINTR, and turns `-1` into a thrown `Errno`.
///
/// Every raw call in the lab goes through here so no caller reads `errno` itself.
@discardableResult
public func systemCall<Result: BinaryInteger>(_ body: () -> Result) throws(Errno) -> Result {
    while true {
        let result = body()
        if result != -1 { return result }
        let error = Errno.current
        if error != .interrupted { throw error }
    }
}
