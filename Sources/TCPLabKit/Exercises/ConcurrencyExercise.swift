import Foundation
import Glibc

/// Predictions for concurrency, one exercise per server model: who waits in the accept queue of
/// an iterative server, how many processes and threads each model runs (from the /proc census
/// notes), select's FD_SETSIZE wall, and what edge-triggered epoll leaves unread.
enum ConcurrencyExercise {
    static let states = ["SYN_SENT", "SYN_RECV", "ESTABLISHED", "CLOSE_WAIT", "LISTEN"]
    static let yesNo = ["yes", "no"]
    static let whenAnswered = ["at once", "after client 1 leaves", "never"]
    static let serverEnds = ["runs until the lab stops it", "killed by SIGABRT", "killed by SIGSEGV", "exits by itself"]

    static let all: [Exercise] = [
        Exercise(scenario: "concurrency", variant: "iterative", predictions: [
            Prediction(
                id: "accept-queue", question: "While the iterative server serves client 1, how many connections wait in its listening socket's accept queue (LISTEN Recv-Q)?",
                kind: .number, seen: Evidence.table(Concurrency.Moment.whileClient1Idle, for: "the LISTEN socket's Recv-Q")) { report in
                report.snapshot(at: Concurrency.Moment.whileClient1Idle)?.sockets.first { $0.state == "LISTEN" }.map { String($0.receiveQueue) }
            },
            Prediction(
                id: "waiting-state", question: "Which state are the waiting clients' sockets in?",
                kind: .choice(states), seen: Evidence.table(Concurrency.Moment.whileClient1Idle, for: "the waiting clients' sockets")) { report in
                report.snapshot(at: Concurrency.Moment.whileClient1Idle).flatMap { snapshot in
                    RunReport.same(snapshot.sockets.filter { ($0.role ?? "").hasPrefix("client ") && $0.role != "client 1" }.map(\.state))
                }
            },
            Prediction(
                id: "acked-before-accept", question: "Client 2 sends its first line before the server accept()s it. Does the server's kernel ACK those bytes before accept() returns?",
                kind: .choice(yesNo), seen: { observed, report in
                    guard let endpoint = report.endpoint(of: "client 2"),
                          let data = report.segments(from: endpoint).first(where: { $0.length > 0 }) else { return "client 2 sent no data" }
                    let end = data.sequence &+ UInt32(data.length)
                    let ack = report.segments(to: endpoint).first { $0.number > data.number && $0.acknowledgment == end }
                    let accept = report.steps(of: "server").first { $0.call == "accept" && $0.peer == endpoint }
                    let order = observed == yesNo[0] ? "before" : "not before"
                    return "client 2's data #\(data.number) was acknowledged " + (ack.map { "by #\($0.number)" } ?? "by no segment")
                        + ", \(order) the server's accept() of client 2 returned" + (accept?.returnValue.map { " (= \($0))" } ?? "")
                }) { report in
                guard let endpoint = report.endpoint(of: "client 2"),
                      let data = report.segments(from: endpoint).first(where: { $0.length > 0 }),
                      let accept = report.steps(of: "server").first(where: { $0.call == "accept" && $0.peer == endpoint }),
                      let accepted = accept.ended
                else { return nil }
                let end = data.sequence &+ UInt32(data.length)
                guard let ack = report.segments(to: endpoint).first(where: { $0.number > data.number && $0.acknowledgment == end }) else {
                    return yesNo[1]
                }
                return ack.time < accepted ? yesNo[0] : yesNo[1]
            },
            Prediction(
                id: "client-2-answered", question: "When does client 2 get the answer to its first line?",
                kind: .choice(whenAnswered), seen: { _, report in
                    let fin = report.endpoint(of: "client 1").flatMap { first in report.segments(from: first).first { $0.flags.contains("F") } }
                    let answer = report.endpoint(of: "client 2").flatMap { second in report.segments(to: second).first { $0.length > 0 } }
                    return "client 2's first answer is " + (answer.map { "segment #\($0.number)" } ?? "in no segment")
                        + ", client 1's FIN " + (fin.map { "segment #\($0.number)" } ?? "is not in the capture")
                }) { report in
                guard let first = report.endpoint(of: "client 1"), let second = report.endpoint(of: "client 2"),
                      let fin = report.segments(from: first).first(where: { $0.flags.contains("F") })
                else { return nil }
                guard let answer = report.segments(to: second).first(where: { $0.length > 0 }) else { return whenAnswered[2] }
                return answer.number > fin.number ? whenAnswered[1] : whenAnswered[0]
            },
            Prediction(
                id: "accepts-while-client-1", question: "How many accept() calls have returned a connection by the time client 1 closes?",
                kind: .number, seen: { observed, _ in "\(observed) of the server's accept() calls returned a connection before client 1's close()" }) { report in
                guard let close = report.steps(of: "client 1").first(where: { $0.call == "close" }) else { return nil }
                return String(report.steps(of: "server").filter {
                    $0.call == "accept" && $0.errno == nil && ($0.returnValue ?? -1) >= 0 && ($0.ended ?? .max) < close.began
                }.count)
            },
        ]),
        Exercise(scenario: "concurrency", variant: "fork", predictions: [
            servedAtOnce, children, threads,
            Prediction(
                id: "children-after", question: "After every client left, how many children does the server have (zombies included)?",
                kind: .number, seen: Evidence.census(Concurrency.Moment.afterEveryoneLeft, .children)) { report in
                report.census(at: Concurrency.Moment.afterEveryoneLeft).map { String($0.children.count) }
            },
        ]),
        Exercise(scenario: "concurrency", variant: "thread", predictions: [
            servedAtOnce, children, threads,
            Prediction(
                id: "threads-after", question: "After every client left, how many threads does the server run?",
                kind: .number, seen: Evidence.census(Concurrency.Moment.afterEveryoneLeft, .threads)) { report in
                report.census(at: Concurrency.Moment.afterEveryoneLeft).map { String($0.threads) }
            },
        ]),
        Exercise(scenario: "concurrency", variant: "select", predictions: [
            servedAtOnce, children, threads,
            Prediction(
                id: "refused-fd", question: "A late client arrives when the server's descriptors up to 1023 are taken. Which descriptor number does select() refuse?",
                kind: .number, seen: { observed, report in
                    let note = report.steps(of: "server").first { $0.call == "refused" }
                    return note.map { "the server's step `\($0.text)` names fd \(observed)" } ?? "the server refused fd \(observed)"
                }) { report in
                report.steps(of: "server").first { $0.call == "refused" }
                    .flatMap { $0.text.components(separatedBy: "fd ").dropFirst().first?.prefix { $0.isNumber } }
                    .flatMap { Int($0) }.map(String.init)
            },
            Prediction(
                id: "late-recv", question: "What does the late client's recv() return?",
                kind: .number, seen: Evidence.call("the late client's recv()")) { report in
                report.steps(of: Concurrency.lateLabel).first { $0.call == "recv" && $0.ended != nil }
                    .map { $0.errno == nil ? String($0.returnValue ?? 0) : "-1" }
            },
        ]),
        Exercise(scenario: "concurrency", variant: "select-unchecked", predictions: [
            servedAtOnce, threads,
            Prediction(
                id: "server-end", question: "This server puts every descriptor into its fd_set with glibc's FD_SET (built with _FORTIFY_SOURCE=2, as Debian builds C programs). A late client gets fd 1024. How does the server end?",
                kind: .choice(serverEnds), seen: { observed, report in
                    guard let ending = report.ending(of: "server") else { return "the server had not ended when the run did" }
                    return "the server \(ending)" + (observed == serverEnds[0] ? " (the lab stopping it at the end of the run)" : "")
                }) { report in
                guard let end = report.ends.first(where: { $0.role == "server" }) else { return serverEnds[0] }
                switch end.termination {
                case .signaled(SIGABRT): return serverEnds[1]
                case .signaled(SIGSEGV): return serverEnds[2]
                case .exited: return serverEnds[3]
                case .signaled: return serverEnds[0]  // stopped by the lab at the end of the run
                }
            },
        ]),
        Exercise(scenario: "concurrency", variant: "poll", predictions: [servedAtOnce, children, threads]),
        Exercise(scenario: "concurrency", variant: "epoll", predictions: [servedAtOnce, children, threads]),
        Exercise(scenario: "concurrency", variant: "epoll-et", predictions: edgeTriggered),
        Exercise(scenario: "concurrency", variant: "epoll-et-once", predictions: edgeTriggered),
    ]

