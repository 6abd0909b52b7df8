/// Makes the run's loopback carry one TCP segment per packet: `ip link set dev lo gso_max_segs 1`.
///
/// Loopback takes generic segmentation offload (GSO) packets whole: one send() of 3000 bytes with
/// a 500-byte MSS goes out, and is captured, as a single 3000-byte "segment", which nft would
/// drop or pass whole. With `gso_max_segs 1` the kernel builds one segment per packet
/// (tcp_tso_autosize is capped by the device's gso_max_segs), so the capture and the drop rules
/// see the segments a real wire would. Done in the run's own namespace only, like `LinkShaper`.
public struct SegmentOffload: Sendable {
    public var interface: String

    public init(interface: String = "lo") { self.interface = interface }

    /// The `ip` arguments.
    public var arguments: [String] { ["link", "set", "dev", interface, "gso_max_segs", "1"] }

    /// One line for the output.
    public var description: String {
        "ip \(arguments.joined(separator: " ")): one TCP segment per packet on \(interface) (no GSO super-packets)"
    }

    /// Applies the setting; refuses outside a private namespace, fails with what ip said.
    public func apply(isolation: NetworkIsolation) throws(LabError) {
        guard isolation.isPrivate else {
            throw LabError.usage("this scenario changes \(interface)'s segmentation offload, which tcplab does only inside the run's own network namespace; run it without --host-loopback")
        }
        guard let ip = ToolProcess.find("ip") else {
            throw LabError.capture("ip (from iproute2) is needed to set \(interface)'s gso_max_segs and was not found in the PATH, /usr/sbin or /sbin; install it: apt-get install iproute2")
        }
        let outcome = try ToolProcess.run(ip, arguments)
        guard outcome.succeeded else {
            let said = outcome.errorOutput.split(separator: "\n").first.map(String.init) ?? "no message"
            throw LabError.capture("ip \(arguments.joined(separator: " ")) failed (\(outcome.termination)): \(said)")
        }
    }
}
