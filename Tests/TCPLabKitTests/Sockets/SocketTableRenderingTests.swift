import Testing
@testable import TCPLabKit

@Suite struct SocketTableRenderingTests {
    typealias F = ProcNetTCPFixtures

    /// A fixed table from recorded lines, given in an unsorted order on purpose.
    private func table() throws -> SocketTable {
        func row(_ line: String, _ family: IPFamily = .ipv4) throws -> SocketEntry {
            try #require(try ProcNetTCP.parse(line: Substring(line), family: family))
        }
        return SocketTable(
            entries: [
                try row(F.established), try row(F.timeWait), try row(F.establishedUnread),
                try row(F.listenLoopback6, .ipv6), try row(F.establishedKeepalive), try row(F.listen),
                try row(F.establishedMapped6, .ipv6), try row(F.synSent6, .ipv6),
            ],
            owners: [
                18694: [SocketOwner(pid: 311, command: "tcplab", fd: 3)],
                18695: [SocketOwner(pid: 312, command: "python3", fd: 4)],
                18698: [SocketOwner(pid: 311, command: "tcplab", fd: 5), SocketOwner(pid: 313, command: "tcplab", fd: 5)],
                18699: [SocketOwner(pid: 400, command: "server", fd: 8)],
            ]
        )
    }

    /// LISTEN first, then by local port; addresses right-aligned on the colon as ss does.
    @Test func goldenLayout() throws {
        let expected = """
        State     Recv-Q Send-Q      Local Address:Port        Peer Address:Port  Timer                         Process
        LISTEN    2      0               127.0.0.1:7777             0.0.0.0:*                                   users:(("tcplab",pid=311,fd=3))
        LISTEN    0      0                   [::1]:7778                [::]:*                                   users:(("server",pid=400,fd=8))
        ESTAB     100    0               127.0.0.1:7777           127.0.0.1:43072                               users:(("tcplab",pid=311,fd=5),("tcplab",pid=313,fd=5))
        ESTAB     0      0      [::ffff:127.0.0.1]:7779  [::ffff:127.0.0.1]:48988                               -
        SYN-SENT  0      1               [fe80::1]:37748      [2001:db8::2]:7782  timer:(on,330ms,0)            -
        TIME-WAIT 0      0               127.0.0.1:41260          127.0.0.1:7801  timer:(timewait,59sec,0)      -
        ESTAB     0      0               127.0.0.1:43072          127.0.0.1:7777                                users:(("python3",pid=312,fd=4))
        ESTAB     0      0               127.0.0.1:43088          127.0.0.1:7777  timer:(keepalive,1min14sec,0) -

        """
        let text = try table().rendered()
        #expect(text == expected)
    }

    @Test func filteredKeepsOnlyMatchingOwners() throws {
        let only = try table().filtered(port: 7777)
        #expect(only.entries.count == 4)
        #expect(Set(only.owners.keys) == [18694, 18695, 18698])
    }

    @Test func emptyTableIsJustTheHeader() {
        #expect(SocketTable(entries: []).rendered() == "State Recv-Q Send-Q Local Address:Port Peer Address:Port Timer Process\n")
    }
}