    // MARK: shared questions

    static let servedAtOnce = Prediction(
        id: "served-at-once", question: "Client 1 is answered once, then keeps its connection open and sends nothing. Are the other clients answered meanwhile?",
        kind: .choice(yesNo), seen: { _, report in servedEvidence(report) }) { report in
        guard let first = report.endpoint(of: "client 1"),
              let answer1 = report.segments(to: first).first(where: { $0.length > 0 })
        else { return nil }
        // Client 1's idle time ends with its next segment that carries data or a FIN.
        let idleEnd = report.segments(from: first).first { $0.number > answer1.number && ($0.length > 0 || $0.flags.contains("F")) }?.number ?? .max
        let others = clientLabels(report).dropFirst()
        guard !others.isEmpty else { return nil }
        for client in others {
            guard let endpoint = report.endpoint(of: client),
                  let answer = report.segments(to: endpoint).first(where: { $0.length > 0 }),
                  answer.number < idleEnd
            else { return yesNo[1] }
        }
        return yesNo[0]
    }

    static let children = Prediction(
        id: "children", question: "With all 3 clients (or --clients N) connected, how many child processes does the server have?",
        kind: .number, seen: Evidence.census(Concurrency.Moment.allConnected, .children)) { report in
        report.census(at: Concurrency.Moment.allConnected).map { String($0.children.count) }
    }

