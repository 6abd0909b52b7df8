/// One line a role writes on descriptor 3: the start or the end of a call, or a note.
///
/// Calls report their start separately because a call may never return: a send() that raises
/// SIGPIPE kills the role inside the call, and the lab must still know the send was made.
public struct RoleReport: Codable, Sendable, Equatable {
    public enum Phase: String, Codable, Sendable { case begin, end, note }

    public var phase: Phase
    /// Pairs a call's `begin` with its `end` within one role.
    public var id: Int
    /// The system call (`send`, `recv`, `close` …) or, for notes, what is noted (`listening`, `print`).
    public var call: String
    /// How the call or note reads on the timeline: `send("hehe")`, `other side has closed`.
    public var text: String
    /// The call's return value when it returned one.
    public var returnValue: Int?
    /// errno when the call failed.
    public var errno: Int32?
    /// Bytes received or sent, as text (the lab's messages are short ASCII words).
    public var data: String?
    /// For `connected`/`listening`/`accepted` notes: the socket's own and its peer's endpoint.
    public var local: String?
    public var peer: String?
    /// CLOCK_REALTIME microseconds when the phase happened, on the same clock as capture timestamps.
    public var time: Int64
    /// Set by a process the role forked (it inherits descriptor 3): its own pid, so the lab files
    /// its steps under `ROLE child PID` instead of mixing them with the role's.
    public var pid: Int32?
    /// Set by a thread the role started (thread-per-connection): its index, 1 for the first thread
    /// the role started, so the lab files its steps under `ROLE thread N`. Nil on the main thread.
    public var thread: Int?

    public init(
        phase: Phase, id: Int, call: String, text: String, returnValue: Int? = nil, errno: Int32? = nil,
        data: String? = nil, local: String? = nil, peer: String? = nil, time: Int64 = WallClock.nowMicroseconds(),
        pid: Int32? = nil, thread: Int? = nil
    ) {
        self.phase = phase
        self.id = id
        self.call = call
        self.text = text
        self.returnValue = returnValue
        self.errno = errno
        self.data = data
        self.local = local
        self.peer = peer
        self.time = time
        self.pid = pid
        self.thread = thread
    }
}
