import ArgumentParser
import TCPLabKit

/// `tcplab role NAME …`: the programs a live run starts as separate processes. Hidden: students
/// run scenarios, and the scenario starts the roles with a report channel on descriptor 3.
struct RoleCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "role", abstract: "Run one role of a scenario (used by tcplab itself).", shouldDisplay: false)

    @Option(help: "The role's typed description, as JSON written by tcplab.")
    var described: String?

    @Argument(help: "A benchmark role to run by name.")
    var name: String?

    @Argument(parsing: .captureForPassthrough, help: "The benchmark role's own arguments.")
    var arguments: [String] = []

    func run() throws {
        do {
            if let described { try RoleCatalog.run(described: described) }
            guard let name else { throw LabError.usage("tcplab role needs --described JSON or a role name") }
            try RoleCatalog.run(name: name, arguments: arguments)
        } catch { throw fail((error as? LabError)?.description ?? "\(error)") }
    }
}
