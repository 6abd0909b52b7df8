/// An nftables ruleset that drops chosen TCP segments on arrival, loaded with `nft -f -` into
/// the run's own network namespace: how the loss scenario loses segments without netem, and
/// how keepalive's server host vanishes (every segment to and from its port, for good).
///
/// The rules sit in an input hook (`type filter hook input`), on the receiving side: a segment
/// goes out on `lo`, the capture sees it there, and only then does the receiving stack drop it;
/// the capture shows the segment and, later, the sender's retransmission of it. Each rule drops
/// the first `count` segments it matches (an `numgen inc` counter of its own, nft(8) "NUMGEN
/// EXPRESSION") and lets later ones through, so a segment can be lost once, or twice and then
/// delivered; a rule without a count drops every match. The table lives in the namespace, which disappears with the run: nothing to undo.
public struct NftRuleset: Sendable, Equatable {
    /// What a drop rule matches; every match of a rule must hold.
    public enum Match: Sendable, Equatable {
        /// `tcp dport PORT`: segments to this port.
        case destinationPort(UInt16)
        /// `tcp sport PORT`: segments from this port.
        case sourcePort(UInt16)
        /// `tcp flags & (syn | ack) == syn`: a connection request (SYN without ACK).
        case connectionRequest
        /// `@ih,0,32 0x…`: the payload starts with these 4 bytes (nft(8) "RAW PAYLOAD
        /// EXPRESSION", inner header = the transport payload).
        case payloadPrefix(String)

        /// The rule text for this match.
        var text: String {
            switch self {
            case .destinationPort(let port): "tcp dport \(port)"
            case .sourcePort(let port): "tcp sport \(port)"
            case .connectionRequest: "tcp flags & (syn | ack) == syn"
            case .payloadPrefix(let prefix):
                "@ih,0,\(prefix.utf8.count * 8) 0x" + prefix.utf8.map { ($0 < 0x10 ? "0" : "") + String($0, radix: 16) }.joined()
            }
        }
    }

    /// Drops the first `count` segments matching every one of `matches` (every one of them when
    /// `count` is nil); `why` becomes the rule's comment. In `--json` (`inputDrops`):
    /// `{"matches": [Match], "count"?: N, "why": "…"}`.
    public struct Drop: Sendable, Equatable, Codable {
        public var matches: [Match]
        public var count: Int?
        public var why: String

        public init(_ matches: [Match], count: Int?, why: String) {
            self.matches = matches
            self.count = count
            self.why = why
        }

        /// `tcp dport 7777 @ih,0,32 0x73656733 numgen inc mod 1000000 < 1 drop comment "…"`.
        public var text: String {
            let counter = count.map { ["numgen inc mod 1000000 < \($0)"] } ?? []
            return (matches.map(\.text) + counter + ["drop", "comment \"\(why.replacingOccurrences(of: "\"", with: "'"))\""])
                .joined(separator: " ")
        }
    }

    /// The table's name (family `inet`: IPv4 and IPv6).
    public static let table = "tcplab"
    public var drops: [Drop]

    public init(_ drops: [Drop]) { self.drops = drops }

    /// The text `nft -f -` reads: one table, one input chain, one rule per drop.
    public var text: String {
        var lines = [
            "add table inet \(Self.table)",
            "add chain inet \(Self.table) input { type filter hook input priority 0; policy accept; }",
        ]
        lines += drops.map { "add rule inet \(Self.table) input \($0.text)" }
        return lines.joined(separator: "\n") + "\n"
    }

    /// Loads the ruleset with `nft -f -`, nft being found in the PATH or the sbin directories.
    /// Refuses outside a private namespace (it would drop the host's own traffic); a missing nft
    /// or a refused ruleset is a one-line `LabError` (exit status 2).
    public func apply(isolation: NetworkIsolation) throws(LabError) {
        try apply(isolation: isolation, nft: ToolProcess.find("nft"))
    }

    /// Checks, before any role starts, that a ruleset can be loaded here: a private namespace and
    /// an `nft` binary (whose path it returns); the same one-line errors as `apply`.
    @discardableResult
    public static func check(isolation: NetworkIsolation) throws(LabError) -> String {
        try check(isolation: isolation, nft: ToolProcess.find("nft"))
    }

    static func check(isolation: NetworkIsolation, nft: String?) throws(LabError) -> String {
        guard isolation.isPrivate else {
            throw LabError.usage("this scenario drops segments with nft, which tcplab does only inside the run's own network namespace; "
                + "run it without --host-loopback (as root, or where unprivileged user namespaces are allowed: see `tcplab doctor`)")
        }
        guard let nft else {
            throw LabError.capture("nft (nftables) is needed to drop segments and was not found in the PATH, /usr/sbin or /sbin; install it: apt-get install nftables")
        }
        return nft
    }

    /// `apply(isolation:)` with the nft executable given (nil: not installed).
    func apply(isolation: NetworkIsolation, nft: String?) throws(LabError) {
        let nft = try Self.check(isolation: isolation, nft: nft)
        let outcome = try ToolProcess.run(nft, ["-f", "-"], input: Array(text.utf8))
        guard outcome.succeeded else {
            let said = outcome.errorOutput.split(separator: "\n").first.map(String.init) ?? "no message"
            throw LabError.capture("nft -f - failed (\(outcome.termination)): \(said)")
        }
    }
}
