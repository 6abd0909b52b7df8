import ArgumentParser
import TCPLabKit

/// `tcplab role NAME …`: the programs a live run starts as separate processes. Hidden: students
/// run scenarios, and the scenario starts the roles with a report channel on descriptor 3.
struct RoleCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "role", abstract: "Run one role of a scenario (used by tcplab itself).", shouldDisplay: false)

    @Argument(help: "The role to run.")
    var name: String

    @Argument(parsing: .captureForPassthrough, help: "The role's own arguments.")
    var arguments: [String] = []

    func run() throws {
        do { try RoleCatalog.run(name: name, arguments: arguments) } catch { throw fail(error.description) }
    }
}
