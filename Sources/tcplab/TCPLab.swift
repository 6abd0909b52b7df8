import ArgumentParser

/// The `tcplab` command: runs TCP behaviour scenarios with real sockets and shows what happened.
@main
struct TCPLab: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tcplab",
        abstract: "A TCP behaviour lab: real sockets, real processes, live capture, verified claims.",
        subcommands: []
    )
}
