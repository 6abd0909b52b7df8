import Glibc

/// Delay on the run's private loopback, so that two FINs can cross in flight (simultaneous close).
///
/// On loopback a segment reaches the peer within microseconds, so one side always sees the
/// other's FIN before it closes itself. `tc qdisc add dev lo root netem delay 50ms` holds every
/// segment for 50 ms. Kernels built without netem (CONFIG_NET_SCH_NETEM) get the token-bucket
/// filter instead: at 16 kbit/s each small segment waits about 33 ms for its turn, once a filler
/// datagram has emptied the bucket (a token bucket starts full and lets the first packets
/// straight through). The rate is chosen so that the four closing segments are through in well
/// under 200 ms, the minimum retransmission timeout: a slower queue makes each side retransmit
/// its FIN before the ACK arrives, and the trace would differ from run to run.
/// Only ever used inside the run's own network namespace.
public struct NetemDelay: Sendable {
    /// Which queueing discipline holds the segments.
    public enum Kind: Sendable { case netem, tokenBucket }

    public let kind: Kind
    /// The tc tool's path.
    let tc: String

    /// How the delay reads in the run's output.
    public var description: String {
        switch kind {
        case .netem:
            return "delay added: tc qdisc add dev lo root netem delay 50ms (every segment waits 50 ms on lo)"
        case .tokenBucket:
            return "delay added: this kernel has no netem (CONFIG_NET_SCH_NETEM is off), so lo is rate-limited "
                + "instead: tc qdisc add dev lo root tbf rate 16kbit burst 200 latency 1s (each segment waits ~33 ms for its turn)"
        }
    }

    private static let netemArguments = ["netem", "delay", "50ms"]
    private static let tokenBucketArguments = ["tbf", "rate", "16kbit", "burst", "200", "latency", "1s"]

    /// Finds which delay this kernel supports, netem first, else tbf, by adding it to `lo` and
    /// removing it again, before the run starts any traffic; throws a message naming what is missing.
    public static func probe(isolation: NetworkIsolation) throws(LabError) -> NetemDelay {
        guard isolation.isPrivate else {
            throw LabError.usage("this variant adds delay to lo with tc, which tcplab does only in a private network "
                + "namespace, never on the host; run it without --host-loopback, as root")
        }
        guard let tc = ToolProcess.find("tc") else {
            throw LabError.usage("this variant needs the tc tool to add delay on lo; install iproute2 (apt-get install iproute2)")
        }
        let netem = try ToolProcess.run(tc, ["qdisc", "add", "dev", "lo", "root"] + netemArguments)
        let kind: Kind
        if netem.succeeded {
            kind = .netem
        } else {
            let tbf = try ToolProcess.run(tc, ["qdisc", "add", "dev", "lo", "root"] + tokenBucketArguments)
            guard tbf.succeeded else {
                throw LabError.usage("cannot add delay on lo: `tc qdisc add dev lo root netem delay 50ms` said \"\(netem.errorOutput)\" "
                    + "(the kernel needs the sch_netem module, CONFIG_NET_SCH_NETEM) and the tbf fallback said \"\(tbf.errorOutput)\"")
            }
            kind = .tokenBucket
        }
        let removed = try ToolProcess.run(tc, ["qdisc", "del", "dev", "lo", "root"])
        guard removed.succeeded else { throw LabError.capture("tc qdisc del dev lo root: \(removed.errorOutput)") }
        return NetemDelay(kind: kind, tc: tc)
    }

    /// Adds the probed delay to `lo`: from now on every segment on lo waits.
    public func add() throws(LabError) {
        let arguments = kind == .netem ? NetemDelay.netemArguments : NetemDelay.tokenBucketArguments
        let added = try ToolProcess.run(tc, ["qdisc", "add", "dev", "lo", "root"] + arguments)
        guard added.succeeded else { throw LabError.capture("tc qdisc add dev lo root \(arguments.joined(separator: " ")): \(added.errorOutput)") }
    }

    /// Readies the delay for the next segments. For tbf: sends one datagram over lo that uses up
    /// the bucket's tokens, so the segments after it wait at the configured rate. netem needs nothing.
    public func prime(ipv6: Bool) throws(LabError) {
        guard kind == .tokenBucket else { return }
        let address = SocketAddress(address: ipv6 ? .loopbackV6 : .loopbackV4, port: 0)
        let fd = socket(address.family, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw LabError.system(call: "socket (udp filler)", errno: .current) }
        defer { close(fd) }
        // Sent to itself, so no ICMP "port unreachable" follows it through the queue.
        do { try systemCall { address.withSockaddr { Glibc.bind(fd, $0, $1) } } } catch {
            throw LabError.system(call: "bind (udp filler)", errno: error)
        }
        guard let own = SocketAddress.local(of: fd) else { throw LabError.system(call: "getsockname (udp filler)", errno: .current) }
        // 192 bytes on lo either way (14 Ethernet + 20 IPv4 or 40 IPv6 + 8 UDP + payload): under the
        // 200-byte bucket, which drops anything larger, and leaving too few tokens for a segment.
        let filler = [UInt8](repeating: UInt8(ascii: "x"), count: ipv6 ? 130 : 150)
        do { try systemCall { own.withSockaddr { sendto(fd, filler, filler.count, 0, $0, $1) } } } catch {
            throw LabError.system(call: "sendto (udp filler)", errno: error)
        }
    }
}
