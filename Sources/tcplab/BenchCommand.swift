import ArgumentParser
import Foundation
import Glibc
import TCPLabKit

/// `tcplab bench …`: measurements rather than demonstrations.
struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Measure what the lab's models cost, under load (timing-based: numbers vary from run to run).",
        subcommands: [ConcurrencyBenchCommand.self])
}

/// `tcplab bench concurrency`: every server model against N concurrent request/response clients.
struct ConcurrencyBenchCommand: ParsableCommand, InterruptibleCommand {
    static let configuration = CommandConfiguration(
        commandName: "concurrency",
        abstract: "Requests/s, latency, memory and threads of each concurrency model as clients grow.",
        discussion: """
            Each model's server (the same models as `tcplab scenario concurrency`, without per-call \
            reporting) runs in its own process; a separate epoll load generator process holds N connections, \
            each sending a request and waiting for the answer before the next (closed loop), over the \
            loopback of a private network namespace. Runs are bounded by --requests per connection and \
            --seconds in all. Exit status: 0 when every run completed, 1 when one failed, 2 on bad input, \
            130 when interrupted by Ctrl-C (every process of the run stopped and reaped).
            """)

    @Option(help: "Comma-separated models to run: iterative, fork, thread, select, poll, epoll, epoll-et (default: all).",
            transform: { text in try BenchModel.parse(list: text) })
    var models: [BenchModel] = BenchModel.allCases

    @Option(help: "Comma-separated numbers of concurrent clients.")
    var clients: String = "10,100,1000,10000"

    @Option(help: "Requests each connection makes (default: 100000 / clients, at least 10; the iterative model makes 1).")
    var requests: Int?

    @Option(help: "Upper bound on each run's request phase, in seconds.")
    var seconds: Double = 10

    @Option(help: "Load generator processes sharing the connections (2 checks that one generator is not the bottleneck).")
    var generators: Int = 1

    @Option(help: "Bytes in each request and each answer.")
    var size: Int = 64

    @Option(name: .customLong("select-room"), help: "select only: open placeholder descriptors so that only this many connections fit below FD_SETSIZE (1024), to see the refusals with few clients.")
    var selectRoom: Int?

    @Option(name: .customLong("repeat"), help: "Run each model and number of clients this many times (rounds of all models in turn) and keep the run with the median requests/s.")
    var repeats: Int = 1

    @Flag(help: "Print the results as JSON instead of a table.")
    var json = false

    @Option(help: "Also write the table as CSV to this file.")
    var csv: String?

    @Option(help: "Also write an SVG plot of requests/s against clients (log scale), one line per model, to this file.")
    var svg: String?

    var takesInterrupts: Bool { true }

    func validate() throws {
        _ = try clientCounts()
        if let requests, !(1...1_000_000).contains(requests) { throw ValidationError("--requests must be between 1 and 1000000") }
        guard seconds > 0, seconds <= 300 else { throw ValidationError("--seconds must be between 0 and 300") }
        guard (1...8).contains(generators) else { throw ValidationError("--generators must be between 1 and 8") }
        guard (1...4096).contains(size) else { throw ValidationError("--size must be between 1 and 4096 bytes") }
        guard (1...9).contains(repeats) else { throw ValidationError("--repeat must be between 1 and 9") }
        if let selectRoom, !(1...1000).contains(selectRoom) { throw ValidationError("--select-room must be between 1 and 1000") }
    }

    func clientCounts() throws -> [Int] {
        let counts = clients.split(separator: ",").map { Int($0.trimmingCharacters(in: .whitespaces)) }
        guard !counts.isEmpty, counts.allSatisfy({ $0.map { (1...50_000).contains($0) } ?? false }) else {
            throw ValidationError("--clients must be comma-separated numbers between 1 and 50000, e.g. 10,100,1000")
        }
        return counts.compactMap { $0 }
    }

    struct Output: Encodable {
        var date: String
        var command: String
        var cores: Int
        var network: String
        var loadAverage: String
        var fileLimits: [String]
        var rows: [BenchRow]
    }

