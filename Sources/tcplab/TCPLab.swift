import ArgumentParser
import Foundation
import Glibc
import TCPLabKit

/// The `tcplab` command: runs TCP behaviour scenarios with real sockets and shows what happened.
@main
struct TCPLab: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tcplab",
        abstract: "A TCP behaviour lab: real sockets, real processes, live capture, verified claims.",
        discussion: """
            Start with `tcplab list`, then run a scenario, e.g. `tcplab scenario broken-pipe`.
            Live runs need to capture packets: run as root, or where user namespaces are allowed.
            `tcplab doctor` says what works on this machine.
            Ctrl-C stops a live run at any moment: its processes are stopped and reaped, and tcplab
            exits with 130 (143 for SIGTERM, 128 + the signal's number in general).
            """,
        subcommands: [
            ListCommand.self, ScenarioCommand.self, DecodeCommand.self, StatesCommand.self,
            ExerciseCommand.self, WatchCommand.self, CheckCommand.self, ReportCommand.self, DoctorCommand.self, BenchCommand.self, RoleCommand.self,
        ]
    )

    /// ArgumentParser's `main`, with the interrupt signals blocked before anything else happens:
    /// a Ctrl-C that comes while the command line is parsed or the namespace entered stays
    /// pending until a live command takes it (see `Interrupts`); other commands unblock them.
    /// Every way out goes through `Interruption.exit`, so once a live run has been interrupted
    /// the main thread cannot end the process with a status of its own.
    static func main() {
        Interrupts.block()
        var command: ParsableCommand
        do {
            command = try parseAsRoot()
        } catch {
            Interrupts.unblock()
            exitForBadInput(error)
        }
        if !((command as? InterruptibleCommand)?.takesInterrupts ?? false) { Interrupts.unblock() }
        do {
            try command.run()
        } catch {
            Interruption.shared.exit { exitForBadInput(error) }
        }
        Interruption.shared.exit { exit() }
    }

    /// ArgumentParser ends a bad option with 64 (EX_USAGE); tcplab promises 2 for every kind of
    /// bad input (README, `--help`), so a validation failure prints the same message and exits 2.
    static func exitForBadInput(_ error: Error) -> Never {
        guard exitCode(for: error) == .validationFailure else { exit(withError: error) }
        FileHandle.standardError.write(Data((fullMessage(for: error) + "\n").utf8))
        Glibc.exit(2)
    }
}

/// A command that handles Ctrl-C itself, with a lab or a program to stop.
protocol InterruptibleCommand {
    /// Whether this invocation takes the interrupt signals (a replay or a questions list does not).
    var takesInterrupts: Bool { get }
}
