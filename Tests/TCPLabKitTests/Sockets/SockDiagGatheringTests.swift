import Glibc
import Testing
@testable import TCPLabKit

/// What `SockDiag.readStampedTable` stamps its rows with relies on: the kernel gathers a dump's
/// first batch inside the sendmsg(2) that requests it (netlink_dump_start), not when the reply is
/// read. A listener of this process closed between the request and the read is still in the
/// reply; one closed before the request is not. Uses this machine's kernel.
@Suite struct SockDiagGatheringTests {
    /// A listener on 127.0.0.1 with a port the kernel picks; its descriptor and port.
    static func listener() throws -> (fd: Int32, port: UInt16) {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        try #require(fd >= 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { sa in
                bind(fd, sa, length) == 0 && listen(fd, 1) == 0 && getsockname(fd, sa, &length) == 0
            }
        }
        try #require(bound)
        return (fd, UInt16(bigEndian: address.sin_port))
    }

    @Test func rowsAreThoseOfWhenTheDumpWasRequested() throws {
        let closedAfter = try Self.listener()
        let closedBefore = try Self.listener()
        close(closedBefore.fd)
        let before = WallClock.nowMicroseconds()
        let pending = try SockDiag.requestDumps()
        close(closedAfter.fd)
        let entries = try SockDiag.read(pending)
        #expect(entries.contains { $0.state == .listen && $0.localPort == closedAfter.port },
                "a listener closed after the request is missing: the rows were gathered when read")
        #expect(!entries.contains { $0.state == .listen && $0.localPort == closedBefore.port })
        #expect(before <= pending.requested && pending.requested <= WallClock.nowMicroseconds())
    }
}
