import Glibc
@testable import TCPLabKit

/// concurrency's claims, each made to fail the way another server model or kernel would.
enum ConcurrencyFailures {
    typealias Moment = Concurrency.Moment
    static let concurrent = ["fork", "thread", "select", "select-unchecked", "poll", "epoll", "epoll-et", "epoll-et-once"]
        .map { "concurrency-\($0)" }
    static let singleThreaded = ["select", "select-unchecked", "poll", "epoll", "epoll-et", "epoll-et-once"].map { "concurrency-\($0)" }

    static let all: [ClaimFailure] =
        ClaimFailure.each(concurrent + ["concurrency-iterative"], "all-served", "client 2's first answer came back lower-case",
                          seen: "got back") { run in
            run.editSteps(of: "client 2", where: { $0.call == "reply" }) { $0.text = $0.text.lowercased() }
        }
        + ClaimFailure.each(concurrent, "served-concurrently", "client 2 answered only after client 1 went on, as an iterative server would",
                            seen: "came outside client 1's idle time") { run in
            let port = run.port
            guard let gapEnd = run.clientSegments("client 1").filter({ !$0.segment.payload.isEmpty }).dropFirst().first,
                  let answer = run.segment(fromServer: port, to: "client 2", containing: "CLIENT 2 LINE 1")
            else { return }
            run.move(answer, after: gapEnd)
        }
        + [ClaimFailure("concurrency-iterative", "served-one-at-a-time", "client 2 answered while client 1 sat idle, as a concurrent server would",
                        seen: "client 2 was answered") { run in
            let port = run.port
            guard let line = run.clientSegments("client 2").first(where: { !$0.segment.payload.isEmpty }),
                  let answer = run.segment(fromServer: port, to: "client 2", containing: "CLIENT 2 LINE 1")
            else { return }
            run.move(answer, after: line)
        },
        ClaimFailure("concurrency-iterative", "served-one-at-a-time", "the capture dropped packets", seen: "dropped 3 packets") { run in
            run.dropPackets(3)
        },
        ClaimFailure("concurrency-iterative", "accept-queue", "a listener whose accept queue is empty (the server accepted everyone)",
                     seen: "accept queue 0, expected 2") { run in
            let port = run.port
            run.editSockets(at: Moment.whileClient1Idle) { rows in
                for index in rows.indices where rows[index].entry.localPort == port && rows[index].entry.state == .listen {
                    rows[index].entry.receiveQueue = 0
                }
            }
        },
        ClaimFailure("concurrency-iterative", "acked-before-accept", "client 2 accept()ed before its line was ACKed (a kernel that waits for accept)",
                     seen: "was accepted at") { run in
            guard let endpoint = run.observation.steps.first(where: { $0.role == "client 2" && $0.call == "connect" })?.local else { return }
            let first = run.observation.segments.first?.time ?? 0
            run.editSteps(of: "server", where: { $0.call == "accept" && $0.peer == endpoint }) { $0.ended = first }
        },
        ClaimFailure("concurrency-iterative", "answered-after-previous-fin", "client 1's FIN after client 2's answer (client 1 left later)",
                     seen: "came before client 1's FIN") { run in
            let port = run.port
            guard let fin = run.clientSegments("client 1").first(where: { $0.segment.flags.contains(.fin) }),
                  let answer = run.segment(fromServer: port, to: "client 2", containing: "CLIENT 2 LINE 1")
            else { return }
            run.move(fin, after: answer)
        }]
        + [ClaimFailure("concurrency-fork", "process-per-client", "one child fewer than clients (a server that forks for some only)",
                        seen: "had 2 children for 3 clients") { run in
            run.editCensus(at: Moment.allConnected) { $0.children.removeLast() }
        },
        ClaimFailure("concurrency-fork", "children-reaped", "a child left defunct after every client left (no SIGCHLD handler)",
                     seen: "1 children, 1 defunct") { run in
            run.editCensus(at: Moment.afterEveryoneLeft) { $0.children = [99999]; $0.defunct = 1 }
        },
        ClaimFailure("concurrency-thread", "thread-per-client", "only the main thread with all clients connected",
                     seen: "1 threads") { run in
            run.editCensus(at: Moment.allConnected) { $0.threads = 1 }
        },
        ClaimFailure("concurrency-thread", "threads-end", "the workers still running after their clients left",
                     seen: "4 threads after every client left") { run in
            run.editCensus(at: Moment.afterEveryoneLeft) { $0.threads = 4 }
        }]
        + ClaimFailure.each(singleThreaded, "single-thread", "a worker thread in the census with all clients connected",
                            seen: "2 threads") { run in
            run.editCensus(at: Moment.allConnected) { $0.threads = 2 }
        }
        + [ClaimFailure("concurrency-select", "fd-setsize-refused", "the server kept fd 1024 and went back to select()",
                        seen: "the server's next call was select(") { run in
            guard let accept = run.observation.steps.first(where: { $0.role == "server" && $0.call == "accept" && ($0.returnValue ?? 0) >= 1024 })
            else { return }
            run.removeSteps(of: "server", where: { $0.call == "close" && $0.began >= accept.began })
        },
        ClaimFailure("concurrency-select-unchecked", "fd-setsize-abort", "the server survived (an FD_SET without glibc's check) until the lab stopped it",
                     seen: "the server killed by SIGTERM") { run in
            run.end("server", .signaled(SIGTERM))
        },
        ClaimFailure("concurrency-epoll-et", "et-drains", "bytes left in the Recv-Q while the server waited in epoll_wait",
                     seen: "Recv-Q 8 while the server waited") { run in
            run.editSockets(at: Moment.afterLongLine) { rows in
                for index in rows.indices where rows[index].label == "server for client 1" { rows[index].entry.receiveQueue = 8 }
            }
        },
        ClaimFailure("concurrency-epoll-et-once", "et-once-stalls", "nothing left in the Recv-Q (a server that read it all)",
                     seen: "Recv-Q 0 while the server waited") { run in
            run.editSockets(at: Moment.afterLongLine) { rows in
                for index in rows.indices where rows[index].label == "server for client 1" { rows[index].entry.receiveQueue = 0 }
            }
        }]
}

