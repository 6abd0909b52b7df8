import Testing
@testable import TCPLabKit

/// The bound device (`idiag_if`) and IPV6_V6ONLY (INET_DIAG_SKV6ONLY) of inet_diag_msg payloads
/// recorded from this kernel's NETLINK_SOCK_DIAG answer, in a private namespace with a veth pair
/// (`v0` is index 3) and, at the same moment, what `ss -tan` printed for each socket.
@Suite struct SockDiagDeviceTests {
    // Attributes the kernel sends unasked, after the 72-byte message: INET_DIAG_SHUTDOWN (len 5,
    // type 8, u8 0, padded), for IPv6 in LISTEN INET_DIAG_SKV6ONLY (len 5, type 11, u8), then
    // INET_DIAG_MARK (type 15), INET_DIAG_CGROUP_ID (type 21) and INET_DIAG_SOCKOPT (type 22).
    static let tail4 = "050008000000000008000f00000000000c00150001000000000000000600160052000000"
    static func tail6(v6Only: UInt8) -> String {
        "0500080000000000" + "05000b00" + (v6Only == 1 ? "01" : "00") + "000000" + "08000f00000000000c00150001000000000000000600160012000000"
    }

    // family 2, LISTEN; 0.0.0.0:6002 (0x1772); idiag_if 1 (lo, SO_BINDTODEVICE); wqueue 5. ss: `0.0.0.0%lo:6002 0.0.0.0:*`.
    static let boundToLo = "020a0000177200000000000000000000000000000000000000000000000000000000000000000000010000009a1000000000000000000000000000000500000000000000acbb2d00" + tail4
    // family 2, ESTABLISHED, accepted on that listener: 127.0.0.1:6002 -> 127.0.0.1:35592 (0x8b08),
    // idiag_if 1 inherited from it. ss: `127.0.0.1%lo:6002 127.0.0.1:35592`.
    static let acceptedOnLo = "0201000017728b087f0000010000000000000000000000007f000001000000000000000000000000010000009c1000000000000000000000000000000000000000000000aebb2d00" + tail4
    // family 10, LISTEN; fe80::1 port 6001 (0x1771), bound with scope id 3: idiag_if 3; v6only 1
    // (inet6_bind sets it for a specific address). ss: `[fe80::1]%v0:6001 [::]:*`.
    static let linkLocal = "0a0a000017710000fe80000000000000000000000000000100000000000000000000000000000000030000009d1000000000000000000000000000000500000000000000abbb2d00" + tail6(v6Only: 1)
    // family 10, LISTEN; [::]:6004 with IPV6_V6ONLY 1, no device. ss: `[::]:6004 [::]:*`.
    static let v6OnlyWildcard = "0a0a0000177400000000000000000000000000000000000000000000000000000000000000000000000000009e1000000000000000000000000000000500000000000000aabb2d00" + tail6(v6Only: 1)
    // family 10, LISTEN; [::]:6003 with IPV6_V6ONLY 0: dual-stack. ss: `*:6003 *:*`.
    static let dualStack = "0a0a0000177300000000000000000000000000000000000000000000000000000000000000000000000000009f1000000000000000000000000000000500000000000000a9bb2d00" + tail6(v6Only: 0)

    private func entry(_ hex: String) throws -> SocketEntry {
        try #require(SockDiag.parse(message: ArraySlice(SockDiagTests.bytes(hex))))
    }

    /// Names as the namespace that recorded them had them (readTable names them with if_indextoname).
    private func named(_ entry: SocketEntry) -> SocketEntry {
        var entry = entry
        entry.device = entry.device.map { BoundDevice(index: $0.index, name: [1: "lo", 3: "v0"][$0.index] ?? $0.name) }
        return entry
    }

    @Test(arguments: [
        (boundToLo, "0.0.0.0%lo:6002", "0.0.0.0:*"),
        (acceptedOnLo, "127.0.0.1%lo:6002", "127.0.0.1:35592"),
        (linkLocal, "[fe80::1]%v0:6001", "[::]:*"),
        (v6OnlyWildcard, "[::]:6004", "[::]:*"),
        (dualStack, "*:6003", "*:*"),
    ])
    func endpointsAsSSPrintedThem(hex: String, local: String, remote: String) throws {
        let socket = named(try entry(hex))
        #expect(socket.local == local)
        #expect(socket.remote == remote)
    }

