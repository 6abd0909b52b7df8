import Glibc
@testable import TCPLabKit

/// close-states' claims, each made to fail the way another kernel or a buggy program would:
/// most of them by what a kernel with `net.ipv4.tcp_max_tw_buckets=0` does (no TIME_WAIT, and no
/// orphaned FIN_WAIT2 either, so the peer's later FIN draws an RST).
enum CloseStatesFailures {
    typealias Moment = CloseStates.Moment

    static let serverFirst = "close-states-server-first"
    static let clientFirst = "close-states-client-first"
    static let simultaneous = "close-states-simultaneous"
    static let halfClose = "close-states-half-close"
    static let listener = "close-states-listener"

    /// The server's connection row (not the listener) or the client's row.
    static func side(server: Bool, port: UInt16) -> @Sendable (SocketEntry) -> Bool {
        { server ? ($0.localPort == port && $0.state != .listen) : $0.remotePort == port }
    }

    static let all: [ClaimFailure] =
        [ClaimFailure(serverFirst, "server-fin", "the server catches SIGINT and exits 0", seen: "the server exited with status 0") { run in
            run.end("server", .exited(0))
        },
        ClaimFailure(clientFirst, "client-fin", "no FIN from the client (a close() that left the socket open)", seen: "no FIN from the client") { run in
            let port = run.port
            run.removeSegments { $0.segment.destinationPort == port && $0.segment.flags.contains(.fin) }
        },
        ClaimFailure(serverFirst, "fin-wait2-close-wait", "the server's orphaned FIN_WAIT2 destroyed (tcp_max_tw_buckets=0)",
                     seen: "server gone, client CLOSE_WAIT") { run in
            let isServer = side(server: true, port: run.port)
            run.editSockets(at: Moment.firstClosed) { rows in rows.removeAll { isServer($0.entry) } }
        }]
        + ClaimFailure.each([clientFirst, halfClose], "fin-wait2-close-wait", "the client's side gone after its close (tcp_max_tw_buckets=0)",
                            seen: "client gone, server CLOSE_WAIT") { run in
            let isClient = side(server: false, port: run.port)
            run.editSockets(at: Moment.firstClosed) { rows in rows.removeAll { isClient($0.entry) } }
        }
        + [ClaimFailure(halfClose, "fin-wait2-close-wait", "the client's FIN_WAIT2 runs a timer although the socket is still open",
                        seen: "client FIN_WAIT2 timer:(timewait,") { run in
            let isClient = side(server: false, port: run.port)
            run.editSockets(at: Moment.firstClosed) { rows in
                for index in rows.indices where isClient(rows[index].entry) {
                    rows[index].entry.timer = SocketTimer(kind: .timeWait, expiresInHundredths: 6000, retransmits: 0)
                }
            }
        },
        ClaimFailure(clientFirst, "server-eof", "the server's recv() after the FIN returned 5 bytes", seen: "server recv() = 5") { run in
            run.editSteps(of: "server", where: { $0.call == "recv" }) { $0.returnValue = 5; $0.data = "hello" }
        }]
        + [(serverFirst, false), (clientFirst, true)].map { recording, secondServer in
            ClaimFailure(recording, "last-ack", "the final ACK is an RST (the first closer's socket was destroyed)", seen: "was never ACKed") { run in
                let port = run.port
                let secondFin = run.observation.segments.last { ($0.segment.sourcePort == port) == secondServer && $0.segment.flags.contains(.fin) }
                guard let secondFin else { return }
                run.editSegments(where: { $0.number > secondFin.number && ($0.segment.sourcePort == port) != secondServer }) {
                    $0.flags = .rst
                    $0.acknowledgmentNumber = 0
                }
            }
        }
        + [ClaimFailure(clientFirst, "last-ack", "the server never called close(): its FIN came from its exit", seen: "made no close() before its FIN") { run in
            run.removeSteps(of: "server", where: { $0.call == "close" })
        }]
        + [ClaimFailure(serverFirst, "time-wait-first-closer", "no TIME_WAIT on the server (tcp_max_tw_buckets=0)", seen: "server gone, client gone") { run in
            let isServer = side(server: true, port: run.port)
            run.editSockets(at: Moment.secondClosed) { rows in rows.removeAll { isServer($0.entry) } }
        }]
        + ClaimFailure.each([clientFirst, halfClose], "time-wait-first-closer", "no TIME_WAIT on the client (tcp_max_tw_buckets=0)",
                            seen: "client gone, server gone") { run in
            let isClient = side(server: false, port: run.port)
            run.editSockets(at: Moment.secondClosed) { rows in rows.removeAll { isClient($0.entry) } }
        }
        + simultaneousFailures + halfCloseFailures + listenerFailures

