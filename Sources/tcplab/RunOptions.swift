import ArgumentParser
import Foundation
import TCPLabKit

/// The options of a live run, shared by `tcplab scenario` and `tcplab exercise`.
struct RunOptions: ParsableArguments {
    @Option(help: "Which variant of the scenario to run (default: its first).",
            completion: .custom { words, _, _ in CompletionNames.variants(after: words) })
    var variant: String?

    @Flag(help: "Run over IPv6 (::1) instead of IPv4 (127.0.0.1).")
    var ipv6 = false

    @Option(help: "Where to save the capture (default: captures/runs/SCENARIO-VARIANT.pcap).")
    var pcap: String?

    @Flag(help: "Show raw sequence and acknowledgment numbers instead of relative ones.")
    var absolute = false

    @Flag(name: .customLong("no-color"), help: "No colour codes (RST, FIN, SYN and failed claims are coloured on a terminal; never in a pipe or a file, nor when NO_COLOR is set).")
    var noColor = false

    @Option(help: "The server's port (default: 7777 in a private namespace, a free one on the host loopback).")
    var port: UInt16?

    @Flag(name: .customLong("host-loopback"), help: "Run on the host's loopback instead of a private namespace, so `ss` or tcpdump in another terminal see it (on a free port unless --port is given).")
    var hostLoopback = false

    @Flag(help: "Pause before each step of the story (each command to a role, each wait) until Enter is pressed; t ms include the time paused, each pause marked on the timeline.")
    var step = false

    @Option(help: "Seconds any single wait may take before the run fails with a message.")
    var timeout: Double = 3

    @Option(help: "How many clients to start, for scenarios with several (zombie, concurrency: default 3, at most 50).")
    var clients: Int?

    @Flag(help: "After the timeline, draw the run as a ladder diagram: client on the left, server on the right, one arrow per segment.")
    var ladder = false

    @Flag(help: "Draw the ladder with plain ASCII characters instead of box-drawing ones.")
    var ascii = false

    @Option(name: .customLong("sysctl"), help: ArgumentHelp(
        "Change a kernel network setting for this run only, inside its private namespace (repeatable), e.g. net.ipv4.tcp_max_tw_buckets=0 to see what happens without TIME_WAIT.",
        valueName: "NAME=VALUE"))
    var sysctls: [String] = []

    /// For tests and teachers (docs/doctor.md): make the server role misbehave, e.g.
    /// `--doctor server-never-answers`, to see claims FAIL with what was seen instead. Hidden.
    @Option(name: .customLong("doctor"), help: .hidden)
    var misbehaviour: RoleMisbehaviour?

    /// The `--sysctl` settings, parsed.
    func parsedSysctls() throws(LabError) -> [RunSysctl] { try sysctls.map { text throws(LabError) in try RunSysctl(parsing: text) } }

    /// How the timeline and the claims are coloured: see `Palette.forOutput`.
    var palette: Palette { Palette.forOutput(noColor: noColor, environment: ProcessInfo.processInfo.environment) }

    /// The ladder asked for, if any.
    var ladderStyle: LadderStyle? { ladder ? (ascii ? .ascii : .unicode) : nil }

    /// Refuses the options that only a live run can honour, for `--replay` (which shows a recording as it was).
    func refuseLiveOnly(replay: Bool, from: String?) throws {
        if from != nil, !replay { throw ValidationError("--from names a recording to replay; use it with --replay") }
        guard replay else { return }
        let live = [ipv6 ? "--ipv6" : nil, pcap.map { _ in "--pcap" }, hostLoopback ? "--host-loopback" : nil,
                    port.map { _ in "--port" }, clients.map { _ in "--clients" }, step ? "--step" : nil,
                    sysctls.isEmpty ? nil : "--sysctl"]
            .compactMap { $0 }
        if !live.isEmpty {
            throw ValidationError("--replay shows the recorded run as it was; \(live.joined(separator: ", ")) only applies to a live run")
        }
    }

    func validate() throws {
        guard timeout > 0, timeout <= 120 else { throw ValidationError("--timeout must be more than 0 and at most 120 seconds, not \(timeout)") }
        do { _ = try parsedSysctls() } catch { throw ValidationError(error.description) }
        if !sysctls.isEmpty, hostLoopback {
            throw ValidationError("--sysctl changes the run's own namespace, which --host-loopback does not have")
        }
        if port == 0 { throw ValidationError("--port must be between 1 and 65535") }
        if let clients, !(1...50).contains(clients) {
            throw ValidationError("--clients must be between 1 and 50 (each client is a process of its own), not \(clients)")
        }
    }
}

extension RoleMisbehaviour: ExpressibleByArgument {}
