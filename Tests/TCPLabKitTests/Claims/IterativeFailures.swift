@testable import TCPLabKit

/// iterative's claims, each made to fail the way another kernel or server would.
enum IterativeFailures {
    static let recording = "iterative-default"

    static let all: [ClaimFailure] = [
        ClaimFailure(recording, "handshake-without-accept", "a concurrent server accepted B before B's handshake completed",
                     seen: "the server's accepts were: accept() = ") { run in
            guard let ack = run.handshakeAckOfB else { return }
            run.editSteps(of: "server", where: run.isAcceptOfB) { $0.began = ack.time - 2; $0.ended = ack.time - 1 }
        },
        ClaimFailure(recording, "data-acked-not-answered", "the server answered B at once, in the segment that ACKs B's data",
                     seen: "the server answered B in #") { run in
            guard let portB = run.portB else { return }
            let port = run.port
            run.editSegments(where: { $0.segment.sourcePort == port && $0.segment.destinationPort == portB && $0.segment.payload.isEmpty
                && !$0.segment.flags.contains(.syn) && !$0.segment.flags.contains(.fin) }) {
                $0.payload = Array("HELLO FROM B".utf8)
                $0.ipPayloadLength = 12
            }
        },
        ClaimFailure(recording, "recv-q-in-accept-queue", "B's bytes not in Recv-Q (a server that read them)",
                     seen: "server side of B ESTABLISHED Recv-Q 0, B sent 12 bytes") { run in
            run.editServerSideOfB { $0.receiveQueue = 0 }
        },
        ClaimFailure(recording, "recv-q-in-accept-queue", "B's server-side socket already held by a process (accepted)",
                     seen: "already held by a process (inode 4242)") { run in
            run.editServerSideOfB { $0.inode = 4242 }
        },
        ClaimFailure(recording, "served-after-a-leaves", "the server's accept() returned B before A's FIN (a concurrent server)",
                     seen: "returned B before A's FIN") { run in
            guard let finA = run.finOfA else { return }
            run.editSteps(of: "server", where: run.isAcceptOfB) { $0.ended = finA.time - 1 }
        },
    ]
}

extension DoctoredRun {
    /// Client B's own endpoint, from its connect().
    var endpointB: String? { observation.steps(of: "client B").first { $0.call == "connect" }?.local }
    var portB: UInt16? { endpointB.flatMap(BacklogFacts.port(of:)) }

    /// Edits the server's socket for client B in the table recorded while B waits in the accept queue.
    mutating func editServerSideOfB(_ change: (inout SocketEntry) -> Void) {
        guard let endpointB else { return }
        let port = self.port
        editSockets(at: Iterative.Moment.bInAcceptQueue) { rows in
            for index in rows.indices where rows[index].entry.localPort == port && rows[index].entry.remote == endpointB {
                change(&rows[index].entry)
            }
        }
    }

    /// The server's accept() that returned client B.
    func isAcceptOfB(_ step: RoleStep) -> Bool { step.call == "accept" && step.peer != nil && step.peer == endpointB }

    /// Client B's ACK of the SYN-ACK.
    var handshakeAckOfB: CapturedSegment? {
        observation.segments.first { $0.segment.sourcePort == portB && $0.segment.flags == .ack }
    }

    /// Client A's FIN.
    var finOfA: CapturedSegment? {
        let portA = observation.steps(of: "client A").first { $0.call == "connect" }?.local.flatMap(BacklogFacts.port(of:))
        return observation.segments.first { $0.segment.sourcePort == portA && $0.segment.flags.contains(.fin) }
    }
}
