import Glibc
@testable import TCPLabKit

/// refused's claims, each made to fail the way another kernel or host would.
enum RefusedFailures {
    static let recording = "refused-default"

    /// The port's answer turned into a SYN-ACK: a listener that appeared after the table was read.
    static let answeredBySynAck: @Sendable (inout DoctoredRun) -> Void = { run in
        run.editSegments(where: { $0.segment.flags.contains(.rst) }) { $0.flags = [.syn, .ack] }
    }

    static let all: [ClaimFailure] = [
        ClaimFailure(recording, "nobody-listens", "a listener on the port before the connect", seen: "LISTEN") { run in
            guard let syn = run.observation.segments.first?.segment else { return }
            run.editSockets(at: Refused.Moment.beforeConnect) { rows in
                let listener = SocketEntry(family: .ipv4, localAddress: syn.destination, localPort: syn.destinationPort,
                                           remoteAddress: .v4(0, 0, 0, 0), remotePort: 0, state: .listen, sendQueue: 0,
                                           receiveQueue: 0, timer: .none, uid: 0, inode: 4242)
                rows.append(LabelledSocket(entry: listener, label: "server"))
            }
        },
        ClaimFailure(recording, "nobody-listens", "the port answered with a SYN-ACK (a listener started after the table was read)",
                     seen: "the port answered with [S.] #2", answeredBySynAck),
        ClaimFailure(recording, "nobody-listens", "the capture dropped packets", seen: "dropped 3 packets") { run in run.dropPackets(3) },
        ClaimFailure(recording, "syn-answered-by-rst", "the SYN answered by SYN-ACK", seen: "SYN-ACK #2", answeredBySynAck),
        ClaimFailure(recording, "syn-answered-by-rst", "the capture dropped packets", seen: "dropped 1 packets") { run in run.dropPackets(1) },
        ClaimFailure(recording, "connect-refused", "connect() timed out (a firewall that drops the SYN)", seen: "ETIMEDOUT") { run in
            run.editSteps(of: "client", where: { $0.call == "connect" }) { $0.errno = ETIMEDOUT }
        },
    ]
}