    static let threads = Prediction(
        id: "threads", question: "And how many threads does the server process run, its main thread included?",
        kind: .number, seen: Evidence.census(Concurrency.Moment.allConnected, .threads)) { report in
        report.census(at: Concurrency.Moment.allConnected).map { String($0.threads) }
    }

    static let edgeTriggered: [Prediction] = [
        servedAtOnce, threads,
        Prediction(
            id: "first-read", question: "Client 1 sends a 40-byte line; the server reads at most 32 bytes per recv(). What does its first recv() of that line return?",
            kind: .number, seen: Evidence.call("the server's first recv() of client 1's long line")) { report in
            report.steps(of: "server").first { $0.call == "recv" && ($0.data ?? "").hasPrefix("client 1 line 4") }
                .flatMap(\.returnValue).map(String.init)
        },
        Prediction(
            id: "left-in-recv-q", question: "While the server then waits in epoll_wait, how many bytes wait in the Recv-Q of its socket for client 1?",
            kind: .number, seen: Evidence.table(Concurrency.Moment.afterLongLine, for: "the Recv-Q of the server's socket for client 1")) { report in
            report.snapshot(at: Concurrency.Moment.afterLongLine)?.sockets.first { $0.role == "server for client 1" }.map { String($0.receiveQueue) }
        },
        Prediction(
            id: "answered-before-next-line", question: "Is the long line answered before client 1 sends its next line?",
            kind: .choice(yesNo), seen: { observed, _ in
                "the server's send(\"CLIENT 1 LINE 4…\") began " + (observed == yesNo[0] ? "before" : "after")
                    + " client 1's send(\"\(Concurrency.line(1, 5))\")"
            }) { report in
            guard let next = report.steps(of: "client 1").first(where: { $0.call == "send" && $0.data == Concurrency.line(1, 5) + "\n" }),
                  let answer = report.steps(of: "server").first(where: { $0.call == "send" && ($0.data ?? "").hasPrefix("CLIENT 1 LINE 4") })
            else { return nil }
            return answer.began < next.began ? yesNo[0] : yesNo[1]
        },
    ]

    /// Where each other client's first answer fell against client 1's idle time: `client 2's
    /// answer #12 came while client 1 was idle (until #20)`.
    static func servedEvidence(_ report: RunReport) -> String {
        guard let first = report.endpoint(of: "client 1"),
              let answer1 = report.segments(to: first).first(where: { $0.length > 0 }) else { return "client 1 got no answer" }
        let idleEnd = report.segments(from: first).first { $0.number > answer1.number && ($0.length > 0 || $0.flags.contains("F")) }
        let until = idleEnd.map { "#\($0.number)" } ?? "the end of the capture"
        let others = clientLabels(report).dropFirst().map { client -> String in
            guard let endpoint = report.endpoint(of: client),
                  let answer = report.segments(to: endpoint).first(where: { $0.length > 0 }) else { return "\(client) got no answer" }
            let during = answer.number < (idleEnd?.number ?? .max)
            return "\(client)'s answer #\(answer.number) came \(during ? "while" : "after") client 1 was idle (from #\(answer1.number) until \(until))"
        }
        if others.isEmpty { return "only client 1 ran" }
        return others.prefix(3).joined(separator: "; ") + (others.count > 3 ? "; …" : "")
    }

    /// `client 1`, `client 2` … in number order (the late client of select is not one of them).
    static func clientLabels(_ report: RunReport) -> [String] {
        Set(report.steps.map(\.role)).compactMap { role in role.hasPrefix("client ") ? Int(role.dropFirst(7)) : nil }
            .sorted().map(Concurrency.label)
    }
}
