import ArgumentParser
import TCPLabKit

/// `tcplab role …`: the programs a live run starts as separate processes. Hidden: students run
/// scenarios, and the scenario starts the roles with a report channel on descriptor 3.
struct RoleCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "role", abstract: "Run one role of a scenario (used by tcplab itself).",
        shouldDisplay: false, subcommands: [OnceServerRole.self, LineClientRole.self])
}

/// Where a role listens or connects.
struct RoleAddress: ParsableArguments {
    @Option(help: "The server's IP address.")
    var address: String

    @Option(help: "The server's port.")
    var port: UInt16

    func socketAddress() throws -> SocketAddress {
        guard let ip = IPAddress(address) else { throw ValidationError("'\(address)' is not an IP address") }
        return SocketAddress(address: ip, port: port)
    }
}

struct OnceServerRole: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "once-server", abstract: "Accept, recv once, reply upper-cased, close; repeat.")

    @OptionGroup var where_: RoleAddress

    func run() throws {
        RoleEnvironment.prepare()
        OnceServer(address: try where_.socketAddress()).run()
    }
}

struct LineClientRole: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "line-client", abstract: "Connect; for each line on stdin, send it and read a reply.")

    @OptionGroup var where_: RoleAddress

    @Option(help: "plain, ignore-sigpipe, msg-nosignal or read-first.")
    var behaviour: String = "plain"

    func run() throws {
        RoleEnvironment.prepare()
        guard let chosen = LineClient.Behaviour(rawValue: behaviour) else {
            throw ValidationError("unknown behaviour '\(behaviour)'")
        }
        LineClient(server: try where_.socketAddress(), behaviour: chosen).run()
    }
}
