import ArgumentParser

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
            """,
        subcommands: [
            ListCommand.self, ScenarioCommand.self, DecodeCommand.self, StatesCommand.self,
            ExerciseCommand.self, WatchCommand.self, ReportCommand.self, DoctorCommand.self, BenchCommand.self, RoleCommand.self,
        ]
    )
}
