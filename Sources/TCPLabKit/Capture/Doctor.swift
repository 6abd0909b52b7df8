import CPcap
import Foundation
import Glibc

/// One thing `tcplab doctor` checked: whether it works here, what was found, and what to do if not.
public struct DoctorCheck: Sendable, Codable {
    public var name: String
    public var ok: Bool
    public var detail: String
    public var advice: String?
}

/// Says whether live runs can work on this machine, and why not: libpcap, the right to capture,
/// and network namespaces.
public enum Doctor {
    /// Runs every check. Moves this process into a new network namespace on the way (that is the
    /// test), so call it from a process that does nothing else afterwards.
    public static func checks() -> [DoctorCheck] {
        var checks: [DoctorCheck] = []
        checks.append(DoctorCheck(name: "libpcap", ok: true, detail: String(cString: pcap_lib_version()), advice: nil))

        let rawCapability = effectiveCapabilities().map { $0 & (1 << 13) != 0 }
        let hostCapture = tryCapture()
        checks.append(DoctorCheck(
            name: "capture on the host loopback", ok: hostCapture == nil,
            detail: hostCapture ?? "works" + (rawCapability == true ? " (CAP_NET_RAW held)" : ""),
            advice: hostCapture == nil ? nil : "run as root (sudo), or give the binary CAP_NET_RAW: sudo setcap cap_net_raw+ep $(command -v tcplab)"))

        let isolation = NetworkIsolation.enter()
        switch isolation {
        case .privateNamespace, .userNamespace:
            checks.append(DoctorCheck(name: "network namespace", ok: true, detail: isolation.description + " can be created", advice: nil))
            let inside = tryCapture()
            checks.append(DoctorCheck(
                name: "capture inside the namespace", ok: inside == nil, detail: inside ?? "works",
                advice: inside == nil ? nil : "run as root"))
        case .hostLoopback(let reason):
            checks.append(DoctorCheck(
                name: "network namespace", ok: false, detail: reason,
                advice: "run as root, or allow unprivileged user namespaces (sysctl kernel.unprivileged_userns_clone=1, "
                    + "user.max_user_namespaces > 0); without one, runs share the host loopback on a free port"))
        }
        return checks
    }

    /// Whether a live scenario can run given these checks: it needs a capture somewhere.
    public static func canRunLive(_ checks: [DoctorCheck]) -> Bool {
        checks.contains { $0.name.hasPrefix("capture") && $0.ok }
    }

    /// What `tcplab watch` does here, by the same checks: a private namespace of its own (joined
    /// from another terminal with `--join`), else the host loopback, else nothing.
    public static func watchSummary(_ checks: [DoctorCheck]) -> String {
        let namespace = checks.contains { $0.name == "network namespace" && $0.ok }
            && checks.contains { $0.name == "capture inside the namespace" && $0.ok }
        if namespace { return "tcplab watch runs your program in a private namespace here (another terminal joins with `tcplab watch --join`)" }
        if checks.contains(where: { $0.name == "capture on the host loopback" && $0.ok }) {
            return "tcplab watch watches the host loopback here (no private namespace)"
        }
        return "tcplab watch cannot capture here"
    }

    /// nil when a capture on `lo` opens, else why not.
    private static func tryCapture() -> String? {
        do {
            let capture = try LiveCapture(interface: "lo", filter: "tcp port 9", savingTo: nil)
            capture.stop()
            return nil
        } catch {
            return detail(of: error.description)
        }
    }

    /// A capture error as a check's detail: without its pointer to `tcplab doctor`, which is
    /// where it is shown.
    static func detail(of message: String) -> String {
        message.hasSuffix(CaptureProblem.doctorAdvice) ? String(message.dropLast(CaptureProblem.doctorAdvice.count)) : message
    }

    /// CapEff from /proc/self/status.
    private static func effectiveCapabilities() -> UInt64? {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
              let line = status.split(separator: "\n").first(where: { $0.hasPrefix("CapEff:") }),
              let hex = line.split(separator: "\t").last
        else { return nil }
        return UInt64(hex.trimmingCharacters(in: .whitespaces), radix: 16)
    }
}
