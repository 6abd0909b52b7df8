import Foundation
import Glibc

/// The role side of the report channel: writes each call's start and end, and notes, as JSON
/// lines on descriptor 3, which the lab reads.
///
/// Writes are unbuffered `write(2)`s, so a report is with the lab before the next call starts,
/// even if that call kills the process. A report line is one write of less than PIPE_BUF bytes,
/// so the threads of a thread-per-connection server and the children of a forking one, all
/// writing to the same pipe, never interleave their lines.
public final class RoleReporter: @unchecked Sendable {
    private let fd: Int32
    private var nextID = 0
    private let lock = NSLock()
    private let encoder = JSONEncoder()
    /// In a child the role forked: the child's pid, sent with every report so its steps get a
    /// timeline label of their own. Set it right after fork(), in the child.
    public var pid: Int32?
    /// In a thread the role started: its index, sent with every report so its steps get a
    /// timeline label of their own (`server thread 2`). See `forThread(_:)`.
    public let thread: Int?

    public init(fd: Int32 = 3) {
        self.fd = fd
        thread = nil
    }

    private init(fd: Int32, thread: Int) {
        self.fd = fd
        self.thread = thread
    }

    /// A reporter for the `index`th thread the role starts (1 for the first): the same descriptor,
    /// every report labelled with the thread. Its call ids pair only within that thread's label.
    public func forThread(_ index: Int) -> RoleReporter { RoleReporter(fd: fd, thread: index) }

    /// Reports a note: something the role printed or an endpoint it learned.
    public func note(_ call: String, _ text: String, local: String? = nil, peer: String? = nil) {
        send(RoleReport(phase: .note, id: newID(), call: call, text: text, local: local, peer: peer))
    }

    /// Reports `text` as started, runs the call, then reports how it ended. The body returns
    /// the raw result and captures errno itself, right after the call. `data` is what the call
    /// sends, known before it starts (so it is on record even if the call never returns).
    @discardableResult
    public func call(_ call: String, _ text: String, data: String? = nil, _ body: () -> CallOutcome) -> CallOutcome {
        let id = newID()
        send(RoleReport(phase: .begin, id: id, call: call, text: text, data: data))
        let outcome = body()
        send(RoleReport(
            phase: .end, id: id, call: call, text: text, returnValue: outcome.returnValue,
            errno: outcome.errno?.rawValue, data: outcome.data, local: outcome.local, peer: outcome.peer))
        return outcome
    }

    /// Reports a call that already ran, with the CLOCK_REALTIME microseconds measured around it:
    /// for calls made where nothing may be reported (a signal handler) or too often to report
    /// each (a non-blocking loop), so the timeline still shows each where it began and returned.
    public func called(_ call: String, _ text: String, began: Int64, ended: Int64, _ outcome: CallOutcome) {
        let id = newID()
        send(RoleReport(phase: .begin, id: id, call: call, text: text, time: began))
        send(RoleReport(
            phase: .end, id: id, call: call, text: text, returnValue: outcome.returnValue,
            errno: outcome.errno?.rawValue, data: outcome.data, local: outcome.local, peer: outcome.peer, time: ended))
    }

    /// Reports a note of something that happened at `time` (CLOCK_REALTIME microseconds), with a
    /// count or result in `value` (an EAGAIN count, a completion's result) and errno if any.
    public func note(_ call: String, _ text: String, at time: Int64, value: Int? = nil, errno: Errno? = nil, data: String? = nil) {
        send(RoleReport(phase: .note, id: newID(), call: call, text: text, returnValue: value, errno: errno?.rawValue,
                        data: data, time: time))
    }

    /// An id that pairs a call's begin and end: unique across the role's threads (a counter under
    /// a lock) and its forked children (the process id in the high bits), which all report on fd 3.
    private func newID() -> Int {
        lock.withLock {
            nextID += 1
            return Int(getpid()) << 32 | nextID
        }
    }

    private func send(_ report: RoleReport) {
        var report = report
        report.pid = pid
        report.thread = thread
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
