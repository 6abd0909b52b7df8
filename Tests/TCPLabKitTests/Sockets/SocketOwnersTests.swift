import Foundation
import Glibc
import Testing
@testable import TCPLabKit

/// A fake /proc tree in a temporary directory: `net/tcp`, `net/tcp6`, `PID/comm`, `PID/fd/N`.
private struct FakeProc {
    let root: String

    init() throws {
        root = NSTemporaryDirectory() + "tcplab-proc-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: root + "/net", withIntermediateDirectories: true)
    }

    func write(_ text: String, to path: String) throws {
        let full = root + "/" + path
        try FileManager.default.createDirectory(
            atPath: (full as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try text.write(toFile: full, atomically: false, encoding: .utf8)
    }

    /// A dangling link is enough: the scan only reads the link text, as the kernel's fd links read.
    func process(_ pid: Int32, command: String, fds: [Int32: String]) throws {
        try write(command + "\n", to: "\(pid)/comm")
        try FileManager.default.createDirectory(atPath: "\(root)/\(pid)/fd", withIntermediateDirectories: true)
        for (fd, target) in fds {
            try FileManager.default.createSymbolicLink(atPath: "\(root)/\(pid)/fd/\(fd)", withDestinationPath: target)
        }
    }

    func remove() { try? FileManager.default.removeItem(atPath: root) }
}

@Suite struct SocketOwnersFakeProcTests {
    @Test func findsSharedSocketsAndSkipsOtherFiles() throws {
        let proc = try FakeProc()
        defer { proc.remove() }
        try proc.process(311, command: "tcplab", fds: [0: "/dev/null", 3: "socket:[18694]", 4: "pipe:[99]", 5: "socket:[18700]"])
        try proc.process(312, command: "python3", fds: [3: "socket:[18694]"])   // inherited after fork
        try proc.write("not a process", to: "self-ish/comm")

        let all = SocketOwners.scan(procRoot: proc.root)
        #expect(all[18694] == [SocketOwner(pid: 311, command: "tcplab", fd: 3), SocketOwner(pid: 312, command: "python3", fd: 3)])
        #expect(all[18700] == [SocketOwner(pid: 311, command: "tcplab", fd: 5)])
        #expect(all.count == 2)

        let some = SocketOwners.scan(procRoot: proc.root, inodes: [18700])
        #expect(some == [18700: [SocketOwner(pid: 311, command: "tcplab", fd: 5)]])
        #expect(SocketOwners.scan(procRoot: proc.root, inodes: []).isEmpty)
        #expect(SocketOwners.scan(procRoot: proc.root + "/missing").isEmpty)
    }

    @Test func socketLinkTargets() {
        #expect(SocketOwners.socketInode(linkTarget: "socket:[18694]") == 18694)
        #expect(SocketOwners.socketInode(linkTarget: "socket:[]") == nil)
        #expect(SocketOwners.socketInode(linkTarget: "anon_inode:[eventpoll]") == nil)
        #expect(SocketOwners.socketInode(linkTarget: "/tmp/socket:[1]") == nil)
    }

    @Test func readTableFromFakeRoot() throws {
        let proc = try FakeProc()
        defer { proc.remove() }
        // No net/tcp at all: the lab cannot work, so that is an error.
        #expect(throws: ProcNetTCPError.unreadable(path: proc.root + "/net/tcp", reason: "No such file or directory")) {
            try ProcNetTCP.readTable(procRoot: proc.root)
        }
        // net/tcp but no net/tcp6, as with IPv6 disabled: fine.
        let v4 = [ProcNetTCPFixtures.header4, ProcNetTCPFixtures.listen, ProcNetTCPFixtures.timeWait].joined(separator: "\n") + "\n"
        try proc.write(v4, to: "net/tcp")
        #expect(try ProcNetTCP.readTable(procRoot: proc.root).map(\.state) == [.listen, .timeWait])

        let v6 = [ProcNetTCPFixtures.header6, ProcNetTCPFixtures.established6].joined(separator: "\n") + "\n"
        try proc.write(v6, to: "net/tcp6")
        try proc.process(311, command: "tcplab", fds: [3: "socket:[18694]", 4: "socket:[18700]"])
        let table = try SocketTable.read(procRoot: proc.root)
        #expect(table.entries.map(\.family) == [.ipv4, .ipv4, .ipv6])
        #expect(table.owners[18694] == [SocketOwner(pid: 311, command: "tcplab", fd: 3)])

        let port7777 = try SocketTable.read(procRoot: proc.root, port: 7777)
        #expect(port7777.entries.map(\.state) == [.listen])
        #expect(port7777.owners.keys.sorted() == [18694])
        #expect(table.filtered(port: 7778).entries.map(\.local) == ["[::1]:55332"])
        #expect(table.filtered(port: 7778).owners.keys.sorted() == [18700])
        #expect(table.filtered(port: 7801).entries.map(\.state) == [.timeWait])   // remote port

        try proc.write(ProcNetTCPFixtures.listen + "\n   1: bogus\n", to: "net/tcp")
        #expect(throws: ProcNetTCPError.self) { try ProcNetTCP.readTable(procRoot: proc.root) }
    }
}

/// Uses the real /proc of this machine with a socket this test process owns.
@Suite struct SocketOwnersLiveTests {
    @Test func findsOwnListeningSocketAndItsAcceptQueue() throws {
        let listener = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        try #require(listener >= 0)
        defer { close(listener) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { sa in
                bind(listener, sa, length) == 0 && listen(listener, 7) == 0 && getsockname(listener, sa, &length) == 0
            }
        }
        try #require(bound)
        let port = UInt16(bigEndian: address.sin_port)

        let table = try SocketTable.read(port: port)
        let entry = try #require(table.entries.first { $0.state == .listen && $0.localPort == port })
        #expect(entry.local == "127.0.0.1:\(port)")
        #expect(entry.remote == "0.0.0.0:*")
        #expect(entry.receiveQueue == 0 && entry.sendQueue == 0)
        #expect(entry.uid == getuid())
        let owners = table.owners(of: entry)
        #expect(owners.contains { $0.pid == getpid() && $0.fd == listener })
        #expect(table.rendered().contains("pid=\(getpid()),fd=\(listener))"))

        // One connection completed by the kernel but not accepted: /proc shows it as the
        // listener's rx_queue (accept-queue length) and tx_queue stays 0, not the backlog of 7.
        let client = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        try #require(client >= 0)
        defer { close(client) }
        let connected = withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(client, $0, length) == 0 }
        }
        try #require(connected)
        let after = try SocketTable.read(port: port)
        let queued = try #require(after.entries.first { $0.state == .listen && $0.localPort == port })
        #expect(queued.receiveQueue == 1 && queued.sendQueue == 0)
        // The server side of the unaccepted connection is held by no descriptor yet.
        let serverSide = try #require(after.entries.first { $0.state == .established && $0.localPort == port })
        #expect(serverSide.inode == 0)
        let clientSide = try #require(after.entries.first { $0.state == .established && $0.remotePort == port })
        #expect(after.owners(of: clientSide).contains { $0.pid == getpid() && $0.fd == client })
    }
}
