import Foundation

/// Predictions for flow-control, the same questions for the blocking and the non-blocking
/// sender: how much gets through a 4096-byte window, what send() does then, what /proc shows,
/// how the probes are spaced, what the window update offers. Read from the capture, the steps
/// and the table recorded while the window was closed.
enum FlowControlExercise {
    typealias Moment = FlowControl.Moment
    static let yesNo = ["yes", "no"]
    static let sendOutcomes = ["it blocks", "EAGAIN", "it returns 16384"]

    static let predictions: [Prediction] = [
        Prediction(
            id: "bytes-before-zero-window",
            question: "The server's SYN-ACK offers a 4096-byte window and the server reads nothing. How many bytes of data has the server acknowledged when its window reaches 0?",
            kind: .number, seen: { observed, report in
                "the server's first zero-window segment\(number(zeroWindow(report))) acknowledged \(observed) bytes"
            }) { report in
            zeroWindow(report)?.acknowledgment.map { String($0 &- 1) }
        },
        Prediction(
            id: "send-while-closed",
            question: "While the window is 0, what does the client's send() of the rest do?",
            kind: .choice(sendOutcomes), seen: { observed, report in
                "the client's send() while the window\(number(zeroWindow(report))) was 0: \(observed)"
            }) { report in
            guard let zero = zeroWindow(report) else { return nil }
            let sends = report.steps(of: "client").filter { $0.call == "send" }
            if sends.contains(where: { $0.failure == .wouldBlock }) { return sendOutcomes[1] }
            guard let send = sends.first else { return nil }
            return (send.ended ?? .max) > zero.time ? sendOutcomes[0] : sendOutcomes[2]
        },
        Prediction(
            id: "server-recv-q", question: "/proc/net/tcp while the window is closed: what is the server's Recv-Q?",
            kind: .number, seen: Evidence.table(Moment.windowClosed, for: "the server's")) { report in
            report.snapshot(at: Moment.windowClosed)?.sockets.first { $0.role == "server" && $0.state != "LISTEN" }
                .map { String($0.receiveQueue) }
        },
        Prediction(
            id: "probe-gap-grows", question: "Does the client wait longer before its second zero-window probe than before its first?",
            kind: .choice(yesNo), seen: { observed, report in
                let probes = zeroWindow(report).map { zero in KeepaliveExercise.probes(report).filter { $0.number > zero.number } } ?? []
                return "a longer wait before the second probe (\(Evidence.numbers(probes))): \(observed)"
            }) { report in
            guard let zero = zeroWindow(report) else { return nil }
            let probes = KeepaliveExercise.probes(report).filter { $0.number > zero.number }
            guard probes.count >= 2 else { return nil }
            let first = probes[0].time - zero.time, second = probes[1].time - probes[0].time
            return second > first ? yesNo[0] : yesNo[1]
        },
        Prediction(
            id: "update-window", question: "When the server reads, how many bytes does the window update offer?",
            kind: .number, seen: { observed, report in
                "the window update\(number(windowUpdate(report))) offered \(observed) bytes"
            }) { report in
            windowUpdate(report).map { String($0.windowBytes ?? UInt32($0.window)) }
        },
    ]

    /// The server's window update after its first zero window: no data, a window again, the same ACK.
    static func windowUpdate(_ report: RunReport) -> SegmentRow? {
        guard let zero = zeroWindow(report) else { return nil }
        return report.segments.first { (row: SegmentRow) -> Bool in
            guard row.direction == .serverToClient, row.number > zero.number, row.length == 0 else { return false }
            return row.window > 0 && row.acknowledgment == zero.acknowledgment
        }
    }

    /// ` (#12)` for a segment, nothing without one.
    static func number(_ row: SegmentRow?) -> String {
        row.map { " (#\($0.number))" } ?? ""
    }

    /// The server's first zero-window segment.
    static func zeroWindow(_ report: RunReport) -> SegmentRow? {
        report.segments.first { $0.direction == .serverToClient && $0.window == 0 && !$0.flags.contains("S") && !$0.flags.contains("R") }
    }

    static let all: [Exercise] = [
        Exercise(scenario: "flow-control", variant: "blocking", predictions: predictions),
        Exercise(scenario: "flow-control", variant: "nonblocking", predictions: predictions),
    ]
}
