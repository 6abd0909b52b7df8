import Glibc

/// The rules that recognise a `WatchStory` in a watched run's evidence: the captured segments
/// (`SegmentRow`, numbered as printed) and the programs' calls from strace (`RoleStep`, roles as
/// the timeline names them: `server`, `client`, `pid N`). Pure: each rule reads only what was
/// observed, so it is tested on recorded runs.
public struct WatchExplanation: Sendable, Hashable {
    public var story: WatchStory
    /// When the last piece of its evidence happened (CLOCK_REALTIME microseconds): where the
    /// line belongs in the timeline.
    public var time: Int64

    /// How far a segment's capture time and a call's strace times may disagree, in microseconds:
    /// strace stamps a call when it sees the ptrace stop, libpcap a segment when the packet
    /// socket gets it, so a segment sent inside a call can be stamped after the call's end
    /// (by tens of microseconds on an idle machine, more on a loaded one).
    public static let skew: Int64 = 2_000

    /// How far `time` lies outside the call's `[began, ended]`, in microseconds (0 inside it).
    static func distance(_ time: Int64, _ step: RoleStep) -> Int64 {
        if time < step.began { return step.began - time }
        return max(0, time - (step.ended ?? step.began))
    }

    /// Every story the evidence shows, in the order of their times.
    public static func find(steps: [RoleStep], segments: [SegmentRow]) -> [WatchExplanation] {
        let resets = segments.filter { $0.flags.contains("R") }
        guard !resets.isEmpty else { return [] }
        let calls = steps.filter { !$0.isNote }
        var found: [WatchExplanation] = []
        for reset in resets {
            if let story = resetOnClose(reset, calls: calls, segments: segments) { found.append(story) }
        }
        for step in calls {
            if let story = sendAfterReset(step, steps: steps, resets: resets, segments: segments)
                ?? resetByPeer(step, resets: resets)
                ?? refused(step, resets: resets, segments: segments) {
                found.append(story)
            }
        }
        return found.sorted { $0.time < $1.time }
    }

    /// An RST whose sender had sent no FIN on its connection, sent while that side's program was
    /// in close() (the close() whose span holds the RST's time, give or take `skew`, the nearest
    /// if several; begun after the connection's first segment from that side), with bytes that
    /// came to that side and no recv() of that program read. Judged from byte counts: the data
    /// segments' sequence ranges (a retransmission counted once) against the sum of what that
    /// program's recv() calls returned between the connection's start and the close, so a recv(4)
    /// that took 4 of 8 queued bytes leaves 4 unread. The segments named are those holding
    /// unread bytes.
    static func resetOnClose(_ reset: SegmentRow, calls: [RoleStep], segments: [SegmentRow]) -> WatchExplanation? {
        let connection = segments.filter { $0.connection == reset.connection && $0.number < reset.number }
        let ownEarlier = connection.filter { $0.source == reset.source }
        guard let opened = ownEarlier.first, !ownEarlier.contains(where: { $0.flags.contains("F") }) else { return nil }
        let closes = calls.filter { $0.call == "close" && $0.errno == nil && $0.began >= opened.time && distance(reset.time, $0) <= skew }
        guard let close = closes.min(by: { distance(reset.time, $0) < distance(reset.time, $1) })
        else { return nil }
        let data = connection.filter { $0.destination == reset.source && $0.length > 0 }
        guard let first = data.first else { return nil }
        // Each data segment's bytes as offsets from the first data byte (sequence numbers wrap).
        let ranges = data.map { (segment: $0, start: Int($0.sequence &- first.sequence), end: Int($0.sequence &- first.sequence) + $0.length) }
        let received = ranges.map(\.end).max() ?? 0
        let read = calls.filter { $0.role == close.role && $0.call == "recv" && $0.began >= opened.time }
            .filter { ($0.ended ?? .max) <= close.began }
            .reduce(0) { $0 + max(0, $1.returnValue ?? 0) }
        guard read < received else { return nil }
        let unread = ranges.filter { $0.end > read }.map(\.segment.number)
        return WatchExplanation(
            story: .resetOnCloseWithUnreadData(role: close.role, close: close.text, unread: unread, reset: reset.number,
                                               unreadBytes: received - read, receivedBytes: received),
            time: max(reset.time, close.ended ?? close.began) + 1)
    }

    /// A send() that failed with EPIPE (or was killed by SIGPIPE) after an RST was captured.
    static func sendAfterReset(_ step: RoleStep, steps: [RoleStep], resets: [SegmentRow], segments: [SegmentRow]) -> WatchExplanation? {
        guard step.call == "send" else { return nil }
        let killed = step.killedBy == .signaled(SIGPIPE)
        guard step.errno == EPIPE || killed, let end = step.killedAt ?? step.ended,
              let reset = resets.last(where: { $0.time <= end + skew })
        else { return nil }
        let signal: WatchStory.SignalOutcome
        if killed || steps.contains(where: { $0.role == step.role && $0.call == "exit" && $0.text == "killed by SIGPIPE" }) {
            signal = .killed
        } else if steps.contains(where: { $0.role == step.role && $0.call == "signal" && $0.text == "received SIGPIPE" && $0.began >= step.began }) {
            signal = .received
        } else {
            signal = .none
        }
        let connection = segments.filter { $0.connection == reset.connection && $0.number < reset.number }
        let fin = connection.first { $0.source == reset.source && $0.flags.contains("F") }
        let data = connection.last { $0.destination == reset.source && $0.length > 0 }
        return WatchExplanation(
            story: .sendAfterReset(role: step.role, send: step.text, signal: signal, fin: fin?.number, data: data?.number, reset: reset.number),
            time: end + 1)
    }

    /// A recv() or send() that failed with ECONNRESET after an RST was captured.
    static func resetByPeer(_ step: RoleStep, resets: [SegmentRow]) -> WatchExplanation? {
        guard step.call == "recv" || step.call == "send", step.errno == ECONNRESET, let end = step.ended,
              let reset = resets.last(where: { $0.time <= end + skew })
        else { return nil }
        return WatchExplanation(story: .resetByPeer(role: step.role, call: step.text, reset: reset.number, from: reset.source), time: end + 1)
    }

    /// A connect() that failed with ECONNREFUSED, and a SYN to the address it named, sent while it
    /// ran (give or take `skew`), answered by an RST that acknowledges it.
    static func refused(_ step: RoleStep, resets: [SegmentRow], segments: [SegmentRow]) -> WatchExplanation? {
        guard step.call == "connect", step.errno == ECONNREFUSED, let end = step.ended else { return nil }
        let address = step.text.dropFirst("connect(".count).dropLast()
        let answered = segments.compactMap { syn -> (syn: SegmentRow, reset: SegmentRow)? in
            guard syn.flags == "S", syn.destination == address, distance(syn.time, step) <= skew,
                  let reset = resets.first(where: { $0.number > syn.number && $0.source == syn.destination
                      && $0.destination == syn.source && $0.acknowledgment == syn.sequence &+ 1 })
            else { return nil }
            return (syn, reset)
        }
        guard let (syn, reset) = answered.min(by: { distance($0.syn.time, step) < distance($1.syn.time, step) }) else { return nil }
        return WatchExplanation(
            story: .connectRefused(role: step.role, connect: step.text, syn: syn.number, reset: reset.number, port: reset.source),
            time: end + 1)
    }
}
