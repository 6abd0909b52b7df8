import Glibc

/// Every program a scenario can start as a role, by the name used in `tcplab role NAME …`.
///
/// A role runs in a process of its own, reports its steps on descriptor 3 (`RoleReporter`) and
/// reads commands, if any, on standard input. Add a role by writing its program and one line here.
public enum RoleCatalog {
    /// The roles still started by name with `--key value` arguments: the benchmark's.
    public static let all: [String: @Sendable (RoleArguments) throws(LabError) -> Never] = [
        "bench-server": { arguments throws(LabError) in try BenchServer.run(arguments) },
        "bench-clients": { arguments throws(LabError) in try BenchClients(arguments).run() },
    ]

    /// Prepares the process as a role and runs the one `json` describes (a `RoleDescription`); never returns.
    public static func run(described json: String) throws(LabError) -> Never {
        guard let description = RoleDescription(json: json) else {
            throw LabError.usage("tcplab role --described wants a role description as tcplab writes it, not '\(json.prefix(80))'")
        }
        RoleEnvironment.prepare()
        description.program.run(server: description.server)
    }

    /// Prepares the process as a role and runs the named one; never returns.
    public static func run(name: String, arguments: [String]) throws(LabError) -> Never {
        guard let role = all[name] else {
            throw LabError.usage("unknown role '\(name)'; roles: \(all.keys.sorted().joined(separator: ", "))")
        }
        RoleEnvironment.prepare()
        do {
            try role(RoleArguments(arguments))
        } catch {
            RoleEnvironment.fail(RoleReporter(), error.description)
        }
    }
}
