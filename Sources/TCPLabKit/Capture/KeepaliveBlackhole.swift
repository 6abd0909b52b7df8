import Foundation

/// Makes a peer vanish for the keepalive story: an nftables ruleset, loaded inside the run's
/// own network namespace, that drops every TCP segment to or from `port` on input.
///
/// The drop is on the `input` hook, after the loopback capture has seen the segment: the
/// capture shows what was sent (the probes), and nothing of it arrives. It is the effect of a
/// pulled cable or a crashed host: the other side sends nothing, not even an RST. The table
/// goes with the namespace when the run ends; nothing to undo.
public struct KeepaliveBlackhole: Sendable, Equatable {
    /// The server's port: segments to it and from it are dropped.
    public var port: UInt16

    public init(port: UInt16) { self.port = port }

    /// The nftables table the rules live in.
    public static let table = "tcplab_keepalive"

    /// The ruleset in nft(8)'s own syntax, as `nft -f` reads it.
    public var ruleset: String {
        """
        table inet \(Self.table) {
          chain input {
            type filter hook input priority filter; policy accept;
            tcp dport \(port) drop
            tcp sport \(port) drop
          }
        }
        """
    }

    /// One line for the timeline: what the lab did.
    public var description: String {
        "nft: drops every segment to and from port \(port) on input (table inet \(Self.table)): the server's host vanished"
    }

    /// Checks, before anything starts, that the ruleset can be loaded here: a private namespace
    /// (on the host it would cut the host's own traffic) and an `nft` binary; returns its path.
    @discardableResult
    public func check(isolation: NetworkIsolation) throws(LabError) -> String {
        guard isolation.isPrivate else {
            throw LabError.usage("this scenario drops segments with nft, which tcplab does only inside the run's own network namespace; "
                + "run it without --host-loopback (as root, or where unprivileged user namespaces are allowed: see `tcplab doctor`)")
        }
        guard let nft = ToolProcess.find("nft") else {
            throw LabError.capture("nft (nftables) is needed to make the peer vanish and was not found in the PATH, /usr/sbin or /sbin; install it: apt-get install nftables")
        }
        return nft
    }

    /// Loads the ruleset with `nft` (it takes a ruleset as its command line, as it would with
    /// `-f`), after `check`; fails with what nft said if it refuses.
    public func apply(isolation: NetworkIsolation) throws(LabError) {
        let nft = try check(isolation: isolation)
        let outcome = try ToolProcess.run(nft, [ruleset])
        guard outcome.succeeded else {
            let said = outcome.errorOutput.trimmingCharacters(in: .whitespacesAndNewlines)
            throw LabError.capture("nft failed to load table inet \(Self.table) (\(outcome.termination)): \(said.isEmpty ? "no message" : said)")
        }
    }
}
