/// A kernel network setting changed for one run only (`--sysctl net.ipv4.tcp_max_tw_buckets=0`),
/// inside the run's private network namespace: a teacher's "what if the kernel did otherwise?",
/// and how the tests show claims failing on a doctored kernel.
public struct RunSysctl: Sendable, Equatable, CustomStringConvertible {
    /// `net.ipv4.tcp_max_tw_buckets`: a name under /proc/sys/net, as sysctl(8) writes it.
    public var name: String
    public var value: String

    /// Parses `net.ipv4.NAME=VALUE`; only per-namespace `net.` settings are accepted.
    public init(parsing text: String) throws(LabError) {
        let parts = text.split(separator: "=", maxSplits: 1).map(String.init)
        guard parts.count == 2, !parts[1].isEmpty else {
            throw LabError.usage("--sysctl wants NAME=VALUE, e.g. net.ipv4.tcp_max_tw_buckets=0, not '\(text)'")
        }
        guard parts[0].hasPrefix("net."), parts[0].dropFirst(4).allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" || $0 == "." }),
              !parts[0].contains("..")
        else {
            throw LabError.usage("--sysctl changes only net.* settings of the run's own namespace, not '\(parts[0])'")
        }
        name = parts[0]
        value = parts[1]
    }

    /// `net.ipv4.tcp_max_tw_buckets=0`.
    public var description: String { "\(name)=\(value)" }

    /// Writes it in the run's namespace (see `NamespaceSysctl`); refuses on the host loopback.
    public func apply(isolation: NetworkIsolation) throws(LabError) {
        let path = name.dropFirst(4).replacingOccurrences(of: ".", with: "/")
        try NamespaceSysctl.set(path, value, isolation: isolation)
    }
}
