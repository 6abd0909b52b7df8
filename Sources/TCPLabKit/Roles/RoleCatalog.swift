/// Runs the role a `RoleDescription` names: the body of `tcplab role --described JSON`.
///
/// A role runs in a process of its own, reports its steps on descriptor 3 (`RoleReporter`) and
/// reads commands, if any, on standard input. Add a role by writing its program and a case of
/// `RoleProgram`.
public enum RoleCatalog {
    /// Prepares the process as a role and runs the one `json` describes (a `RoleDescription`); never returns.
    /// Throws `LabError.usage` when `json` is not a description tcplab wrote.
    public static func run(described json: String) throws(LabError) -> Never {
        guard let description = RoleDescription(json: json) else {
            throw LabError.usage("tcplab role --described wants a role description as tcplab writes it, not '\(json.prefix(80))'")
        }
        RoleEnvironment.prepare()
        RoleMisbehaviour.active = description.misbehaviour
        RoleGate.active = description.held ?? false
        description.program.run(server: description.server)
    }
}
