import Glibc
@testable import TCPLabKit

/// unread-close's claims, each made to fail the way another kernel or a buggy program would.
enum UnreadCloseFailures {
    typealias Moment = UnreadClose.Moment

    static let unread = "unread-close-unread"
    static let lingerZero = "unread-close-linger-zero"
    static let both = [unread, lingerZero]

    /// The server's connection row (not the listener).
    static func serverSide(_ port: UInt16) -> @Sendable (SocketEntry) -> Bool {
        { $0.localPort == port && $0.state != .listen }
    }

    static let all: [ClaimFailure] = [
        ClaimFailure(unread, "bytes-unread", "the server read the 5 bytes before closing", seen: "server Recv-Q 0") { run in
            let isServer = serverSide(run.port)
            run.editSockets(at: Moment.beforeClose) { rows in
                for index in rows.indices where isServer(rows[index].entry) { rows[index].entry.receiveQueue = 0 }
            }
        },
        ClaimFailure(lingerZero, "nothing-unread", "5 bytes still unread when the server closed", seen: "server Recv-Q 5") { run in
            let isServer = serverSide(run.port)
            run.editSockets(at: Moment.beforeClose) { rows in
                for index in rows.indices where isServer(rows[index].entry) { rows[index].entry.receiveQueue = 5 }
            }
        },
        ClaimFailure(lingerZero, "linger-set", "setsockopt(SO_LINGER) failed with EINVAL", seen: "= -1 EINVAL") { run in
            run.editSteps(of: "server", where: { $0.call == "setsockopt" && $0.text.contains("SO_LINGER") }) {
                $0.errno = EINVAL
                $0.returnValue = -1
            }
        },
    ]
        + ClaimFailure.each(both, "rst-not-fin", "the server's close() sent a FIN (a kernel that drops unread data silently)", seen: "[F.]") { run in
            let port = run.port
            run.editSegments(where: { $0.segment.sourcePort == port && $0.segment.flags.contains(.rst) }) { $0.flags = [.fin, .ack] }
        }
        + ClaimFailure.each(both, "rst-not-fin", "the capture dropped packets (a FIN may be missing)", seen: "the capture dropped 3 packets") { run in
            run.dropPackets(3)
        }
        + ClaimFailure.each(both, "recv-econnreset", "the client's recv() after the RST returned 0 (EOF)", seen: "client recv() = 0 (EOF)") { run in
            guard let reset = run.observation.segments.first(where: { $0.segment.flags.contains(.rst) }) else { return }
            run.editSteps(of: "client", where: { $0.call == "recv" && $0.began > reset.time }) {
                $0.errno = nil
                $0.returnValue = 0
            }
        }
        + ClaimFailure.each(both, "no-time-wait", "the server's side in TIME_WAIT after the close", seen: "TIME_WAIT") { run in
            let port = run.port
            let before = run.observation.sockets(at: Moment.beforeClose)
            guard let row = zip(before?.table.entries ?? [], before?.labels ?? []).first(where: { $0.0.localPort == port && $0.0.state != .listen })
            else { return }
            var entry = row.0
            entry.state = .timeWait
            entry.receiveQueue = 0
            entry.sendQueue = 0
            entry.timer = SocketTimer(kind: .timeWait, expiresInHundredths: 6000, retransmits: 0)
            run.editSockets(at: Moment.afterClose) { $0.append(LabelledSocket(entry: entry, label: row.1)) }
        }
}
