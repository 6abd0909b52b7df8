/// The lab itself failing (as opposed to an outcome a scenario expects, which is a recorded value).
/// Every case reads as one line a student can act on.
public enum LabError: Error, Sendable, CustomStringConvertible {
    case system(call: String, errno: Errno)
    case timedOut(waitingFor: String, seconds: Double, seen: String)
    case capture(String)
    case role(String)
    case usage(String)
    case interrupted(Int32)

    public var description: String {
        switch self {
        case let .system(call, errno):
            return "\(call): \(errno.message.lowercased()) (\(errno.name))"
        case let .timedOut(what, seconds, seen):
            let after = seconds < 1 ? "\(Int(seconds * 1000)) ms" : "\(seconds) s"
            return "timed out after \(after) waiting for \(what)" + (seen.isEmpty ? "" : "; seen instead: \(seen)")
        case let .capture(message): return message
        case let .role(message): return message
        case let .usage(message): return message
        case let .interrupted(signal): return "interrupted by \(SignalName.of(signal)); roles stopped and cleaned up"
        }
    }
}
