import Foundation
import Testing

/// Real runs on a kernel setting that leaves no TIME_WAIT: `net.ipv4.tcp_max_tw_buckets=0` in the
/// run's private namespace. inet_twsk_alloc() then refuses every timewait socket
/// (TcpExtTCPTimeWaitOverflow counts them) and tcp_time_wait() destroys the socket at once, which
/// also removes an orphaned FIN_WAIT2 (Linux keeps those as timewait sockets): the peer's later
/// FIN draws an RST. The scenarios wait only on neutral events, so the runs end, and the claims
/// about TIME_WAIT FAIL saying which states /proc showed instead.
extension Live {
    @Suite(.timeLimit(.minutes(2)))
    struct TimeWaitDisabledLiveTests {
        static let noTimeWait = ["--sysctl", "net.ipv4.tcp_max_tw_buckets=0"]

        /// Runs `tcplab scenario scenario --variant variant --json` without TIME_WAIT; checks that it
        /// ended with exit 1 (claims failed), not a timeout or a lab error, and returns its claims by id.
        static func runWithoutTimeWait(_ scenario: String, _ variant: String) throws -> [String: RunJSON.Claim] {
            let outcome = try TCPLabProcess.run(["scenario", scenario, "--variant", variant, "--json"] + noTimeWait)
            #expect(outcome.status == 1, "\(scenario) \(variant): exit \(outcome.status), stderr: \(outcome.stderr)")
            let run = try RunJSON.decode(outcome.stdout)
            #expect(run.error == nil, "\(scenario) \(variant) ended with an error instead of a verdict: \(run.error ?? "")")
            #expect(!run.passed)
            #expect(TCPLabProcess.runningRoles().isEmpty, "role processes left: \(TCPLabProcess.runningRoles().map(\.command))")
            return Dictionary(run.claims.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        }

        /// Expects `id` to have FAILED with `seen` in its "seen instead" evidence.
        static func expectFailed(_ claims: [String: RunJSON.Claim], _ id: String, seen: String) throws {
            let claim = try #require(claims[id], "no claim \(id) in \(claims.keys.sorted())")
            #expect(!claim.holds, "\(id) held without TIME_WAIT: \(claim.evidence)")
            #expect(claim.evidence.hasPrefix("seen instead: "), "\(id): \(claim.evidence)")
            #expect(claim.evidence.contains(seen), "\(id) does not name the states seen (\(seen)): \(claim.evidence)")
        }

        @Test func clientFirstClaimsFailWithTheStatesSeen() throws {
            let claims = try Self.runWithoutTimeWait("close-states", "client-first")
            try Self.expectFailed(claims, "time-wait-first-closer", seen: "client gone, server gone")
            try Self.expectFailed(claims, "fin-wait2-close-wait", seen: "client gone, server CLOSE_WAIT")
            try Self.expectFailed(claims, "last-ack", seen: "was never ACKed")
            #expect(claims["client-fin"]?.holds == true, "the FIN does not depend on TIME_WAIT: \(claims["client-fin"]?.evidence ?? "")")
        }

        @Test func serverFirstClaimsFailWithTheStatesSeen() throws {
            let claims = try Self.runWithoutTimeWait("close-states", "server-first")
            try Self.expectFailed(claims, "time-wait-first-closer", seen: "server gone, client gone")
            try Self.expectFailed(claims, "fin-wait2-close-wait", seen: "server gone, client CLOSE_WAIT")
        }

        @Test func simultaneousBothTimeWaitFailsWithTheStatesSeen() throws {
            let claims = try Self.runWithoutTimeWait("close-states", "simultaneous")
            try Self.expectFailed(claims, "both-time-wait", seen: "server gone, client gone")
        }

        @Test func reuseaddrTimeWaitHoldsPortFailsWithTheTableSeen() throws {
            let claims = try Self.runWithoutTimeWait("reuseaddr", "neither")
            try Self.expectFailed(claims, "time-wait-holds-port", seen: "after the old server exited: no sockets on the port")
            try Self.expectFailed(claims, "restart-bind", seen: "no TIME_WAIT entry held the port")
        }
    }
}
