import Foundation
import Glibc

/// Slows the run's loopback with a rate limit, so that timing effects hidden by loopback's
/// ~20 µs round trip (Nagle's algorithm, delayed ACKs) become visible in the capture.
///
/// The usual tool, netem (`tc qdisc add dev lo root netem delay 50ms`), is not built into every
/// kernel (this lab's kernel answers "Specified qdisc kind is unknown"). HTB is: with a class
/// limited to `kilobitsPerSecond`, each packet waits its serialization time in the queue (a
/// 66-byte segment takes ~5 ms at 100 kbit/s), so packets sent back to back queue behind each
/// other and ACKs come back milliseconds later. The commands run `tc` (iproute2) inside the
/// run's own network namespace, which disappears with the run: nothing to undo, and the
/// host's loopback is never touched.
public struct LinkShaper: Sendable {
    public var interface: String
    public var kilobitsPerSecond: Int

    public init(interface: String = "lo", kilobitsPerSecond: Int) {
        self.interface = interface
        self.kilobitsPerSecond = kilobitsPerSecond
    }

    /// The `tc` argument lists, in order: an HTB root qdisc whose default class is rate-limited.
    public var commands: [[String]] {
        let rate = "\(kilobitsPerSecond)kbit"
        return [
            ["qdisc", "add", "dev", interface, "root", "handle", "1:", "htb", "default", "1"],
            ["class", "add", "dev", interface, "parent", "1:", "classid", "1:1", "htb",
             "rate", rate, "ceil", rate, "burst", "100b", "cburst", "100b"],
        ]
    }

    /// One line for the output: what was done to the link and what it means in time.
    public var description: String {
        let milliseconds = Double(66 * 8) / Double(kilobitsPerSecond)
        return "\(interface) slowed to \(kilobitsPerSecond) kbit/s with an HTB rate limit "
            + "(tc \(commands[0].joined(separator: " ")); tc \(commands[1].joined(separator: " "))): "
            + "a 66-byte segment takes \(String(format: "%.1f", milliseconds)) ms to leave"
    }

    /// Applies the rate limit. Refuses outside a private namespace (it would slow the host's
    /// loopback for every program on the machine); fails with what tc said if tc is missing or
    /// refuses.
    public func apply(isolation: NetworkIsolation) throws(LabError) {
        guard isolation.isPrivate else {
            throw LabError.usage("this scenario slows \(interface) with tc, which tcplab does only inside the run's own network namespace; "
                + "run it without --host-loopback (as root, or where unprivileged user namespaces are allowed: see `tcplab doctor`)")
        }
        guard let tc = ToolProcess.find("tc") else {
            throw LabError.capture("tc (from iproute2) is needed to slow \(interface) and was not found in the PATH, /usr/sbin or /sbin; install it: apt-get install iproute2")
        }
        for arguments in commands {
            let outcome = try ToolProcess.run(tc, arguments)
            guard outcome.succeeded else {
                let said = outcome.errorOutput.trimmingCharacters(in: .whitespacesAndNewlines)
                throw LabError.capture("tc \(arguments.joined(separator: " ")) failed (\(outcome.termination)): \(said.isEmpty ? "no message" : said)")
            }
        }
    }
}
