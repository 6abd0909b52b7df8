import Testing
@testable import TCPLabKit

/// /proc/net/tcp6 has no column for a link-local address's scope: `tcplab states --source proc`
/// says so once, where netlink would show `[fe80::1]%v0:6001` as ss does.
@Suite struct ProcScopeNoteTests {
    typealias F = ProcNetTCPFixtures

    private func row(_ line: String, _ family: IPFamily) throws -> SocketEntry {
        try #require(try ProcNetTCP.parse(line: Substring(line), family: family))
    }

    /// Two rows on fe80::1 (a listener bound with scope id 1, a SYN_SENT from it): one note.
    @Test func linkLocalRowsFromProcGetOneNote() throws {
        let table = SocketTable(entries: [
            try row(F.listen, .ipv4), try row(F.listenLinkLocal6, .ipv6), try row(F.synSent6, .ipv6), try row(F.established6, .ipv6),
        ])
        let note = try #require(table.scopeNote)
        #expect(note == "note: /proc/net/tcp6 cannot show the interface of a link-local address (fe80::/10), so those rows lack the %DEV ss prints after it ([fe80::1]%DEV:PORT); the netlink source (--source netlink, the default) shows it")
        #expect(!table.rendered().contains("note:"), "the note is printed once, after the table, not in it")
    }

    @Test func noLinkLocalNoNote() throws {
        let table = SocketTable(entries: [try row(F.listenLoopback6, .ipv6), try row(F.established6, .ipv6), try row(F.listen, .ipv4)])
        #expect(table.scopeNote == nil)
    }

    /// A row read over netlink has its device: nothing is missing, no note.
    @Test func aRowWithItsDeviceNeedsNone() throws {
        var entry = try row(F.listenLinkLocal6, .ipv6)
        entry.device = BoundDevice(index: 1, name: "lo")
        #expect(SocketTable(entries: [entry]).scopeNote == nil)
    }

    @Test(arguments: [("fe80::1", true), ("febf::1", true), ("fec0::1", false), ("fe7f::1", false), ("::1", false), ("169.254.1.1", false)])
    func linkLocalIsFe80Slash10(address: String, linkLocal: Bool) throws {
        #expect(try #require(IPAddress(address)).isIPv6LinkLocal == linkLocal)
    }
}
