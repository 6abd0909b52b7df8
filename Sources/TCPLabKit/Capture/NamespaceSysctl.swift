import Foundation
import Glibc

/// Writes a TCP setting under /proc/sys/net of the run's own network namespace.
///
/// Most `net.ipv4.tcp_*` settings are per namespace on current kernels: /proc/sys/net shows the
/// namespace of the process that opens it, so a write here changes only this run's namespace,
/// which disappears with the run.
public enum NamespaceSysctl {
    /// Sets `/proc/sys/net/NAME` (e.g. `ipv4/tcp_autocorking`) to `value`; refuses outside a
    /// private namespace, where it would change the host for every program.
    public static func set(_ name: String, _ value: String, isolation: NetworkIsolation) throws(LabError) {
        guard isolation.isPrivate else {
            throw LabError.usage("tcplab changes net.\(name.replacingOccurrences(of: "/", with: ".")) only inside the run's own network namespace; run without --host-loopback")
        }
        let path = "/proc/sys/net/\(name)"
        let fd = open(path, O_WRONLY | O_CLOEXEC)
        guard fd >= 0 else { throw LabError.system(call: "open \(path)", errno: .current) }
        defer { close(fd) }
        do { try FileDescriptorIO.writeAll(fd, Array((value + "\n").utf8)) } catch {
            throw LabError.system(call: "write \(path)", errno: error)
        }
    }
}