    static let simultaneousFailures: [ClaimFailure] = [
        ClaimFailure(simultaneous, "fins-crossed", "the second FIN acknowledges the first (its side closed after reading it)",
                     seen: "acknowledges the") { run in
            let fins = run.observation.segments.filter { $0.segment.flags.contains(.fin) }
            guard fins.count >= 2 else { return }
            let first = fins[0], second = fins[1]
            run.editSegments(where: { $0.number == second.number }) { $0.acknowledgmentNumber = first.segment.sequenceNumber &+ 1 }
        },
        ClaimFailure(simultaneous, "both-closing", "the first FIN is ACKed before the other side closes (no delay on lo: the FINs do not cross)",
                     seen: "was ACKed") { run in
            // The other side's ACK of the first FIN moves before its own FIN, which then
            // acknowledges the first FIN too: a plain close in turn, no CLOSING.
            let segments = run.observation.segments
            guard let first = segments.first(where: { $0.segment.flags.contains(.fin) }),
                  let second = segments.first(where: { $0.number > first.number && $0.segment.flags.contains(.fin)
                      && $0.segment.sourcePort != first.segment.sourcePort }),
                  let ack = segments.first(where: { $0.number > second.number && $0.segment.sourcePort == second.segment.sourcePort
                      && $0.segment.acknowledgmentNumber == first.segment.sequenceNumber &+ 1 && !$0.segment.flags.contains(.fin) })
            else { return }
            var reordered = segments.filter { $0.number != ack.number }
            let at = reordered.firstIndex { $0.number == second.number } ?? reordered.count
            reordered.insert(ack, at: at)
            for index in reordered.indices {
                reordered[index].number = index + 1
                if reordered[index].segment == second.segment { reordered[index].segment.acknowledgmentNumber = first.segment.sequenceNumber &+ 1 }
            }
            run.observation.segments = reordered
        },
        ClaimFailure(simultaneous, "both-closing", "the capture dropped packets", seen: "the capture dropped 2 packets") { run in
            run.dropPackets(2)
        },
        ClaimFailure(simultaneous, "both-time-wait", "no TIME_WAIT at all (tcp_max_tw_buckets=0)", seen: "server gone, client gone") { run in
            run.editSockets(at: Moment.end) { rows in rows.removeAll { $0.entry.state == .timeWait } }
        },
        ClaimFailure(simultaneous, "both-time-wait", "the server still CLOSING at the end", seen: "server CLOSING") { run in
            let isServer = side(server: true, port: run.port)
            run.setState(at: Moment.end, where: isServer, to: .closing)
        },
    ]

    static let halfCloseFailures: [ClaimFailure] = [
        ClaimFailure(halfClose, "shutdown-fin", "shutdown() failed with ENOTCONN", seen: "shutdown(SHUT_WR) = -1 ENOTCONN") { run in
            run.editSteps(of: "client", where: { $0.call == "shutdown" }) { $0.errno = ENOTCONN; $0.returnValue = -1 }
        },
        ClaimFailure(halfClose, "answer-after-eof", "the server's send after the EOF failed with EPIPE", seen: "no successful send after the EOF") { run in
            run.editSteps(of: "server", where: { $0.call == "send" }) { $0.errno = EPIPE; $0.returnValue = -1 }
        },
        ClaimFailure(halfClose, "data-after-fin", "the client's kernel never ACKs the server's answer", seen: "was never ACKed") { run in
            let port = run.port
            guard let data = run.observation.segments.first(where: { $0.segment.sourcePort == port && !$0.segment.payload.isEmpty }) else { return }
            let end = data.segment.sequenceNumber &+ UInt32(data.segment.payload.count)
            run.removeSegments { $0.segment.destinationPort == port && $0.segment.acknowledgmentNumber == end }
        },
        ClaimFailure(halfClose, "answer-received", "the client's recv() after shutdown() returned 0", seen: "client recv() = 0 (EOF)") { run in
            run.editSteps(of: "client", where: { $0.call == "recv" && $0.data == "hello" }) { $0.returnValue = 0; $0.data = nil }
        },
    ]

    static let listenerFailures: [ClaimFailure] = [
        ClaimFailure(listener, "listen-seen", "the table shows no listener (a server that never listened)",
                     seen: "while the server listens: no sockets on the port") { run in
            run.editSockets(at: Moment.listening) { $0.removeAll() }
        },
        ClaimFailure(listener, "listener-gone", "the listener still there after close() (a forked child holds the fd)",
                     seen: "after close() of the listening socket: server 127.0.0.1:7777 LISTEN") { run in
            let listening = run.observation.sockets(at: Moment.listening)
            run.editSockets(at: Moment.listenerClosed) { rows in
                rows = zip(listening?.table.entries ?? [], listening?.labels ?? []).map { LabelledSocket(entry: $0, label: $1) }
            }
        },
        ClaimFailure(listener, "listener-silent", "an RST on the port after the close", seen: "1 segments, the first [R]") { run in
            let port = run.port
            let address = IPAddress.loopbackV4
            let reset = TCPSegment(source: address, sourcePort: port, destination: address, destinationPort: 40000, sequenceNumber: 0,
                                   acknowledgmentNumber: 0, flags: .rst, window: 0, options: [], payload: [])
            run.observation.segments = [CapturedSegment(number: 1, time: run.observation.steps.last?.began ?? 0, segment: reset)]
        },
        ClaimFailure(listener, "listener-silent", "the capture dropped packets", seen: "the capture dropped 1 packets") { run in
            run.dropPackets(1)
        },
    ]
}
