import Foundation
import Glibc

/// Socket and process tables recorded at a scenario's named moments. The scenario waits for a
/// neutral event first (a segment seen, a step returned, a role ended); these only let the table
/// settle and record it, whatever it holds: the claims judge it.
extension LabRun {
    /// Reads /proc/net/tcp(6) for the server's port, lets it settle, and records it at `moment`
    /// (on the timeline and in the observation). Never fails: an unreadable table is recorded empty.
    @discardableResult
    public func recordSockets(
        _ moment: some ScenarioMoment, settling: Settling = .sockets, labels: @escaping (SocketEntry) -> String
    ) -> SocketSnapshot {
        let port = server.port
        var table = settle(settling, read: { (try? SocketTable.read(port: port, owners: false)) ?? SocketTable(entries: [], owners: [:]) },
                           key: { $0.entries.map(SocketStateKey.init) })
        // Placed where the states were read: the owners' scan of every process's /proc fds comes
        // after (slow on a busy machine), and an event during it must not sit above the reading.
        let time = WallClock.nowMicroseconds()
        table.owners = SocketOwners.scan(inodes: Set(table.entries.map(\.inode).filter { $0 != 0 }))
        let snapshot = SocketSnapshot(time: time, id: moment.rawValue, moment: moment.text,
                                      table: table, labels: table.entries.map(labels))
        log.append(snapshot: snapshot)
        return snapshot
    }

    /// Reads the process table of `root`, its children and `also` (children that may have been
    /// re-parented), lets it settle, and records it at `moment`; rows are named by `roles`.
    @discardableResult
    func recordProcesses(
        _ moment: some ScenarioMoment, settling: Settling = .processes, root: Int32, also: [Int32],
        roles: @escaping (ProcessStat) -> String
    ) -> ProcessSnapshot {
        let table = settle(settling, read: { ProcessTable.family(of: root, also: also) },
                           key: { $0.map { [$0.pid, $0.parentPID, Int32($0.state.unicodeScalars.first?.value ?? 0)] } })
        return record(id: moment.rawValue, moment.text, table, root: root, roles: roles)
    }

    /// Reads with `read` until `settling` is satisfied, comparing reads by `key`; returns the last read.
    func settle<Table, Key: Equatable>(_ settling: Settling, read: () -> Table, key: (Table) -> Key) -> Table {
        var latest = read()
        switch settling {
        case .immediately:
            return latest
        case .quiet(let milliseconds):
            return quiet(milliseconds, from: latest, read: read, key: key)
        case .changed(let seconds):
            let baseline = key(latest)
            _ = try? log.poll(for: "the table to change", timeout: seconds) { () -> Bool? in
                latest = read()
                return key(latest) != baseline ? true : nil
            }
            return quiet(Settling.sockets.milliseconds, from: latest, read: read, key: key)
        }
    }

    private func quiet<Table, Key: Equatable>(
        _ milliseconds: Int, from first: Table, read: () -> Table, key: (Table) -> Key
    ) -> Table {
        var latest = first
        var latestKey = key(first)
        var since = WallClock.nowMicroseconds()
        _ = try? log.poll(for: "the table to settle", timeout: options.timeout) { () -> Bool? in
            let next = read()
            let nextKey = key(next)
            let now = WallClock.nowMicroseconds()
            latest = next
            if nextKey != latestKey {
                latestKey = nextKey
                since = now
                return nil
            }
            return now - since >= Int64(milliseconds) * 1000 ? true : nil
        }
        return latest
    }
}

extension Settling {
    /// The quiet period of `.quiet`, or 0.
    var milliseconds: Int {
        if case .quiet(let milliseconds) = self { return milliseconds }
        return 0
    }
}

/// What a socket row is compared by while a table settles: its timer counts down, so it is left out.
struct SocketStateKey: Equatable {
    var local: String, remote: String, state: TCPState, receiveQueue: UInt32, sendQueue: UInt32

    init(_ entry: SocketEntry) {
        local = entry.local
        remote = entry.remote
        state = entry.state
        receiveQueue = entry.receiveQueue
        sendQueue = entry.sendQueue
    }
}

extension LabRun {
    /// Waits at most `seconds` for a captured segment matching `match` (after segment number
    /// `after`), and returns nil when none came: a bounded time in the capture, for segments whose
    /// presence or absence a claim judges. Never fails.
    @discardableResult
    public func awaitSegment(
        _ what: String, within seconds: Double, after number: Int = 0, _ match: @escaping (TCPSegment) -> Bool
    ) -> CapturedSegment? {
        (try? awaitObservation(what, within: seconds) { observation in
            observation.segments.dropFirst(number).first { match($0.segment) }
        }) ?? nil
    }

    /// Waits at most `seconds` until `check` finds what it looks for in the observation (progress
    /// a claim judges, such as every waiting client's SYN retransmission), and returns nil when it
    /// did not come: the scenario records its tables anyway and the claims say what was seen.
    /// Only a failure other than the time running out (an interrupt) is thrown.
    @discardableResult
    public func awaitObservation<T>(
        _ what: String, within seconds: Double, _ check: (Observation) -> T?
    ) throws(LabError) -> T? {
        // A window with no time left (the rest of a shared deadline) is no step of its own.
        if seconds > 0 {
            stepBefore(.wait, "the lab watches, up to \(PauseMark.seconds(seconds)), for \(what)") { check(log.snapshot) != nil }
        }
        do {
            return try log.wait(for: what, timeout: seconds, check)
        } catch {
            if case .timedOut = error { return nil }
            throw error
        }
    }
}

extension LabRun {
    /// Waits at most `seconds` for a finished step of `role` matching `match` (after step number
    /// `after`), and returns nil when none came: for a call whose return depends on what a claim
    /// judges (a recv() that returns with the peer's answer or its FIN). Never fails on the time;
    /// only an interrupt is thrown.
    @discardableResult
    public func awaitStep(
        _ role: String, _ what: String, within seconds: Double, after index: Int = 0, _ match: @escaping (RoleStep) -> Bool
    ) throws(LabError) -> RoleStep? {
        try awaitObservation("\(Self.phrase(role)) \(what)", within: seconds) { observation in
            observation.steps(of: role).dropFirst(index).first { match($0) && $0.isSettled }
        }
    }

    /// Waits at most `seconds` for `role` to end and returns how it did, or nil while it still
    /// runs (a client blocked on an answer that never came: the teardown stops it). Only an
    /// interrupt is thrown.
    @discardableResult
    public func awaitEnd(_ role: String, within seconds: Double) throws(LabError) -> Termination? {
        try awaitObservation("the \(role) to exit", within: seconds) { $0.end(of: role)?.termination }
    }

    /// Sends `line` to `role` and waits at most `seconds` for the call `call` to return (or a
    /// misbehaving role's note that it skipped it): `command` for a call that blocks on the peer.
    @discardableResult
    public func command(
        _ role: RoleProcess, _ line: String, call: String, within seconds: Double
    ) throws(LabError) -> RoleStep? {
        let before = log.snapshot.steps(of: role.label).count
        role.send(line)
        return try awaitStep(role.label, "to return from \(call)()", within: seconds, after: before) { $0.standsFor(call) }
    }
}
