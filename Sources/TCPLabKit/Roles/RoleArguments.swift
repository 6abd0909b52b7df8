/// The arguments of a `tcplab role NAME …` invocation: `--key value` options and `--flag`s.
///
/// Roles are started only by the lab itself, so this is deliberately small: a bad argument is
/// a bug in a scenario, reported as a role error the lab shows.
public struct RoleArguments: Sendable {
    private var values: [String: String] = [:]
    private var flags: Set<String> = []

    /// Parses `--key value` pairs; a `--name` followed by another `--…` or nothing is a flag.
    public init(_ arguments: [String]) {
        var index = 0
        while index < arguments.count {
            let key = arguments[index]
            guard key.hasPrefix("--") else { index += 1; continue }
            let name = String(key.dropFirst(2))
            if index + 1 < arguments.count, !arguments[index + 1].hasPrefix("--") {
                values[name] = arguments[index + 1]
                index += 2
            } else {
                flags.insert(name)
                index += 1
            }
        }
    }

    public func string(_ name: String) -> String? { values[name] }
    public func flag(_ name: String) -> Bool { flags.contains(name) }

    public func int(_ name: String, default fallback: Int) -> Int {
        values[name].flatMap { Int($0) } ?? fallback
    }

    /// `--address A --port P` as a socket address, or a role error.
    public func serverAddress() throws(LabError) -> SocketAddress {
        guard let text = values["address"], let address = IPAddress(text) else {
            throw LabError.role("role needs --address with an IP address")
        }
        guard let portText = values["port"], let port = UInt16(portText) else {
            throw LabError.role("role needs --port with a port number")
        }
        return SocketAddress(address: address, port: port)
    }
}
