import Foundation

/// Predictions for nagle, the same questions with Nagle's algorithm on and with TCP_NODELAY:
/// how 9 one-byte writes become segments, whether a segment may leave while data is in flight,
/// and how the echo server (Nagle on) answers. Read from the capture alone.
enum NagleExercise {
    static let yesNo = ["yes", "no"]

    static let predictions: [Prediction] = [
        Prediction(
            id: "first-keystroke-segment", question: "Which segment number carries the first keystroke (\"h\")?",
            kind: .number, seen: Evidence.segment(carrying: "the first keystroke")) { report in
            report.dataSegments(.clientToServer).first.map { String($0.number) }
        },
        Prediction(
            id: "first-segment-bytes", question: "The client types \"hello tcp\": 9 send() calls of one byte each, back to back. How many bytes does its first data segment carry?",
            kind: .number, seen: { observed, report in
                report.dataSegments(.clientToServer).first.map { "the client's first data segment, #\($0.number), carried \(observed) bytes" }
                    ?? "the client sent no data segment"
            }) { report in report.dataSegments(.clientToServer).first.map { String($0.length) } },
        Prediction(
            id: "left-while-unacked", question: "Does any client data segment leave while earlier data of the client is still unacknowledged?",
            kind: .choice(yesNo), seen: { _, report in
                let data = report.dataSegments(.clientToServer)
                if let early = data.first(where: { !unacknowledged(report, before: $0).isEmpty }) {
                    let pending = unacknowledged(report, before: early)
                    return "segment #\(early.number) left while the server had not yet acknowledged \(Evidence.numbers(pending))"
                }
                return "each of the client's data segments (\(Evidence.numbers(data))) left after the one before it was acknowledged"
            }) { report in
            let data = report.dataSegments(.clientToServer)
            guard !data.isEmpty else { return nil }
            return data.contains { !unacknowledged(report, before: $0).isEmpty } ? yesNo[0] : yesNo[1]
        },
        Prediction(
            id: "data-segments", question: "How many data segments does the client send for its 9 writes?",
            kind: .number, seen: Evidence.capture("data segments from the client") { $0.dataSegments(.clientToServer) }) { report in
            let data = report.dataSegments(.clientToServer)
            return data.isEmpty ? nil : String(data.count)
        },
        Prediction(
            id: "echo-segments", question: "The echo server sends each byte back as it reads it, with Nagle on (it never sets TCP_NODELAY). How many data segments carry the echo?",
            kind: .number, seen: Evidence.capture("data segments from the server") { $0.dataSegments(.serverToClient) }) { report in
            let echo = report.dataSegments(.serverToClient)
            return echo.isEmpty ? nil : String(echo.count)
        },
    ]

    /// The client's data segments that the server had not acknowledged yet (by the capture) when
    /// `segment` left; wrap-around safe, so `--absolute` runs read the same.
    static func unacknowledged(_ report: RunReport, before segment: SegmentRow) -> [SegmentRow] {
        let acked = report.segments.last { $0.direction == .serverToClient && $0.number < segment.number && $0.acknowledgment != nil }?
            .acknowledgment
        return report.dataSegments(.clientToServer).filter { earlier in
            guard earlier.number < segment.number else { return false }
            guard let acked else { return true }
            return SegmentAnalysis.isAfter(earlier.sequence &+ UInt32(earlier.length), acked)
        }
    }

    static let all: [Exercise] = [
        Exercise(scenario: "nagle", variant: "nagle", predictions: predictions),
        Exercise(scenario: "nagle", variant: "nodelay", predictions: predictions),
    ]
}
