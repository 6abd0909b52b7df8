import ArgumentParser
import Foundation
import Glibc
import TCPLabKit

/// One live run from the command line: isolation, the lab, Ctrl-C handling, the scenario's steps
/// and its claims. `tcplab scenario` prints it; `tcplab exercise` marks predictions against it.
struct LiveSession {
    let scenario: any Scenario
    let info: ScenarioInfo
    let variant: String

    /// Looks the scenario and variant up, or fails with the one-line usage error; so does
    /// `--clients` for a scenario whose cast is fixed, and a `--pcap` path in no directory (checked
    /// here, before the run prints anything).
    init(name: String, variant: String?, clients: Int? = nil, pcap: String? = nil) throws {
        if let pcap {
            do { try LabRun.checkPcapPath(pcap) } catch { throw fail(error.description) }
        }
        do { scenario = try ScenarioCatalog.make(name: name, variant: variant) } catch { throw fail(error.description) }
        info = type(of: scenario).info
        self.variant = variant ?? info.variants[0].name
        if clients != nil, !type(of: scenario).takesClients {
            let several = ScenarioCatalog.all.filter { $0.takesClients }.map { $0.name }.joined(separator: ", ")
            throw fail("--clients is for the scenarios that start several clients (\(several)); \(info.name) has a fixed cast")
        }
    }

    /// Moves the process into the run's network namespace (or onto the host loopback) and starts
    /// taking Ctrl-C: from here on an interrupt stops whatever is running and exits 128 + signal.
    /// Call before anything that waits (an exercise's questions), while still single-threaded.
    func enter(_ arguments: RunOptions) -> NetworkIsolation {
        let isolation = arguments.hostLoopback
            ? NetworkIsolation.hostLoopback(reason: "--host-loopback") : NetworkIsolation.enter()
        Interruption.shared.takeOver()
        return isolation
    }

    /// Runs the scenario in `isolation` (from `enter`). With `quiet`, nothing is printed (JSON and
    /// exercise use the report). Throws a usage exit when the lab could not start at all.
    func run(_ arguments: RunOptions, isolation: NetworkIsolation, quiet: Bool) throws -> (report: RunReport, lab: LabRun, stopped: LabError?) {
        var options = LabOptions(roleExecutable: Self.ownExecutable())
        options.variant = variant
        options.ipv6 = arguments.ipv6
        options.absolute = arguments.absolute
        options.json = quiet
        options.pcapPath = arguments.pcap
        options.port = arguments.port
        options.clients = arguments.clients
        options.timeout = arguments.timeout
        options.step = arguments.step
        options.ladder = arguments.ladderStyle
        options.palette = arguments.palette
        options.sysctls = (try? arguments.parsedSysctls()) ?? []
        options.misbehaviour = arguments.misbehaviour
        let lab = LabRun(scenario: info, variant: variant, options: options, isolation: isolation, output: emit)
        // Ctrl-C from here to the end of the teardown: the interrupt thread aborts the lab.
        let interruption = Interruption.shared.register { lab.abort() }
        defer { Interruption.shared.release(interruption) }

        lab.say("\(info.name) (\(variant)): \(scenario.story)")
        if options.step {
            lab.say("--step: a pause before each step (Enter goes on); t ms include the time spent paused, marked where it was: -- paused 12.3 s --")
        }
        if case .hostLoopback(let reason) = isolation, !arguments.hostLoopback {
            lab.say("note: no private namespace (\(reason)); using the host loopback")
        }
        var stopped: LabError?
        do {
            try lab.applySysctls()
            try scenario.run(lab)
        } catch { stopped = error }
        lab.finish()
        let observation = lab.log.snapshot
        // A lab that could not start (port in use, no capture rights) has nothing to judge.
        if let stopped, observation.segments.isEmpty {
            throw fail(LiveRunAdvice.message(for: stopped, isolation: isolation, scenario: info.name, variant: variant))
        }
        let claims = scenario.judge(observation, lab)
        return (RunReport(lab: lab, observation: observation, claims: claims, error: stopped?.description), lab, stopped)
    }

    /// This binary's own path, to re-run it as `tcplab role …`.
    static func ownExecutable() -> String {
        (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
    }
}
