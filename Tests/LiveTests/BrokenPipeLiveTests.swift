import Foundation
import Testing

/// The broken-pipe scenario run for real: every variant's claims must hold on this kernel.
extension Live {
    @Suite(.timeLimit(.minutes(2)))
    struct BrokenPipeLiveTests {
        static let expectedClaims: [String: [String]] = [
            "default": ["reply-acked", "fin-after-close", "half-closed-states", "rst-after-close", "recv-eof", "sigpipe-kills"],
            "sigpipe-ignored": ["reply-acked", "fin-after-close", "half-closed-states", "rst-after-close", "recv-eof",
                                "sigpipe-ignored-epipe", "client-exits"],
            "msg-nosignal": ["reply-acked", "fin-after-close", "half-closed-states", "rst-after-close", "recv-eof",
                             "msg-nosignal-epipe", "client-exits"],
            "fixed-client": ["reply-acked", "fin-after-close", "half-closed-states", "eof-before-send", "no-rst",
                             "clean-close", "client-exits"],
        ]

        @Test(arguments: ["default", "sigpipe-ignored", "msg-nosignal", "fixed-client"])
        func everyClaimHolds(variant: String) throws {
            let outcome = try TCPLabProcess.run(["scenario", "broken-pipe", "--variant", variant, "--json"])
            let run = try RunJSON.decode(outcome.stdout)
            #expect(outcome.status == 0, "stderr: \(outcome.stderr)")
            #expect(run.network == "private network namespace")
            #expect(run.claims.map(\.id) == Self.expectedClaims[variant].map { $0 + RunJSON.everyScenarioClaims })
            for claim in run.claims { #expect(claim.holds, "\(claim.id): \(claim.evidence)") }
            #expect(run.passed)
            #expect(Set(run.ends.map(\.role)) == ["client", "server"])
            // Every segment reached the lab: the kernel dropped nothing from the capture.
            #expect(run.capture?.dropped == 0 && (run.capture?.received ?? 0) >= UInt64(run.segments.count))
        }

        @Test func defaultVariantTellsTheWholeStory() throws {
            let outcome = try TCPLabProcess.run(["scenario", "broken-pipe"])
            #expect(outcome.status == 0, "stderr: \(outcome.stderr)")
            let text = outcome.stdout
            for call in [
                CallLines("client", #"send("hehe")"#, " = 4"), CallLines("client", "recv()", " = 0 (EOF)"),
                CallLines("server", "close()", " = 0"), CallLines("client", #"send("wawa")"#, " -> killed by SIGPIPE (signal 13)"),
            ] {
                #expect(call.shown(in: text), "missing \(call.role)\(call.call)\(call.outcome) in:\n\(text)")
            }
            for expected in [
                "FIN_WAIT2", "CLOSE_WAIT",
                "SYN  mss 65495, sackOK, TS val", "handshake done", "ACK = 1 + 4 bytes",
            ] {
                #expect(text.contains(expected), "missing \(expected) in:\n\(text)")
            }
            let rst = try #require(text.split(separator: "\n").first { $0.contains("RST") })
            #expect(rst.contains("S > C") && rst.contains(" R "))
        }

        @Test func fiveRunsGiveIdenticalVerdicts() throws {
            var verdicts: [[String]] = []
            for _ in 0..<5 {
                let run = try RunJSON.decode(try TCPLabProcess.run(["scenario", "broken-pipe", "--json"]).stdout)
                verdicts.append(run.claims.map { "\($0.id)=\($0.holds)" } + ["segments=\(run.segments.count)"]
                                + run.segments.map { "\($0.flags)/\($0.length)" })
            }
            #expect(verdicts.allSatisfy { $0 == verdicts[0] }, "verdicts differ: \(verdicts)")
            #expect(verdicts[0].contains("sigpipe-kills=true"))
        }

        @Test func ipv6RunsTheSameStory() throws {
            let outcome = try TCPLabProcess.run(["scenario", "broken-pipe", "--ipv6", "--json"])
            let run = try RunJSON.decode(outcome.stdout)
            #expect(outcome.status == 0)
            for claim in run.claims { #expect(claim.holds, "\(claim.id): \(claim.evidence)") }
            #expect(run.segments.map(\.flags).contains("R"))
        }

        @Test func hostLoopbackRunUsesAFreePort() throws {
            let outcome = try TCPLabProcess.run(["scenario", "broken-pipe", "--host-loopback", "--json"])
            let run = try RunJSON.decode(outcome.stdout)
            #expect(outcome.status == 0, "stderr: \(outcome.stderr)")
            #expect(run.network.hasPrefix("host loopback"))
            for claim in run.claims { #expect(claim.holds, "\(claim.id): \(claim.evidence)") }
        }

        @Test func portInUseIsAClearError() throws {
            let holder = try LoopbackListener()
            let port = String(holder.port)
            let outcome = try TCPLabProcess.run(["scenario", "broken-pipe", "--host-loopback", "--port", port])
            #expect(outcome.status == 2)
            #expect(outcome.stderr.contains("bind 127.0.0.1:\(port): address in use"), "stderr: \(outcome.stderr)")
        }

        @Test func savedCaptureDecodesToTheSameSegments() throws {
            let pcap = FileManager.default.temporaryDirectory.appendingPathComponent("tcplab-roundtrip-\(UUID().uuidString).pcap").path
            defer { try? FileManager.default.removeItem(atPath: pcap) }
            let live = try RunJSON.decode(try TCPLabProcess.run(["scenario", "broken-pipe", "--json", "--pcap", pcap]).stdout)
            #expect(live.pcap == pcap)
            let decoded = try TCPLabProcess.run(["decode", pcap, "--json"])
            #expect(decoded.status == 0, "stderr: \(decoded.stderr)")
            let segments = try JSONDecoder().decode([RunJSON.Segment].self, from: Data(decoded.stdout.utf8))
            #expect(segments.count >= 11)
            // The same bytes give the same numbers; only the words differ: the run knows its
            // roles and kernels, `decode` of a file does not (CaptureOrigin).
            let unannotated = { (rows: [RunJSON.Segment]) in rows.map { row -> RunJSON.Segment in
                var row = row
                row.annotation = ""
                return row
            } }
            #expect(unannotated(segments) == unannotated(live.segments))
            #expect(live.segments.contains { $0.annotation == "RST: data for a socket nobody holds (server had closed)" })
            #expect(segments.contains { $0.annotation == "RST after the sender's FIN: the peer's data found no reader" })
        }

        @Test func noRoleProcessIsLeftBehind() throws {
            _ = try TCPLabProcess.run(["scenario", "broken-pipe", "--variant", "fixed-client"])
            let leftovers = TCPLabProcess.runningRoles().map(\.command)
            #expect(leftovers.isEmpty, "role processes still running: \(leftovers)")
        }
    }
}
