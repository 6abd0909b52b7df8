// CPcap: its headers pull in <sys/socket.h>, and a release build then finds SOCK_STREAM only through it.
import CPcap
import Glibc

/// A sockaddr_in or sockaddr_in6 built from an `IPAddress` and a port, and back.
public struct SocketAddress: Sendable, Codable, Equatable {
    public var address: IPAddress
    public var port: UInt16

    public init(address: IPAddress, port: UInt16) {
        self.address = address
        self.port = port
    }

    public var family: Int32 { address.isIPv6 ? AF_INET6 : AF_INET }
    public var description: String { address.endpoint(port: port) }

    /// Calls `body` with a pointer to the C address and its length.
    public func withSockaddr<R>(_ body: (UnsafePointer<sockaddr>, socklen_t) -> R) -> R {
        var storage = sockaddr_storage()
        let bytes = address.bytes
        withUnsafeMutableBytes(of: &storage) { raw in
            if address.isIPv6 {
                raw.storeBytes(of: sa_family_t(AF_INET6), toByteOffset: 0, as: sa_family_t.self)
                raw.storeBytes(of: port.bigEndian, toByteOffset: 2, as: UInt16.self)
                for (index, byte) in bytes.enumerated() { raw[8 + index] = byte }
            } else {
                raw.storeBytes(of: sa_family_t(AF_INET), toByteOffset: 0, as: sa_family_t.self)
                raw.storeBytes(of: port.bigEndian, toByteOffset: 2, as: UInt16.self)
                for (index, byte) in bytes.enumerated() { raw[4 + index] = byte }
            }
        }
        let length = socklen_t(address.isIPv6 ? MemoryLayout<sockaddr_in6>.size : MemoryLayout<sockaddr_in>.size)
        return withUnsafePointer(to: &storage) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { body($0, length) }
        }
    }

    /// Reads a C address filled in by accept, getsockname or getpeername.
    public init?(storage: sockaddr_storage) {
        var copy = storage
        let parsed: SocketAddress? = withUnsafeBytes(of: &copy) { raw in
            let family = Int32(raw.load(fromByteOffset: 0, as: sa_family_t.self))
            let port = UInt16(bigEndian: raw.load(fromByteOffset: 2, as: UInt16.self))
            switch family {
            case AF_INET: return IPAddress(networkOrder: raw[4..<8]).map { SocketAddress(address: $0, port: port) }
            case AF_INET6: return IPAddress(networkOrder: raw[8..<24]).map { SocketAddress(address: $0, port: port) }
            default: return nil
            }
        }
        guard let parsed else { return nil }
        self = parsed
    }

    /// The local endpoint of a socket (getsockname).
    public static func local(of fd: Int32) -> SocketAddress? {
        query(fd) { getsockname(fd, $0, $1) }
    }

    /// The peer endpoint of a connected socket (getpeername).
    public static func peer(of fd: Int32) -> SocketAddress? {
        query(fd) { getpeername(fd, $0, $1) }
    }

    private static func query(
        _ fd: Int32, _ call: (UnsafeMutablePointer<sockaddr>, UnsafeMutablePointer<socklen_t>) -> Int32
    ) -> SocketAddress? {
        var storage = sockaddr_storage()
        var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
        let result = withUnsafeMutablePointer(to: &storage) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { call($0, &length) }
        }
        return result == 0 ? SocketAddress(storage: storage) : nil
    }

    /// A port on `address` that nothing holds right now (for a run on the host loopback): the
    /// kernel picks it for a socket bound to port 0, which is closed again without listening.
    public static func unusedPort(on address: IPAddress) throws(LabError) -> UInt16 {
        let fd = socket(address.isIPv6 ? AF_INET6 : AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw LabError.system(call: "socket", errno: .current) }
        defer { close(fd) }
        let bound = SocketAddress(address: address, port: 0).withSockaddr { Glibc.bind(fd, $0, $1) }
        guard bound == 0 else { throw LabError.system(call: "bind", errno: .current) }
        guard let local = SocketAddress.local(of: fd) else { throw LabError.system(call: "getsockname", errno: .current) }
        return local.port
    }
}