    @Test func theDeviceIndexAndV6OnlyComeFromTheMessage() throws {
        #expect(try entry(Self.boundToLo).device == BoundDevice(index: 1, name: "if1"), "unnamed until readTable names it")
        #expect(try entry(Self.linkLocal).device?.index == 3)
        #expect(try entry(Self.dualStack).device == nil)
        #expect(try entry(Self.boundToLo).v6Only == nil, "IPv4 has no such attribute")
        #expect(try entry(Self.v6OnlyWildcard).v6Only == true)
        #expect(try entry(Self.dualStack).v6Only == false)
        // Without its attributes (an older kernel, or a message cut at 72 bytes) it is unknown: ss prints `*`.
        let bare = try #require(SockDiag.parse(message: ArraySlice(SockDiagTests.bytes(Self.v6OnlyWildcard).prefix(72))))
        #expect(bare.v6Only == nil && bare.local == "*:6004")
    }

    @Test func attributesStopAtAMalformedOne() {
        let bytes = SockDiagTests.bytes(Self.tail6(v6Only: 1))
        #expect(SockDiag.attributes(ArraySlice(bytes))[11] == [1])
        #expect(SockDiag.attributes(ArraySlice(bytes))[22]?.count == 2, "INET_DIAG_SOCKOPT: length 6, a u16 and two bytes of padding")
        // A length of 3 (below the header) or past the end ends the walk, as parse_rtattr does.
        #expect(SockDiag.attributes(ArraySlice([3, 0, 11, 0, 1, 0, 0, 0])).isEmpty)
        #expect(SockDiag.attributes(ArraySlice([9, 0, 11, 0, 1, 0, 0, 0])).isEmpty)
        #expect(SockDiag.attributes(ArraySlice(bytes.prefix(10)))[8] == [0], "the first one, whole, is kept")
        // The top two bits of the type are flags (NLA_F_NESTED, NLA_F_NET_BYTEORDER).
        #expect(SockDiag.attributes(ArraySlice([5, 0, 11, 0x80, 1, 0, 0, 0]))[11] == [1])
    }

    /// `lo` is index 1 in every network namespace, this test's included; index 0 names nothing.
    @Test func devicesAreNamedAsIfIndexToNameNamesThem() {
        #expect(BoundDevice.named(index: 1) == BoundDevice(index: 1, name: "lo"))
        #expect(BoundDevice.named(index: 0) == BoundDevice(index: 0, name: "if0"))
        #expect(BoundDevice.named(index: 0x7fff_fff0).name == "if2147483632", "no such device: ss's fallback name")
    }

    /// The table shows the device in the address column, before the port's colon, and a
    /// dual-stack wildcard as `*`, aligned like ss's.
    @Test func renderedLikeSS() throws {
        let table = SocketTable(entries: try [Self.boundToLo, Self.linkLocal, Self.v6OnlyWildcard, Self.dualStack].map { named(try entry($0)) })
        let expected = """
        State  Recv-Q Send-Q Local Address:Port Peer Address:Port Timer Process
        LISTEN 0      5       [fe80::1]%v0:6001         [::]:*          -
        LISTEN 0      5         0.0.0.0%lo:6002      0.0.0.0:*          -
        LISTEN 0      5                  *:6003            *:*          -
        LISTEN 0      5               [::]:6004         [::]:*          -

        """
        #expect(table.rendered() == expected)
        // Without owners looked up (`states --no-processes`, like `ss -tan`): no Process column.
        let bare = """
        State  Recv-Q Send-Q Local Address:Port Peer Address:Port Timer
        LISTEN 0      5       [fe80::1]%v0:6001         [::]:*
        LISTEN 0      5         0.0.0.0%lo:6002      0.0.0.0:*
        LISTEN 0      5                  *:6003            *:*
        LISTEN 0      5               [::]:6004         [::]:*

        """
        #expect(table.rendered(processes: false) == bare)
    }
}
