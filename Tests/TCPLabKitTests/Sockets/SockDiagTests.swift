import Glibc
import Testing
@testable import TCPLabKit

/// inet_diag_msg payloads recorded from this kernel's NETLINK_SOCK_DIAG answer (Python in a
/// private namespace: a listener on 127.0.0.1:7777 with listen(5), one connection to it).
@Suite struct SockDiagTests {
    static func bytes(_ hex: String) -> [UInt8] {
        stride(from: 0, to: hex.count, by: 2).map { offset in
            let start = hex.index(hex.startIndex, offsetBy: offset)
            return UInt8(hex[start..<hex.index(start, offsetBy: 2)], radix: 16)!
        }
    }

    // family 2, state 0x0a LISTEN, timer 0, retrans 0; sport 0x1e61 (7777) dport 0; src 127.0.0.1;
    // … expires 0, rqueue 0, wqueue 5 (the backlog), uid 0, inode 0x000a3fb8.
    static let listener = "020a00001e6100007f00000100000000000000000000000000000000000000000000000000000000000000004aac00000000000000000000000000000500000000000000b83f0a00"
    // family 2, state 1 ESTABLISHED; 127.0.0.1:7777 -> 127.0.0.1:55092 (0xd734), inode 0x000a3fba.
    static let accepted = "020100001e61d7347f0000010000000000000000000000007f000001000000000000000000000000000000004bac00000000000000000000000000000000000000000000ba3f0a00"

    @Test func listenerCarriesItsBacklogInSendQ() throws {
        let entry = try #require(SockDiag.parse(message: ArraySlice(Self.bytes(Self.listener))))
        #expect(entry.state == .listen)
        #expect(entry.local == "127.0.0.1:7777")
        #expect(entry.receiveQueue == 0 && entry.sendQueue == 5)
        #expect(entry.inode == 0x0a3fb8)
        #expect(entry.timer.kind == .none)
    }

    @Test func establishedRowHasBothEndpoints() throws {
        let entry = try #require(SockDiag.parse(message: ArraySlice(Self.bytes(Self.accepted))))
        #expect(entry.state == .established)
        #expect(entry.local == "127.0.0.1:7777" && entry.remote == "127.0.0.1:55092")
        #expect(entry.family == .ipv4)
    }

    /// Client sockets with a timer in each of ss's ranges, recorded in a private namespace (family
    /// 2; timer byte 2 keepalive or 3 timewait; `idiag_expires` u32 ms at byte 52) beside ss
    /// 7.1.0 built from iproute2's tree, which printed `keepalive,6.500sec` ~0.1 s after the
    /// 6604 ms below, `1min14sec`, `11min` and `timewait,59sec` (ss 6.1 printed `6.588ms`).
    @Test(arguments: [
        ("0201020095f61e617f0000010000000000000000000000007f00000100000000000000000000000000000000a210000000000000cc1900000000000000000000000000004dd22f00050008000000000008000f00000000000c00150001000000000000000600160052000000",
         UInt64(6604), "timer:(keepalive,6.604sec,0)"),
        ("0201020096041e617f0000010000000000000000000000007f00000100000000000000000000000000000000a3100000000000006c2301000000000000000000000000004fd22f00050008000000000008000f00000000000c00150001000000000000000600160052000000",
         74604, "timer:(keepalive,1min14sec,0)"),
        ("02010200960e1e617f0000010000000000000000000000007f00000100000000000000000000000000000000a410000000000000d4ac0a0000000000000000000000000051d22f00050008000000000008000f00000000000c00150001000000000000000600160052000000",
         699_604, "timer:(keepalive,11min,0)"),
        ("0206030096161e617f0000010000000000000000000000007f00000100000000000000000000000000000000a510000000000000d4e800000000000000000000000000000000000008000f0000000000",
         59604, "timer:(timewait,59sec,0)"),
    ])
    func timersKeepTheirMilliseconds(hex: String, milliseconds: UInt64, text: String) throws {
        let entry = try #require(SockDiag.parse(message: ArraySlice(Self.bytes(hex))))
        #expect(entry.timer.expiresInMilliseconds == milliseconds)
        #expect(entry.timer.expiresInHundredths == milliseconds / 10)
        #expect(entry.timer.ssText == text)
    }

    @Test func shortOrUnknownStateMessagesAreSkipped() {
        let full = Self.bytes(Self.listener)
        for length in 0..<72 { #expect(SockDiag.parse(message: ArraySlice(full.prefix(length))) == nil) }
        var bad = full
        bad[1] = 0x0c  // NEW_SYN_RECV and above are not states /proc or ss list
        #expect(SockDiag.parse(message: ArraySlice(bad)) == nil)
    }

    @Test func dumpRequestIsSeventyTwoBytesForEveryState() {
        let request = SockDiag.request(family: 2, sequence: 7)
        #expect(request.count == 72)
        #expect(Array(request[0..<4]) == [72, 0, 0, 0])
        #expect(Array(request[4..<6]) == [20, 0])       // SOCK_DIAG_BY_FAMILY
        #expect(Array(request[20..<24]) == [0xff, 0x0f, 0, 0])  // all twelve states
    }

    /// netlink and /proc describe the same live listener the same way, bar the backlog.
    @Test func netlinkAgreesWithProcOnALiveListener() throws {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = UInt32(0x7f00_0001).bigEndian
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let ready = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(fd, $0, length) == 0 && listen(fd, 9) == 0 && getsockname(fd, $0, &length) == 0
            }
        }
        try #require(ready)
        let local = "127.0.0.1:\(UInt16(bigEndian: address.sin_port))"
        let viaNetlink = try #require(try SockDiag.readTable().first { $0.local == local })
        let viaProc = try #require(try ProcNetTCP.readTable().first { $0.local == local })
        #expect(viaNetlink.state == .listen && viaProc.state == .listen)
        #expect(viaNetlink.inode == viaProc.inode && viaNetlink.uid == viaProc.uid)
        #expect(viaNetlink.sendQueue == 9, "netlink shows the backlog")
        #expect(viaProc.sendQueue == 0, "/proc does not")
    }
}
