import Foundation
import Glibc

/// One benchmark measurement: a server role of one model and the load generator roles, in the
/// lab's namespace, run through a `LabRun` (no capture) so that they are started and torn down
/// like any scenario's roles: own process groups, SIGTERM then SIGKILL, every process reaped.
///
/// Sequence: server listens; generators connect every client and say `connected`; for fork and
/// thread the lab waits until /proc shows a worker per connection; it reads the server's CPU
/// time, says `go`; the generators run and report; it reads /proc again (all connections are
/// still open, so every fork child is alive with its peak RSS); then everything is stopped.
public struct BenchRun {
    public let bench: ConcurrencyBench
    public let model: BenchModel
    public let clients: Int

    public init(bench: ConcurrencyBench, model: BenchModel, clients: Int) {
        self.bench = bench
        self.model = model
        self.clients = clients
    }

    /// Measures the row on `lab`'s roles; `progress` hears when the connections are up and the
    /// load starts. Throws when a role fails or a wait times out; the caller finishes the lab either way.
    public func measure(_ lab: LabRun, progress: (String) -> Void = { _ in }) throws(LabError) -> BenchRow {
        let requests = bench.requests(for: model, clients: clients)
        var row = BenchRow(model: model, clients: clients, requestsPerConnection: requests)
        let serverProgram = BenchServer(model: model, backlog: Int32(max(4096, clients + 64)), connections: clients,
                                        selectRoom: model == .select ? bench.selectRoom : nil)
        let server = try lab.spawn("server", .benchServer(serverProgram))
        let listening = try waitForNote("listening", from: ["server"], lab, timeout: 5)
        // On the host loopback the server picked a free port; in a namespace it is the lab's.
        let port = listening.first?.local?.split(separator: ":").last.flatMap { UInt16($0) } ?? lab.server.port
        let target = SocketAddress(address: lab.server.address, port: port)

        let setupStarted = WallClock.nowMicroseconds()
        let labels = (1...bench.generators).map { "generator \($0)" }
        var generators: [RoleProcess] = []
        for (index, label) in labels.enumerated() {
            let share = clients / bench.generators + (index < clients % bench.generators ? 1 : 0)
            let load = BenchClients(connections: share, requestsPerConnection: requests, seconds: bench.seconds,
                                    connectSeconds: 20, requestSize: bench.requestSize, closeWhenDone: model == .iterative)
            generators.append(try lab.spawn(label, .benchClients(load), target: target))
        }
        let connected = try waitForNote("connected", from: labels, lab, timeout: 30)
            .compactMap { $0.text.split(separator: " ").first.flatMap { Int($0) } }.reduce(0, +)

        // Connected means "in the accept queue": wait until the server has accept()ed them all
        // (the LISTEN socket's Recv-Q, its accept queue, back to 0), so the request phase measures
        // answering, not a backlog of accepts. The iterative server accepts one client at a time:
        // its queue drains only during the run, and that is what it is measured on.
        if model != .iterative {
            try lab.log.poll(for: "the \(model) server to accept every connection (accept queue empty)", timeout: 60, interval: 0.05) {
                () -> Bool? in
                guard let table = try? ProcNetTCP.readTable() else { return nil }
                let listener = table.first { $0.state == .listen && $0.localPort == port }
                return listener?.receiveQueue == 0 ? true : nil
            }
        }
        var peak = ServerUsage(threads: 0, processes: 0, peakRSSKilobytes: 0, cpuNanoseconds: 0, waitNanoseconds: 0)
        let workers = connected  // fork: a child per connection; thread: a thread per connection
        let before: ServerUsage = try lab.log.poll(for: "the \(model) server's workers in /proc", timeout: 20, interval: 0.05) {
            guard let usage = ServerUsage.read(pid: server.pid) else { return nil }
            switch model {
            case .fork: return usage.processes >= workers + 1 ? usage : nil
            case .thread: return usage.threads >= workers + 1 ? usage : nil
            default: return usage
            }
        }
        // The CPU window starts where `before` was read, so the server's CPU and wait are divided by the time they accrued in.
        let started = WallClock.nowMicroseconds()
        row.setupSeconds = Double(started - setupStarted) / 1e6
        progress("\(model) at \(clients) clients: \(connected) connected, \(before.threads) thread(s), \(before.processes) process(es); measuring")
        for generator in generators { generator.send("go") }
        let texts = try waitForNote("result", from: labels, lab, timeout: bench.seconds + 30).map(\.text)
        let ended = WallClock.nowMicroseconds()
        guard let after = ServerUsage.read(pid: server.pid) else { throw LabError.role("the \(model) server died during the run") }
        for usage in [before, after] {
            peak.threads = max(peak.threads, usage.threads)
            peak.processes = max(peak.processes, usage.processes)
            peak.peakRSSKilobytes = max(peak.peakRSSKilobytes, usage.peakRSSKilobytes)
        }

        var load = LoadResult(connections: 0)
        for text in texts {
            guard let result = try? JSONDecoder().decode(LoadResult.self, from: Data(text.utf8)) else {
                throw LabError.role("a load generator's result is not readable: \(text.prefix(80))")
            }
            load.merge(result)
        }
        fill(&row, load: load, peak: peak, before: before, after: after, labSeconds: Double(ended - started) / 1e6)
        let refusedNote = lab.log.snapshot.steps(of: "server").first { $0.call == "refused" }
        if let refusedNote, load.refused > 0 { row.note = join(row.note, refusedNote.text) }
        row.fileLimits = (["server"] + labels).compactMap { role in
            lab.log.snapshot.steps(of: role).first { $0.call == "limits" }.map { "\(role): \($0.text)" }
        }
        return row
    }