extension DoctoredRun {
    /// The segments client `label` sent (from its connect()'s local port), in capture order.
    func clientSegments(_ label: String) -> [CapturedSegment] {
        guard let local = observation.steps.first(where: { $0.role == label && $0.call == "connect" })?.local,
              let clientPort = ConcurrencyDriver.port(of: local)
        else { return [] }
        return observation.segments.filter { $0.segment.sourcePort == clientPort }
    }

    /// The first segment from the server to client `label` whose payload holds `text`.
    func segment(fromServer port: UInt16, to label: String, containing text: String) -> CapturedSegment? {
        guard let local = observation.steps.first(where: { $0.role == label && $0.call == "connect" })?.local,
              let clientPort = ConcurrencyDriver.port(of: local)
        else { return nil }
        let bytes = Array(text.utf8)
        return observation.segments.first {
            $0.segment.sourcePort == port && $0.segment.destinationPort == clientPort && $0.segment.payload.contains(bytes)
        }
    }

    /// Moves `segment` to just after `other` in capture order (with `other`'s time), numbering
    /// every segment again: what a capture of a server that sent it later (or earlier) shows.
    mutating func move(_ segment: CapturedSegment, after other: CapturedSegment) {
        var moved = segment
        moved.time = other.time + 1
        observation.segments.removeAll { $0.number == segment.number }
        let index = (observation.segments.firstIndex { $0.number == other.number } ?? observation.segments.count - 1) + 1
        observation.segments.insert(moved, at: index)
        for index in observation.segments.indices { observation.segments[index].number = index + 1 }
    }

    /// Edits the /proc census recorded at `moment`.
    mutating func editCensus(at moment: some ScenarioMoment, _ change: (inout ProcessCensus) -> Void) {
        for index in observation.censuses.indices where observation.censuses[index].isAt(moment) {
            change(&observation.censuses[index])
        }
    }
}