    func run() throws {
        let bench = ConcurrencyBench(
            models: models, clients: try clientCounts(), requestsPerConnection: requests, seconds: seconds,
            generators: generators, requestSize: size, selectRoom: selectRoom)
        // While the process is still single-threaded (see NetworkIsolation.enter).
        let isolation = NetworkIsolation.enter()
        let setup = BenchSession.prepareNamespace(isolation)
        Interruption.shared.takeOver()
        let date = ISO8601DateFormatter().string(from: Date())
        let command = (["tcplab"] + CommandLine.arguments.dropFirst()).joined(separator: " ")
        let cores = sysconf(Int32(_SC_NPROCESSORS_ONLN))
        // Other work on the machine competes for the same cores: say how busy it was.
        let loadAverage = ((try? String(contentsOfFile: "/proc/loadavg", encoding: .utf8)) ?? "")
            .split(separator: " ").prefix(3).joined(separator: " ")
        let quiet = json
        let say: (String) -> Void = { line in if !quiet { emit(line) } }
        say("bench concurrency: \(bench.models.map(\.rawValue).joined(separator: ", ")) at \(bench.clients.map(String.init).joined(separator: ", ")) clients; "
            + "\(requests.map { "\($0) requests per connection" } ?? "about \(ConcurrencyBench.automaticTotal) requests per run"), at most \(seconds) s each run, \(size)-byte requests, \(generators) load generator process(es)"
            + (repeats > 1 ? ", median of \(repeats) runs" : ""))
        say("\(date), \(cores) cores, load average \(loadAverage), network: \(isolation.description)\(setup.isEmpty ? "" : "; " + setup.joined())")

        let session = BenchSession(bench: bench, repeats: repeats, isolation: isolation, roleExecutable: LiveSession.ownExecutable())
        let (rows, failed) = session.run(say: say)
        Interruption.shared.beginEnding()
        let limits = Self.fileLimits(rows)
        if json {
            emitJSON(Output(date: date, command: command, cores: cores, network: isolation.description, loadAverage: loadAverage,
                            fileLimits: limits, rows: rows))
        } else {
            say("")
            BenchTable.text(rows).forEach(say)
            say("")
            for line in Self.explanation(rows, limits: limits) { say(line) }
        }
        if let csv { try write(BenchTable.csv(rows), to: csv) }
        if let svg {
            try write(ThroughputPlot.svg(rows, subtitle: "\(date.prefix(10)), \(cores) cores, loopback, \(size)-byte requests, \(requests.map { "\($0) requests per connection" } ?? "~\(ConcurrencyBench.automaticTotal / 1000)k requests per run")"
                + (repeats > 1 ? ", median of \(repeats) runs" : "")), to: svg)
        }
        if !json {
            for path in [csv, svg].compactMap({ $0 }) { say("wrote \(path)") }
        }
        if failed { throw ExitCode(1) }
    }

    /// What the columns mean and how the load generator was checked, under the table.
    static func explanation(_ rows: [BenchRow], limits: [String]) -> [String] {
        var lines = [
            "requests/s: answers received / request phase; p50/p99: time from send to whole answer, per request;",
            "peak RSS: VmHWM from /proc/PID/status (fork: children summed, shared pages counted in each); threads: /proc/PID/task; procs: server + children;",
            "served/refused: connections that got all their answers / were closed by the server before any (select: fd >= FD_SETSIZE);",
            "setup s: connecting every client until the server had accepted them all (its accept queue empty) and, for fork and thread, started their workers;",
            "CPU% and wait%: time on a CPU and time runnable but waiting for one (/proc/PID/task/*/schedstat), in % of one core over the request phase,",
            "  summed over the server's threads and processes (so above 100 for thread and fork: many workers queued for 2 cores).",
        ]
        let measured = rows.filter { $0.skipped == nil }
        if !measured.isEmpty {
            func median(_ values: [Double]) -> Int { Int(values.sorted()[values.count / 2].rounded()) }
            let idle = median(measured.map(\.generatorIdlePercent))
            let generatorWait = median(measured.map(\.generatorWaitPercent)), serverWait = median(measured.map(\.serverWaitPercent))
            lines.append("load generator check (each generator process is one epoll thread; its times come from /proc/self/schedstat):")
            lines.append("  blocked in epoll_wait() for answers: median \(idle)% of the request phase; runnable but queued for a core: "
                + "median \(generatorWait)% (the server: \(serverWait)%).")
            if idle >= 20 {
                lines.append("  The generator spent much of its time waiting for answers: the server set the pace.")
            } else {
                lines.append("  Generator and server were both runnable nearly all the time and queued for a core: the machine's cores set the pace,")
                lines.append("  and the generator costs about what a single-threaded server does per request (a send, a recv, an epoll_wait).")
                lines.append("  Compare with --generators 2 back to back (Benchmarks/concurrency.sh does): a large gain would mean the generator limited the rows.")
            }
        }
        if !limits.isEmpty { lines.append("RLIMIT_NOFILE: " + limits.joined(separator: "; ")) }
        return lines
    }

    /// What the server and the generators did about RLIMIT_NOFILE in the run with the most clients.
    static func fileLimits(_ rows: [BenchRow]) -> [String] {
        guard let largest = rows.filter({ $0.skipped == nil }).max(by: { $0.clients < $1.clients }) else { return [] }
        return largest.fileLimits.map { "\($0) (\(largest.model) at \(largest.clients) clients)" }
    }

    private func write(_ text: String, to path: String) throws {
        let directory = (path as NSString).deletingLastPathComponent
        if !directory.isEmpty { try? FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true) }
        // Not once interrupted: the rows of an aborted run are not a result.
        var failure: Error?
        Interruption.shared.unlessInterrupted {
            do { try text.write(toFile: path, atomically: true, encoding: .utf8) } catch { failure = error }
        }
        if let failure { throw fail("cannot write \(path): \(failure.localizedDescription)") }
    }
}
