/// A whole `tcplab bench concurrency`: the run's namespace set up for thousands of connections,
/// every model at every number of clients `repeats` times, the median run of each kept, and each
/// measurement in a `LabRun` of its own, torn down before the next (or aborted by Ctrl-C).
public struct BenchSession {
    public let bench: ConcurrencyBench
    /// Runs of each model at each number of clients; the median by requests/s is kept.
    public let repeats: Int
    public let isolation: NetworkIsolation
    /// The tcplab binary, re-run as `tcplab role …` for the server and the load generators.
    public let roleExecutable: String

    public init(bench: ConcurrencyBench, repeats: Int, isolation: NetworkIsolation, roleExecutable: String) {
        self.bench = bench
        self.repeats = repeats
        self.isolation = isolation
        self.roleExecutable = roleExecutable
    }

    /// Sets what 10,000 connections need in the run's own namespace: `net.core.somaxconn` 65535
    /// (the accept queue's ceiling) and `net.ipv4.ip_local_port_range` 1024-65535 (client ports).
    /// Returns the setup as said in the header, or nothing outside a private namespace, where
    /// these would change the host (see `NamespaceSysctl`).
    public static func prepareNamespace(_ isolation: NetworkIsolation) -> [String] {
        guard isolation.isPrivate else { return [] }
        try? NamespaceSysctl.set("core/somaxconn", "65535", isolation: isolation)
        try? NamespaceSysctl.set("ipv4/ip_local_port_range", "1024 65535", isolation: isolation)
        return ["net.core.somaxconn 65535 and ip_local_port_range 1024-65535 in the run's namespace"]
    }

    /// Runs every measurement, round after round of every model at one number of clients, then
    /// the next number: models compared at the same N run close together in time (other work on
    /// a shared machine drifts). `say` hears one line per measurement or skip. Returns the rows in
    /// table order (one per model and number of clients: the median run) and whether a run failed.
    public func run(say: (String) -> Void) -> (rows: [BenchRow], failed: Bool) {
        var failed = false
        var measured: [Measurement: [BenchRow]] = [:]
        for count in bench.clients {
            for round in 1...repeats {
                for model in bench.models {
                    let key = Measurement(model: model, clients: count)
                    if let reason = ConcurrencyBench.skipReason(model: model, clients: count) {
                        if round == 1 {
                            measured[key] = [BenchRow(model: model, clients: count, requestsPerConnection: bench.requests(for: model, clients: count), skipped: reason)]
                            say("  \(model) at \(count) clients: skipped (\(reason))")
                        }
                        continue
                    }
                    let row = measure(model: model, clients: count, say: say)
                    if row.skipped != nil { failed = true }
                    measured[key, default: []].append(row)
                }
            }
        }
        return (bench.tableOrder(measured.values.compactMap(ConcurrencyBench.median)), failed)
    }

    /// One measurement in a lab of its own, torn down before the next; a failure is a row saying
    /// so. While it runs, Ctrl-C aborts its lab (see `Interruption`); once interrupted, no
    /// further measurement starts.
    private func measure(model: BenchModel, clients: Int, say: (String) -> Void) -> BenchRow {
        var options = LabOptions(roleExecutable: roleExecutable)
        options.json = true  // the lab's timeline stays silent; the table is the output
        options.port = isolation.isPrivate ? nil : 0
        let info = ScenarioInfo(name: "bench-concurrency", summary: "benchmark", variants: [VariantInfo(model.rawValue, model.rawValue)])
        let lab = LabRun(scenario: info, variant: model.rawValue, options: options, isolation: isolation, output: { _ in })
        let interruption = Interruption.shared.register { lab.abort() }
        defer { Interruption.shared.release(interruption) }
        var row: BenchRow
        do {
            row = try BenchRun(bench: bench, model: model, clients: clients).measure(lab) { say("  " + $0) }
            say("  \(model) at \(clients) clients: \(Int(row.requestsPerSecond)) requests/s")
        } catch {
            row = BenchRow(model: model, clients: clients, requestsPerConnection: bench.requests(for: model, clients: clients),
                           skipped: "run failed: \(error)")
            say("  \(model) at \(clients) clients: failed: \(error)")
        }
        lab.finish()
        return row
    }
}

/// One cell of the table: a model at a number of clients, measured `repeats` times.
private struct Measurement: Hashable {
    var model: BenchModel
    var clients: Int
}
