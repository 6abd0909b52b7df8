import ArgumentParser
import Foundation
import Synchronization
import TCPLabKit

struct CheckCommand: ParsableCommand, InterruptibleCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Judge your own program in a scenario: it takes the server's or the client's place, the lab plays the other side.",
        discussion: """
            Examples: `tcplab check zombie --variant waitpid-handler --server -- python3 myserver.py`, \
            `tcplab check broken-pipe --variant fixed-client --client -- python3 myclient.py`. Your program runs \
            in the run's private network namespace and finds the server's address in TCPLAB_HOST and TCPLAB_PORT \
            (127.0.0.1 and 7777); a client reads the lines the lab's client would send (haha, hehe, wawa) on its \
            standard input. The scenario's claims judge it from outside: segments, socket states, its processes \
            (children, zombies), how it ended, and its system calls when strace is installed. `tcplab check --list` \
            says which variants take which role. Exit status: 0 when every claim holds, 1 when one does not, \
            2 when your program could not take its role (did not start, did not listen or connect in time) or \
            the input was wrong, 130 when interrupted.
            """)

    @Argument(help: "The scenario; `tcplab check --list` shows those that take your program.", completion: .list(CompletionNames.checks))
    var scenario: String?

    @Option(help: "Which variant of the scenario (default: its first).",
            completion: .custom { words, _, _ in CompletionNames.checkVariants(after: words) })
    var variant: String?

    @Flag(help: "Your program is the server: it listens on TCPLAB_HOST:TCPLAB_PORT.")
    var server = false

    @Flag(help: "Your program is the client: it connects to TCPLAB_HOST:TCPLAB_PORT and reads its lines on standard input.")
    var client = false

    @Flag(help: "List the scenario variants that take a program, and in which role.")
    var list = false

    @Flag(help: "Print the result as JSON (docs/json.md, `tcplab check --json`) instead of the timeline.")
    var json = false

    @Option(help: ArgumentHelp("Also write the verdicts as JUnit XML to FILE: one test case per claim.", valueName: "FILE"))
    var junit: String?

    @Option(help: "Seconds your program has to listen (or connect) after it starts.")
    var startTimeout: Double = 10

    @Option(help: "Seconds any other single wait may take.")
    var timeout: Double = 5

    @Option(help: "How many clients the lab starts, for the checks with several (zombie, concurrency: default 3, at most 50).")
    var clients: Int?

    @Flag(help: "Do not run your program under strace even when it is installed (its calls are then not shown).")
    var noTrace = false

    @Option(help: "Where to save the capture (default: captures/runs/SCENARIO-VARIANT.pcap).")
    var pcap: String?

    @Flag(name: .customLong("no-color"), help: "No colour codes.")
    var noColor = false

    @Argument(parsing: .postTerminator, help: "Your program and its arguments, after `--`.")
    var command: [String] = []

    var takesInterrupts: Bool { !list }

    func validate() throws {
        if list { return }
        guard scenario != nil else { throw ValidationError("name a scenario (see `tcplab check --list`)") }
        guard server != client else { throw ValidationError("say which role your program takes: --server or --client") }
        guard !command.isEmpty else { throw ValidationError("give your program after `--`, e.g. `-- python3 myserver.py`") }
        guard startTimeout > 0, startTimeout <= 120, timeout > 0, timeout <= 120 else {
            throw ValidationError("--start-timeout and --timeout must be more than 0 and at most 120 seconds")
        }
        if let clients, !(1...50).contains(clients) { throw ValidationError("--clients must be between 1 and 50, not \(clients)") }
    }

    /// Why the JUnit report could not be written at `path`, checked before anything runs: its
    /// directory is missing, is not a directory, or is not writable (access(2) W_OK); nil when it can be.
    static func unwritable(_ path: String) -> String? {
        let url = URL(fileURLWithPath: path)
        let directory = url.deletingLastPathComponent().path
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue { return "is a directory, not a file" }
        guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory) else { return "no such directory \(directory)" }
        guard isDirectory.boolValue else { return "\(directory) is not a directory" }
        guard access(directory, W_OK) == 0 else { return "cannot write in \(directory) (\(Errno.current.description))" }
        return nil
    }

    var role: CheckRole { server ? .server : .client }

    func run() throws {
        if list { return printList() }
        // Before anything runs: a course's CI must not grade a run whose report cannot be kept.
        if let junit, let problem = Self.unwritable(junit) { throw fail("--junit \(junit): \(problem)") }
        let name = scenario ?? ""
        let plan: any CheckPlan
        do { plan = try CheckCatalog.find(scenario: name, variant: variant, role: role) } catch { throw fail(error.description) }
        let program = StudentProgram(command: command, traced: !noTrace)
        let started = Date()
        let isolation = NetworkIsolation.enter()
        Interruption.shared.takeOver()
        var options = LabOptions(roleExecutable: LiveSession.ownExecutable())
        options.variant = plan.variantName
        options.json = json
        options.pcapPath = pcap
        options.timeout = timeout
        options.clients = clients
        options.palette = Palette.forOutput(noColor: noColor, environment: ProcessInfo.processInfo.environment)
        // Held back until the program has taken its role; dropped when it could not: one line says why.
        let gate = OutputGate()
        let info = ScenarioCatalog.infos.first { $0.name == plan.scenarioName }!
        let lab = LabRun(scenario: info, variant: plan.variantName, options: options, isolation: isolation) { gate.write($0) }
        let interruption = Interruption.shared.register { lab.abort() }
        defer { Interruption.shared.release(interruption) }
        lab.say("check \(plan.scenarioName) (\(plan.variantName)) \(role.flag): \(plan.task)")
        let report: CheckReport
        do {
            report = try CheckRun.run(plan, program: program, lab: lab, startTimeout: startTimeout,
                                      started: { gate.open() }, failed: { gate.drop() })
        } catch {
            let message = (error as? StudentStartFailure)?.description ?? "\(error)"
            let unwritten = junit.flatMap {
                write(JUnitReport(scenario: plan.scenarioName, variant: plan.variantName, role: role, command: command, failure: message,
                                  seconds: Date().timeIntervalSince(started)).xml, to: $0)
            }
            let advice = isolation.isPrivate ? "" : "; `tcplab doctor` says what works here"
            throw fail(message + advice + (unwritten.map { "; \($0)" } ?? ""))
        }
        Interruption.shared.beginEnding()
        let unwritten = junit.flatMap { write(JUnitReport(report, seconds: Date().timeIntervalSince(started)).xml, to: $0) }
        if json {
            emitJSON(report)
        } else {
            ClaimPrinter.print(report.claims, stopped: report.run.error.map { LabError.role($0) }, pcap: lab.pcapPath,
                               dropped: report.run.capture?.dropped ?? 0, palette: options.palette)
            for line in report.notJudged { emit("not judged: \(line)") }
            if !report.traced { emit("note: your program's calls were not traced (strace not installed, --no-trace, or a check that runs it untraced), so they were not seen; claims judged from segments, states and processes") }
        }
        // The verdicts are printed; a course's CI must still see that its report is missing.
        if let unwritten { throw fail(unwritten) }
        if !report.passed { throw ExitCode(1) }
    }

    /// The run's lines, held until the program has taken its role, then printed as they come; or dropped.
    final class OutputGate: Sendable {
        private enum State { case holding([String]), open, dropped }
        private let state = Mutex(State.holding([]))

        /// The run's lines all come from the main thread (the scenario's waits and the teardown's flush).
        func write(_ line: String) {
            let now = state.withLock { state -> Bool in
                switch state {
                case .holding(let lines):
                    state = .holding(lines + [line])
                    return false
                case .open: return true
                case .dropped: return false
                }
            }
            if now { emit(line) }
        }

        func open() {
            let held = state.withLock { state -> [String] in
                guard case .holding(let lines) = state else { return [] }
                state = .open
                return lines
            }
            held.forEach(emit)
        }

        func drop() { state.withLock { $0 = .dropped } }
    }

    private func printList() {
        if json { return emitJSON(CheckCatalog.listings) }
        for listing in CheckCatalog.listings {
            emit("tcplab check \(listing.scenario) --variant \(listing.variant) \(listing.role.flag) -- CMD")
            emit("    \(listing.task)")
            for replaced in listing.replaced {
                emit(replaced.by.isEmpty
                     ? "    claim \(replaced.claim) is not judged for your program (\(replaced.because))"
                     : "    claim \(replaced.claim) is judged from outside as \(replaced.by.joined(separator: ", ")) (\(replaced.because))")
            }
        }
    }

    /// Writes the JUnit report; the one-line reason when it could not (the command then exits 2).
    private func write(_ text: String, to path: String) -> String? {
        do { try text.write(toFile: path, atomically: true, encoding: .utf8) } catch {
            return "cannot write the JUnit report to \(path): \(error.localizedDescription)"
        }
        return nil
    }
}
