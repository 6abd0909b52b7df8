import Foundation

/// Predictions for io-models, the same questions for each of the five models: what /proc shows
/// while the server waits, whether it uses CPU time, whether a call of it meets EAGAIN, and what
/// tells it first that the data is there. Read from the run's /proc readings, steps and capture.
enum IOModelsExercise {
    static let yesNo = ["yes", "no"]
    static let states = ["sleeping", "running"]
    static let wakers = ["recv", "poll", "SIGIO", "completion"]

    /// When the client's data segment was captured.
    static func dataTime(_ report: RunReport) -> Int64? { report.dataSegments(.clientToServer).first?.time }

    /// The server's /proc readings taken before the data segment.
    static func waiting(_ report: RunReport) -> [ProcessActivity]? {
        guard let recording = report.waitReadings?.first(where: { $0.isAt(IOModels.Moment.whileServerWaits) }), let data = dataTime(report)
        else { return nil }
        let readings = recording.before(data)
        return readings.count >= 2 ? readings : nil
    }

    /// `14 /proc readings of PID 15021 before the data segment #4: S ×14`, for a wrong mark's reason.
    static func readingsText(_ report: RunReport) -> String {
        let data = report.dataSegments(.clientToServer).first.map { " #\($0.number)" } ?? ""
        guard let readings = waiting(report), let pid = readings.first?.pid else { return "the /proc readings before the data segment\(data)" }
        let counts = Dictionary(grouping: readings, by: \.state).map { "\($0.key) ×\($0.value.count)" }.sorted().joined(separator: ", ")
        return "\(readings.count) /proc readings of PID \(pid) before the data segment\(data): \(counts)"
    }

    /// The server's CPU time (utime + stime) used between its first and last reading, in ms.
    static func cpuMilliseconds(_ report: RunReport) -> Int? {
        guard let readings = waiting(report), let first = readings.first, let last = readings.last,
              let ticks = report.waitReadings?.first?.ticksPerSecond
        else { return nil }
        return (last.cpuTicks - first.cpuTicks) * 1000 / max(1, ticks)
    }

    static let predictions: [Prediction] = [
        Prediction(
            id: "server-state", question: "While the server waits for the client's data, what does /proc/PID/stat show it doing most of the time: sleeping (S) or running (R)?",
            kind: .choice(states), seen: { observed, report in
                "the server was mostly \(observed) in \(readingsText(report))"
            }) { report in
            guard let readings = waiting(report) else { return nil }
            let asleep = readings.filter(\.isAsleep).count
            return asleep * 2 > readings.count ? states[0] : states[1]
        },
        Prediction(
            id: "cpu-while-waiting", question: "Does the server use CPU time while it waits (utime + stime growing by more than 20 ms over the ~300 ms)?",
            kind: .choice(yesNo), seen: { observed, report in
                let grew = cpuMilliseconds(report).map { "utime+stime grew \($0) ms" } ?? "no CPU time was read"
                return "\(observed): \(grew) over \(readingsText(report))"
            }) { report in
            guard let readings = waiting(report), let first = readings.first, let last = readings.last,
                  let ticks = report.waitReadings?.first?.ticksPerSecond
            else { return nil }
            return (last.cpuTicks - first.cpuTicks) * 1000 / max(1, ticks) > 20 ? yesNo[0] : yesNo[1]
        },
        Prediction(
            id: "eagain", question: "Does any call of the server return -1 EAGAIN (Resource temporarily unavailable)?",
            kind: .choice(yesNo), seen: { observed, report in
                let failed = report.steps(of: "server").filter { $0.failure == .wouldBlock && $0.call != IOModelCall.work }
                guard let first = failed.first else { return "\(observed): none of the server's calls returned EAGAIN" }
                return "\(observed): the server's \(first.text) returned -1 EAGAIN (\(failed.count) step\(failed.count == 1 ? "" : "s") on the timeline)"
            }) { report in
            let steps = report.steps(of: "server")
            guard steps.contains(where: { $0.call == "accept" }) else { return nil }
            return steps.contains { $0.failure == .wouldBlock && $0.call != IOModelCall.work } ? yesNo[0] : yesNo[1]
        },
        Prediction(
            id: "woken-by", question: "What is the first thing of the server's to return or arrive after the data segment: a recv(), a poll(), a SIGIO, or an io_uring completion?",
            kind: .choice(wakers), seen: { observed, report in
                let data = report.dataSegments(.clientToServer).first.map { "the data segment #\($0.number)" } ?? "the data segment"
                return "the server's first \(observed) after \(data)"
            }) { report in
            guard let data = dataTime(report) else { return nil }
            let kinds: [String: String] = [
                "recv": wakers[0], IOModelCall.eagainLoop: wakers[0], "poll": wakers[1], IOModelCall.sigio: wakers[2], IOModelCall.completion: wakers[3],
            ]
            let after = report.steps(of: "server").filter { kinds[$0.call] != nil && ($0.ended ?? .max) > data }
            return after.min { ($0.ended ?? .max) < ($1.ended ?? .max) }.flatMap { kinds[$0.call] }
        },
    ]

    static let all: [Exercise] = IOModels.Variant.allCases.map {
        Exercise(scenario: IOModels.name, variant: $0.rawValue, predictions: predictions)
    }
}
