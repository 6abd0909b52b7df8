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
        let candidates: [String] = ["/usr/sbin/tc", "/sbin/tc", "/usr/bin/tc", "/bin/tc"]
        guard let tc = candidates.first(where: { access($0, X_OK) == 0 }) else {
            throw LabError.capture("tc (from iproute2) is needed to slow \(interface) and was not found in /usr/sbin or /sbin; install it: apt-get install iproute2")
        }
        for arguments in commands {
            let (status, output) = try Self.run(tc, arguments)
            guard status == 0 else {
                let said = output.trimmingCharacters(in: .whitespacesAndNewlines)
                throw LabError.capture("tc \(arguments.joined(separator: " ")) failed (exit \(status)): \(said.isEmpty ? "no message" : said)")
            }
        }
    }

    /// Runs `path arguments…` with stdout and stderr on one pipe; returns its exit status and output.
    private static func run(_ path: String, _ arguments: [String]) throws(LabError) -> (Int32, String) {
        let pipe: (read: Int32, write: Int32)
        do { pipe = try FileDescriptorIO.makePipe() } catch { throw LabError.system(call: "pipe", errno: error) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_adddup2(&actions, pipe.write, 1)
        posix_spawn_file_actions_adddup2(&actions, pipe.write, 2)
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        // The lab blocks some signals on its threads; tc should start with none blocked.
        var emptyMask = sigset_t()
        sigemptyset(&emptyMask)
        posix_spawnattr_setsigmask(&attributes, &emptyMask)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK))
        let argv = ([path] + arguments).map { strdup($0) }
        defer { argv.forEach { free($0) } }
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, path, &actions, &attributes, argv + [nil], environ)
        close(pipe.write)
        guard spawned == 0 else {
            close(pipe.read)
            throw LabError.system(call: "posix_spawn \(path)", errno: Errno(rawValue: spawned))
        }
        var output: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = read(pipe.read, &buffer, buffer.count)
            if count > 0 { output += buffer[..<count]; continue }
            if count == -1, errno == EINTR { continue }
            break
        }
        close(pipe.read)
        var status: Int32 = 0
        while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
        let exited = (status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
        return (exited, String(decoding: output, as: UTF8.self))
    }
}
