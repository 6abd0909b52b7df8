import ArgumentParser
import TCPLabKit

/// `tcplab role --described JSON`: the programs a live run starts as separate processes. Hidden:
/// students run scenarios, and the scenario starts the roles with a report channel on descriptor 3.
struct RoleCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "role", abstract: "Run one role of a scenario (used by tcplab itself).", shouldDisplay: false)

    @Option(help: "The role's typed description, as JSON written by tcplab.")
    var described: String

    func run() throws {
        do {
            try RoleCatalog.run(described: described)
        } catch { throw fail("\(error)") }
    }
}
