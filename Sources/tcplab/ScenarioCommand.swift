import ArgumentParser
import Foundation
import Glibc
import TCPLabKit

struct ScenarioCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "scenario",
        abstract: "Run a scenario live: real server and client, captured segments, socket states, checked claims.",
        discussion: "Exit status: 0 when every claim holds, 1 when one does not, 2 when the lab could not run.")

    @Argument(help: "The scenario to run; `tcplab list` shows them.")
    var name: String

    @Option(help: "Which variant of the scenario to run (default: its first).")
    var variant: String?

    @Flag(help: "Run over IPv6 (::1) instead of IPv4 (127.0.0.1).")
    var ipv6 = false

    @Flag(help: "Print the whole run as JSON instead of the timeline.")
    var json = false

    @Option(help: "Where to save the capture (default: captures/runs/SCENARIO-VARIANT.pcap).")
    var pcap: String?

    @Flag(help: "Show raw sequence and acknowledgment numbers instead of relative ones.")
    var absolute = false

    @Flag(name: .customLong("no-color"), help: "Plain text output (tcplab prints no colour codes yet; accepted for scripts).")
    var noColor = false

    @Option(help: "The server's port (default: 7777 in a private namespace, a free one on the host loopback).")
    var port: UInt16?


    @Flag(name: .customLong("host-loopback"), help: "Run on the host's loopback instead of a private namespace, so `ss` or tcpdump in another terminal see it (on a free port unless --port is given).")
    var hostLoopback = false

    @Flag(help: "Pause before each step of the story until Enter is pressed.")
    var step = false

    @Option(help: "Seconds any single wait may take before the run fails with a message.")
    var timeout: Double = 3

    @Option(help: "How many clients to start, for scenarios with several (zombie, concurrency: default 3, at most 50).")
    var clients: Int?

    func validate() throws {
        guard timeout > 0, timeout <= 120 else { throw ValidationError("--timeout must be between 0 and 120 seconds") }
        if port == 0 { throw ValidationError("--port must be between 1 and 65535") }
        if let clients, !(1...50).contains(clients) {
            throw ValidationError("--clients must be between 1 and 50 (each client is a process of its own), not \(clients)")
        }
    }

    func run() throws {
        let scenario: any Scenario
        do { scenario = try ScenarioCatalog.make(name: name, variant: variant) } catch { throw fail(error.description) }
        let info = type(of: scenario).info
        let chosen = variant ?? info.variants[0].name

        // Both must happen while the process is still single-threaded.
        Interrupts.block()
        let isolation = hostLoopback ? NetworkIsolation.hostLoopback(reason: "--host-loopback") : NetworkIsolation.enter()

        var options = LabOptions(roleExecutable: Self.ownExecutable())
        options.variant = chosen
        options.ipv6 = ipv6
        options.absolute = absolute
        options.json = json
        options.pcapPath = pcap
        options.port = port
        options.clients = clients
        options.timeout = timeout
        options.step = step
        let lab = LabRun(scenario: info, variant: chosen, options: options, isolation: isolation, output: emit)
        Interrupts.watch { signal in
            lab.abort()
            FileHandle.standardError.write(Data("\ntcplab: \(LabError.interrupted(signal))\n".utf8))
            Glibc.exit(128 + signal)
        }

        lab.say("\(info.name) (\(chosen)): \(scenario.story)")
        if case .hostLoopback(let reason) = isolation, !hostLoopback {
            lab.say("note: no private namespace (\(reason)); using the host loopback")
        }
        var stopped: LabError?
        do { try scenario.run(lab) } catch { stopped = error }
        lab.finish()
        let observation = lab.log.snapshot
        // A lab that could not start (port in use, no capture rights) has nothing to judge.
        if let stopped, observation.segments.isEmpty { throw fail(stopped.description) }
        let claims = scenario.claims(observation, lab)
        let report = RunReport(lab: lab, observation: observation, claims: claims, error: stopped?.description)
        if json {
            emitJSON(report)
        } else {
            ClaimPrinter.print(claims, stopped: stopped, pcap: lab.pcapPath, ends: observation.ends)
        }
        if !report.passed { throw ExitCode(1) }
    }

    /// This binary's own path, to re-run it as `tcplab role …`.
    static func ownExecutable() -> String {
        (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
    }
}

/// The end of a text run: how each role ended, the verdicts, and where the capture is.
enum ClaimPrinter {
    static func print(_ claims: [Claim], stopped: LabError?, pcap: String?, ends: [RoleEnd]) {
        emit("")
        if let stopped { emit("run stopped: \(stopped)") }
        emit("claims")
        for claim in claims {
            emit("  \(claim.holds ? "ok  " : "FAIL") \(claim.statement)  (\(claim.evidence))")
        }
        let failed = claims.filter { !$0.holds }.count
        emit("")
        emit(failed == 0 && stopped == nil
             ? "\(claims.count) claims hold"
             : "\(failed) of \(claims.count) claims do not hold")
        if let pcap { emit("capture saved to \(pcap) (open it with tcpdump -r or Wireshark, or `tcplab decode \(pcap)`)") }
    }
}