    private func fill(_ row: inout BenchRow, load: LoadResult, peak: ServerUsage, before: ServerUsage, after: ServerUsage, labSeconds: Double) {
        row.requests = load.requests
        row.seconds = Double(load.elapsedMicroseconds) / 1e6
        row.requestsPerSecond = row.seconds > 0 ? Double(load.requests) / row.seconds : 0
        row.p50Milliseconds = load.latencies.percentile(0.50).map { Double($0) / 1e6 }
        row.p99Milliseconds = load.latencies.percentile(0.99).map { Double($0) / 1e6 }
        row.peakRSSKilobytes = peak.peakRSSKilobytes
        row.threads = peak.threads
        row.processes = peak.processes
        row.served = load.served
        row.refused = load.refused
        row.broken = load.broken
        row.unfinished = load.unfinished
        row.connectFailed = load.connectFailed
        // The lab's window (go to results) brackets the generators' request phase.
        func percent(_ nanoseconds: UInt64, of seconds: Double) -> Double { seconds > 0 ? Double(nanoseconds) / 1e9 / seconds * 100 : 0 }
        row.serverCPUPercent = percent(after.cpuNanoseconds &- before.cpuNanoseconds, of: labSeconds)
        row.serverWaitPercent = percent(after.waitNanoseconds &- before.waitNanoseconds, of: labSeconds)
        row.generatorCPUPercent = percent(UInt64(max(0, load.busiestCPUMicroseconds)) * 1000, of: row.seconds)
        row.generatorWaitPercent = percent(UInt64(max(0, load.busiestWaitMicroseconds)) * 1000, of: row.seconds)
        if model == .iterative { row.note = "1 request per client, each client closes after its answer" }
        if load.timedOut { row.note = join(row.note, "stopped at the \(formatSeconds(bench.seconds)) s limit") }
        if load.connectFailed > 0 { row.note = join(row.note, "\(load.connectFailed) connects failed: \(load.connectError ?? "?")") }
    }

    /// Waits for the note `call` from every role in `roles`; returns the notes in that order.
    /// A role that ends or reports an error first fails the run with its own message.
    @discardableResult
    private func waitForNote(_ call: String, from roles: [String], _ lab: LabRun, timeout: Double) throws(LabError) -> [RoleStep] {
        let outcome = try lab.log.wait(for: "\(roles.joined(separator: ", ")) to report \(call)", timeout: timeout) {
            observation -> Result<[RoleStep], LabError>? in
            var notes: [RoleStep] = []
            for role in roles {
                let steps = observation.steps(of: role)
                if let error = steps.first(where: { $0.call == "error" }) { return .failure(.role("\(role): \(error.text)")) }
                if let note = steps.first(where: { $0.call == call }) {
                    notes.append(note)
                } else if let end = observation.end(of: role) {
                    return .failure(.role("the \(role) \(end.termination) before reporting \(call)"))
                }
            }
            return notes.count == roles.count ? .success(notes) : nil
        }
        do { return try outcome.get() } catch { throw error }
    }

    private func join(_ first: String, _ second: String) -> String { first.isEmpty ? second : first + "; " + second }
}

/// `10`, `2.5`: seconds without a trailing `.0`.
func formatSeconds(_ value: Double) -> String {
    value == value.rounded() ? String(Int(value)) : String(value)
}
