/// Which kernel timers of a recorded socket table ran out while a `--step` run was paused.
///
/// A pause stops the lab, never the kernel: a socket's timer keeps counting down, and when it
/// fires (the FIN_WAIT2 timer, `net.ipv4.tcp_fin_timeout`, 60 s by default; the TIME_WAIT timer,
/// TCP_TIMEWAIT_LEN, 60 s; a retransmission) the next table can differ from what the story
/// expects. The table's `timer:(timewait,59sec,0)` says how long each timer had left when the
/// table was read (`SocketTimer.milliseconds`), so the lab can tell which of
/// them came due during the pause.
public enum PausedTimers {
    /// One timer of `snapshot` that fell due between `start` and `end` (µs since the epoch).
    public struct Expired: Sendable, Equatable {
        /// The row's role, `server`.
        public var label: String
        public var entry: SocketEntry
        /// The timer's name in the field's terms: `the FIN_WAIT2 timer (net.ipv4.tcp_fin_timeout)`.
        public var name: String
    }

    /// The timers of `snapshot` that came due during the pause from `start` to `end`, both in µs
    /// on the same clock as `SocketSnapshot.time`. A timer due before the pause began ran out in
    /// the run itself and is not the pause's doing; rows without a timer have none to run out.
    public static func expired(in snapshot: SocketSnapshot, pausedFrom start: Int64, to end: Int64) -> [Expired] {
        zip(snapshot.table.entries, snapshot.labels).compactMap { entry, label in
            guard entry.timer.kind != .none else { return nil }
            // The kernel's times fit in 32 bits of milliseconds; the cap only keeps nonsense from trapping.
            let due = snapshot.time &+ Int64(min(entry.timer.milliseconds, UInt64(UInt32.max) * 1000)) * 1000
            guard due > start, due <= end else { return nil }
            return Expired(label: label, entry: entry, name: name(of: entry))
        }
    }

    /// The note printed after the pause for each expired timer, e.g.
    /// `note: the 75.0 s pause outlasted the server's FIN_WAIT2 timer (net.ipv4.tcp_fin_timeout),
    /// timer:(timewait,59sec,0) at "after the server's close()": from here the sockets may differ
    /// from the story`.
    public static func notes(in snapshot: SocketSnapshot, pausedFrom start: Int64, to end: Int64) -> [String] {
        let seconds = Double(end - start) / 1_000_000
        return expired(in: snapshot, pausedFrom: start, to: end).map { timer in
            "note: the \(PauseMark.seconds(seconds)) pause outlasted the \(timer.label)'s \(timer.name), "
                + "\(timer.entry.timer.ssText) at \"\(snapshot.moment)\": the kernel acted on it while the lab waited, "
                + "so the sockets from here may differ from the story"
        }
    }

    /// `the FIN_WAIT2 timer (net.ipv4.tcp_fin_timeout)`, `the TIME_WAIT timer (60 s)`, ….
    static func name(of entry: SocketEntry) -> String {
        switch (entry.timer.kind, entry.state) {
        case (.timeWait, .finWait2): "FIN_WAIT2 timer (net.ipv4.tcp_fin_timeout)"
        case (.timeWait, _): "TIME_WAIT timer (TCP_TIMEWAIT_LEN, 60 s)"
        case (.retransmit, .synReceived), (.retransmit, .listen): "SYN-ACK retransmission timer"
        case (.retransmit, _): "retransmission timer"
        case (.keepalive, .finWait2): "FIN_WAIT2 timer (net.ipv4.tcp_fin_timeout)"
        case (.keepalive, .listen): "SYN-ACK timer"
        case (.keepalive, _): "keepalive timer"
        case (.zeroWindowProbe, _): "zero-window probe timer"
        case (.delayedAck, _): "delayed-ACK timer"
        default: "\(entry.timer.kind.ssName) timer"
        }
    }
}

/// The mark a `--step` pause leaves on the timeline: `-- paused 12.3 s --`. The run's `t ms`
/// include the time spent paused; this line says where it went.
public enum PauseMark {
    /// `-- paused 12.3 s --`.
    public static func line(seconds: Double) -> String { "-- paused \(self.seconds(seconds)) --" }

    /// `12.3 s`, one decimal.
    static func seconds(_ value: Double) -> String {
        let tenths = Int((value * 10).rounded())
        return "\(tenths / 10).\(tenths % 10) s"
    }
}
