import Foundation
import Glibc

/// The role side of the report channel: writes each call's start and end, and notes, as JSON
/// lines on descriptor 3, which the lab reads.
///
/// Writes are unbuffered `write(2)`s, so a report is with the lab before the next call starts,
/// even if that call kills the process.
public final class RoleReporter {
    private let fd: Int32
    private var nextID = 0
    private let encoder = JSONEncoder()
    /// In a child the role forked: the child's pid, sent with every report so its steps get a
    /// timeline label of their own. Set it right after fork(), in the child.
    public var pid: Int32?

    public init(fd: Int32 = 3) { self.fd = fd }

    /// Reports a note: something the role printed or an endpoint it learned.
    public func note(_ call: String, _ text: String, local: String? = nil, peer: String? = nil) {
        nextID += 1
        send(RoleReport(phase: .note, id: nextID, call: call, text: text, local: local, peer: peer))
    }

    /// Reports `text` as started, runs the call, then reports how it ended. The body returns
    /// the raw result and captures errno itself, right after the call. `data` is what the call
    /// sends, known before it starts (so it is on record even if the call never returns).
    @discardableResult
    public func call(_ call: String, _ text: String, data: String? = nil, _ body: () -> CallOutcome) -> CallOutcome {
        nextID += 1
        let id = nextID
        send(RoleReport(phase: .begin, id: id, call: call, text: text, data: data))
        let outcome = body()
        send(RoleReport(
            phase: .end, id: id, call: call, text: text, returnValue: outcome.returnValue,
            errno: outcome.errno?.rawValue, data: outcome.data, local: outcome.local, peer: outcome.peer))
        return outcome
    }

    private func send(_ report: RoleReport) {
        var report = report
        report.pid = pid
        guard let data = try? encoder.encode(report) else { return }
        try? FileDescriptorIO.writeAll(fd, Array(data) + [UInt8(ascii: "\n")])
    }
}

/// What a reported call returned: its value, or -1 and errno, plus data and endpoints it produced.
public struct CallOutcome: Sendable {
    public var returnValue: Int
    public var errno: Errno?
    public var data: String?
    public var local: String?
    public var peer: String?

    public var failed: Bool { errno != nil }

    /// Wraps a raw C result, reading errno at once when it is -1.
    public static func raw<I: BinaryInteger>(_ value: I, data: String? = nil) -> CallOutcome {
        let result = Int(value)
        return CallOutcome(returnValue: result, errno: result == -1 ? Errno.current : nil, data: data)
    }
}
