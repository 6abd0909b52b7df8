/// What the capture, the server's steps and its /proc readings say about one io-models run:
/// the client's data segment, the server's wait and receive steps, and the readings taken
/// before the data came. Shared by the claims and the exercise.
struct IOModelsFacts {
    let observation: Observation
    let serverPort: UInt16

    init(_ observation: Observation, serverPort: UInt16) {
        self.observation = observation
        self.serverPort = serverPort
    }

    /// The client's first segment carrying data: the message the server waits for.
    var data: CapturedSegment? {
        observation.segments.first { $0.segment.destinationPort == serverPort && $0.segment.ipPayloadLength > 0 }
    }

    var server: [RoleStep] { observation.steps(of: "server") }

    /// The server's steps (calls and notes) named `call`, in order.
    func steps(_ call: String) -> [RoleStep] { server.filter { $0.call == call } }

    /// The /proc readings of the server while it waited.
    var recording: WaitReadings? { observation.waitReadings(at: IOModels.Moment.whileServerWaits) }

    /// The readings taken before the data segment was captured (all of them when there is none).
    var waitingReadings: [ProcessActivity] { recording?.before(data?.time) ?? [] }

    /// The server's last recv() that returned bytes.
    var receivedData: RoleStep? { steps("recv").last { ($0.returnValue ?? 0) > 0 } }

    /// `12.3 ms after the data segment` / `0.4 ms before …`, for a time relative to the data segment.
    func relative(_ time: Int64?) -> String {
        guard let time, let data else { return "at an unknown time" }
        let milliseconds = Double(time - data.time) / 1000
        let amount = milliseconds.magnitude < 10 ? String(format: "%.2f", milliseconds.magnitude) : String(format: "%.0f", milliseconds.magnitude)
        return "\(amount) ms \(milliseconds < 0 ? "before" : "after") the data segment #\(data.number)"
    }

    /// `S ×14, R ×1`, the states of `readings` in order of first appearance, with their wchan.
    static func states(_ readings: [ProcessActivity]) -> String {
        var counts: [(String, Int)] = []
        for reading in readings {
            let key = reading.state + (reading.wchan == "0" ? "" : " in \(reading.wchan)")
            if let index = counts.firstIndex(where: { $0.0 == key }) { counts[index].1 += 1 } else { counts.append((key, 1)) }
        }
        return counts.map { "\($0.0) ×\($0.1)" }.joined(separator: ", ")
    }
}
