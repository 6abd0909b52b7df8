import Foundation
import Glibc
import Testing
@testable import TCPLabKit

/// `tcplab check`'s claims: every scenario claim of every check is judged one way or the other
/// (`ClaimJudging`), the recorded passing runs of students' programs hold when judged again,
/// and each claim judged from outside fails on doctored evidence, saying what was seen.
@Suite struct CheckClaimsTests {
    static let context = RecordedContext(server: SocketAddress(address: .loopbackV4, port: 7777), clients: nil)

    @Test(arguments: CheckCatalog.listings.indices)
    func everyScenarioClaimIsJudgedOrReplaced(_ index: Int) {
        let plan = CheckCatalog.all[index]
        let ids = plan.scenario.claims(Observation(), Self.context).map(\.id)
        let outside = Set(plan.outsideClaims(Observation(), Self.context).map(\.id))
        #expect(Set(plan.judging.keys) == Set(ids), "\(plan.scenarioName) \(plan.variantName): judged \(plan.judging.keys.sorted()), claims \(ids)")
        for case .replaced(let by, let because) in plan.judging.values {
            // No replacement at all is a claim not judged for a student's program: it must say why.
            #expect(Set(by).isSubset(of: outside), "replacements \(by) not among \(outside.sorted())")
            #expect(!because.isEmpty, "a replaced claim does not say why")
        }
        // A replaced claim never shows up under its own id (unless a replacement reuses it).
        let judged = plan.claims(Observation(), Self.context).map(\.id)
        for (id, judging) in plan.judging {
            if case .replaced(let by, _) = judging, !by.contains(id) { #expect(!judged.contains(id), "\(id) was replaced but is still judged") }
        }
        #expect(judged.count == Set(judged).count, "a claim is judged twice: \(judged)")
    }

    @Test(arguments: CheckRecording.all)
    func recordedPassingProgramHoldsEveryClaim(_ recording: CheckRecording) throws {
        let run = try recording.load()
        let claims = run.claims()
        #expect(!claims.isEmpty)
        for claim in claims { #expect(claim.holds, "\(recording.name) \(claim.id): \(claim.evidence)") }
    }

    @Test(arguments: CheckFailure.all)
    func outsideClaimFailsOnDoctoredEvidence(_ failure: CheckFailure) throws {
        var run = try failure.recording.load()
        let before = try #require(run.claims().first { $0.id == failure.claim }, "no claim \(failure.claim)")
        #expect(before.holds, "\(failure.claim) must hold before the edit: \(before.evidence)")
        failure.apply(&run.doctored)
        let after = try #require(run.claims().first { $0.id == failure.claim })
        #expect(!after.holds, "\(failure.claim) still holds after \(failure.edit): \(after.evidence)")
        #expect(after.evidence.contains(failure.seen), "\(failure.claim): message does not say \"\(failure.seen)\": \(after.evidence)")
    }

    /// Without strace, which call a multiplexing server waits in is not judged (no claim that
    /// cannot fail), and the check says so; JUnit shows it as skipped.
    @Test func readinessCallIsNotJudgedWithoutStrace() throws {
        var run = try CheckRecording.named("check-concurrency-epoll").load()
        #expect(run.claims().contains { $0.id == "waits-in-epoll_wait" })
        #expect(run.plan.notJudged(run.doctored.observation).isEmpty)
        run.doctored.observation.steps.removeAll { $0.role == "server" && !$0.isNote }
        #expect(!run.claims().contains { $0.id == "waits-in-epoll_wait" })
        let notJudged = run.plan.notJudged(run.doctored.observation)
        #expect(notJudged == ["whether your server waits in epoll_wait()/epoll_pwait() could not be checked: its calls were not traced (strace not installed, or --no-trace)"])
        let recorded = try JSONDecoder().decode(RunReport.self, from: Data(contentsOf: URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().appendingPathComponent("Fixtures/check-concurrency-epoll.json")))
        let report = JUnitReport(CheckReport(plan: run.plan, program: StudentProgram(command: ["python3", "s.py"]), traced: false,
                                             notJudged: notJudged, run: recorded), seconds: 1)
        #expect(report.skipped == 1 && report.xml.contains("<skipped message=\"whether your server waits in epoll_wait()"), "\(report.xml)")
    }

    /// Every claim a check judges from outside (not the scenario's own, which ClaimFailureTests covers) has a failing test.
    @Test func everyOutsideClaimHasAFailingTest() throws {
        var missing: [String] = []
        for recording in CheckRecording.all {
            let run = try recording.load()
            let own = Set(run.plan.judging.filter { $0.value == .fromOutside }.keys)
            for claim in run.claims() where !own.contains(claim.id) {
                if !CheckFailure.all.contains(where: { $0.recording.name == recording.name && $0.claim == claim.id }) {
                    missing.append("\(recording.name) \(claim.id)")
                }
            }
        }
        #expect(missing.isEmpty, "outside claims without a failing test: \(missing)")
    }
}

/// A recorded `tcplab check --json` run of a passing program (its `run` part and the pcap), in Check/Fixtures.
struct CheckRecording: Sendable, CustomTestStringConvertible {
    let name: String
    let scenario: String
    let variant: String
    let role: CheckRole

    var testDescription: String { name }

    static let all = [
        CheckRecording(name: "check-broken-pipe-fixed-client", scenario: "broken-pipe", variant: "fixed-client", role: .client),
        CheckRecording(name: "check-broken-pipe-default", scenario: "broken-pipe", variant: "default", role: .server),
        CheckRecording(name: "check-zombie-waitpid-handler", scenario: "zombie", variant: "waitpid-handler", role: .server),
        CheckRecording(name: "check-concurrency-epoll", scenario: "concurrency", variant: "epoll", role: .server),
        CheckRecording(name: "check-broken-pipe-sigpipe-ignored", scenario: "broken-pipe", variant: "sigpipe-ignored", role: .client),
        CheckRecording(name: "check-concurrency-fork", scenario: "concurrency", variant: "fork", role: .server),
        CheckRecording(name: "check-concurrency-epoll-et", scenario: "concurrency", variant: "epoll-et", role: .server),
        CheckRecording(name: "check-refused", scenario: "refused", variant: "default", role: .client),
        CheckRecording(name: "check-close-states-server-first", scenario: "close-states", variant: "server-first", role: .server),
        CheckRecording(name: "check-io-models-blocking", scenario: "io-models", variant: "blocking", role: .server),
        CheckRecording(name: "check-io-models-nonblocking", scenario: "io-models", variant: "nonblocking", role: .server),
        CheckRecording(name: "check-keepalive-peer-vanished", scenario: "keepalive", variant: "peer-vanished", role: .client),
        CheckRecording(name: "check-iterative", scenario: "iterative", variant: "default", role: .server),
        CheckRecording(name: "check-close-states-client-first", scenario: "close-states", variant: "client-first", role: .client),
        CheckRecording(name: "check-nagle-nodelay", scenario: "nagle", variant: "nodelay", role: .client),
        CheckRecording(name: "check-flow-control-blocking", scenario: "flow-control", variant: "blocking", role: .server),
        CheckRecording(name: "check-reuseaddr-both", scenario: "reuseaddr", variant: "both", role: .server),
    ]

    static func named(_ name: String) -> CheckRecording { all.first { $0.name == name }! }

    struct Loaded {
        let plan: any CheckPlan
        var doctored: DoctoredRun
        func claims() -> [Claim] { plan.claims(doctored.observation, doctored.context) }
    }

    func load() throws -> Loaded {
        let path = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/\(name).json").path
        let recording = try RecordedRun(jsonPath: path)
        let plan = try CheckCatalog.find(scenario: scenario, variant: variant, role: role)
        return Loaded(plan: plan, doctored: DoctoredRun(plan.scenario, recording))
    }
}

extension DoctoredRun {
    /// A recorded check run, to be edited like a reference recording.
    init(_ scenario: any Scenario, _ recording: RecordedRun) {
        self.scenario = scenario
        context = recording.context
        observation = recording.observation
    }
}

/// One outside claim of one recorded check, made to fail by an edit of its evidence.
struct CheckFailure: Sendable, CustomTestStringConvertible {
    let recording: CheckRecording
    let claim: String
    let edit: String
    let seen: String
    let apply: @Sendable (inout DoctoredRun) -> Void

    init(_ recording: String, _ claim: String, _ edit: String, seen: String, _ apply: @escaping @Sendable (inout DoctoredRun) -> Void) {
        self.recording = CheckRecording.named(recording)
        self.claim = claim
        self.edit = edit
        self.seen = seen
        self.apply = apply
    }

    var testDescription: String { "\(recording.name) \(claim): \(edit)" }

    static func text(_ segment: CapturedSegment) -> String { String(decoding: segment.segment.payload, as: UTF8.self) }

    static let all: [CheckFailure] = [
        CheckFailure("check-broken-pipe-fixed-client", "reply-delivered", "the server's reply never came", seen: "no reply HAHA") { run in
            let port = run.port
            run.removeSegments { $0.segment.sourcePort == port && text($0).hasPrefix("HAHA") }
        },
        CheckFailure("check-broken-pipe-fixed-client", "no-data-after-fin", "the client's FIN carries hehe", seen: "the client sent \"hehe\"") { run in
            let port = run.port
            run.editSegments(where: { $0.segment.destinationPort == port && $0.segment.flags.contains(.fin) }) { $0.payload = Array("hehe".utf8) }
        },
        CheckFailure("check-broken-pipe-fixed-client", "no-sigpipe", "the client died of SIGPIPE", seen: "killed by SIGPIPE") { run in
            run.end("client", .signaled(SIGPIPE))
        },
        CheckFailure("check-broken-pipe-default", "server-fin", "the server never sent its FIN", seen: "(hehe) came first; no FIN from it at all") { run in
            let port = run.port
            run.removeSegments { $0.segment.sourcePort == port && $0.segment.flags.contains(.fin) }
        },
        CheckFailure("check-broken-pipe-default", "server-fin", "the server's FIN came only after hehe", seen: "(hehe) came first; its FIN #") { run in
            // A server that never closes first: its FIN goes out after echoing more (here: in place of the RST to hehe).
            let port = run.port
            run.editSegments(where: { $0.segment.sourcePort == port && $0.segment.flags.contains(.fin) }) { $0.flags.remove(.fin) }
            run.editSegments(where: { $0.segment.sourcePort == port && $0.segment.flags.contains(.rst) }) { $0.flags = [.fin, .ack] }
        },
        CheckFailure("check-broken-pipe-default", "server-fin", "the client's FIN came before the server's", seen: "the client's FIN #") { run in
            // The client closes where it sent hehe; the server's FIN follows it (in place of its RST).
            let port = run.port
            run.editSegments(where: { $0.segment.destinationPort == port && text($0) == "hehe" }) { segment in
                segment.payload = []
                segment.flags = [.fin, .ack]
            }
            run.editSegments(where: { $0.segment.sourcePort == port && $0.segment.flags.contains(.fin) }) { $0.flags.remove(.fin) }
            run.editSegments(where: { $0.segment.sourcePort == port && $0.segment.flags.contains(.rst) }) { $0.flags = [.fin, .ack] }
        },
        CheckFailure("check-broken-pipe-default", "server-fin", "the server reset the connection instead of a FIN", seen: "no FIN from it at all (its RST #") { run in
            let port = run.port
            run.editSegments(where: { $0.segment.sourcePort == port && $0.segment.flags.contains(.fin) }) { $0.flags = [.rst, .ack] }
        },
        CheckFailure("check-broken-pipe-default", "rst-to-hehe", "hehe was ACKed, not reset", seen: "its socket was still open") { run in
            let port = run.port
            run.editSegments(where: { $0.segment.sourcePort == port && $0.segment.flags.contains(.rst) }) { $0.flags = .ack }
        },
        CheckFailure("check-zombie-waitpid-handler", "each-client-answered", "client 2 read EOF", seen: "client 2 recv() = 0") { run in
            run.editSteps(of: "client 2", where: { $0.call == "recv" }) { step in
                step.returnValue = 0
                step.data = nil
            }
        },
        CheckFailure("check-zombie-waitpid-handler", "fork-per-connection", "one child fewer", seen: "3 clients but server") { run in
            run.editProcesses(at: CheckMoment.whileClientsConnected) { rows in
                if let index = rows.lastIndex(where: { $0.role == "server child" }) { rows.remove(at: index) }
            }
        },
        CheckFailure("check-zombie-waitpid-handler", "children-reaped", "a child left as a zombie", seen: "still in /proc") { run in
            zombie(&run)
        },
        CheckFailure("check-zombie-waitpid-handler", "children-reaped", "a child forked after the first table, left as a zombie", seen: "still in /proc: 99999 Z ppid") { run in
            // A child the first table never showed: the claim covers every child of the server the later table shows.
            let server = run.observation.program(.server) ?? 0
            run.editProcesses(at: Zombie.Moment.afterClientsLeft) { rows in
                guard var row = rows.first(where: { $0.process.pid == server }) else { return }
                row.process.pid = 99999
                row.process.parentPID = server
                row.process.state = "Z"
                row.role = "server child"
                rows.append(row)
            }
        },
        CheckFailure("check-zombie-waitpid-handler", "connections-closed", "the server reset client 2's connection (SO_LINGER 0)", seen: "its RST #") { run in
            let port = run.port
            let client = run.observation.steps(of: "client 2").first { $0.call == "connect" }?.local?.split(separator: ":").last.flatMap { UInt16($0) }
            run.editSegments(where: { $0.segment.sourcePort == port && $0.segment.destinationPort == client && $0.segment.flags.contains(.fin) }) { $0.flags = [.rst, .ack] }
        },
        CheckFailure("check-zombie-waitpid-handler", "no-zombie-after-clients-left", "a child left as a zombie", seen: "Z ppid") { run in
            zombie(&run)
        },
        CheckFailure("check-concurrency-epoll", "all-answered", "client 2 got another line back", seen: "client 2 sent") { run in
            run.editSteps(of: "client 2", where: { $0.call == "reply" }) { $0.text = "reply: something else" }
        },
        CheckFailure("check-concurrency-epoll", "overlap-observed", "client 2's first answer never came", seen: "client 2's line 1 was never answered") { run in
            let port = run.port
            run.removeSegments { $0.segment.sourcePort == port && text($0).lowercased().contains("client 2 line 1") }
        },
        CheckFailure("check-zombie-waitpid-handler", "connections-closed", "no FIN from the server to client 2", seen: "no FIN from the server to client 2") { run in
            let port = run.port
            let client = run.observation.steps(of: "client 2").first { $0.call == "connect" }?.local?.split(separator: ":").last.flatMap { UInt16($0) }
            run.removeSegments { $0.segment.sourcePort == port && $0.segment.destinationPort == client && $0.segment.flags.contains(.fin) }
        },
        CheckFailure("check-broken-pipe-sigpipe-ignored", "reply-delivered", "the server's reply never came", seen: "no reply HAHA") { run in
            let port = run.port
            run.removeSegments { $0.segment.sourcePort == port && text($0).hasPrefix("HAHA") }
        },
        CheckFailure("check-broken-pipe-sigpipe-ignored", "rst-to-hehe", "hehe was ACKed, not reset", seen: "the server answered hehe") { run in
            let port = run.port
            run.editSegments(where: { $0.segment.sourcePort == port && $0.segment.flags.contains(.rst) }) { $0.flags = .ack }
        },
        CheckFailure("check-broken-pipe-sigpipe-ignored", "epipe-after-rst", "no EPIPE, no signal, nothing printed", seen: "no broken pipe") { run in
            run.removeSteps(of: "client") { ($0.call == "send" && $0.failure == .brokenPipe) || $0.call == "signal" || $0.text.contains("Broken pipe") }
        },
        CheckFailure("check-broken-pipe-sigpipe-ignored", "epipe-after-rst", "the client died of SIGPIPE", seen: "SIGPIPE killed it") { run in
            run.end("client", .signaled(SIGPIPE))
        },
        CheckFailure("check-concurrency-epoll", "waits-in-epoll_wait", "the server waited in select() (a select server under --variant epoll)",
                     seen: "no epoll_wait()/epoll_pwait() among its ") { run in
            run.editSteps(of: "server", where: { $0.call.hasPrefix("epoll") }) { $0.call = "select" }
        },
        CheckFailure("check-concurrency-epoll-et", "waits-in-epoll_wait", "the server made no readiness call at all", seen: "none of select, poll or epoll_wait") { run in
            run.removeSteps(of: "server") { $0.call.hasPrefix("epoll") }
        },
        CheckFailure("check-concurrency-fork", "all-answered", "client 2 got another line back", seen: "client 2 sent") { run in
            run.editSteps(of: "client 2", where: { $0.call == "reply" }) { $0.text = "reply: something else" }
        },
        CheckFailure("check-concurrency-fork", "overlap-observed", "client 2's first answer never came", seen: "client 2's line 1 was never answered") { run in
            let port = run.port
            run.removeSegments { $0.segment.sourcePort == port && text($0).lowercased().contains("client 2 line 1") }
        },
        CheckFailure("check-concurrency-fork", "no-children-left", "a child left defunct", seen: "1 defunct") { run in
            let child = run.observation.census(at: Concurrency.Moment.allConnected)?.children.first ?? 1
            run.editCensus(at: Concurrency.Moment.afterEveryoneLeft) { census in
                census.children = [child]
                census.defunct = 1
            }
        },
        CheckFailure("check-concurrency-epoll-et", "all-answered", "client 2 got another line back", seen: "client 2 sent") { run in
            run.editSteps(of: "client 2", where: { $0.call == "reply" }) { $0.text = "reply: something else" }
        },
        CheckFailure("check-concurrency-epoll-et", "overlap-observed", "client 2's first answer never came", seen: "client 2's line 1 was never answered") { run in
            let port = run.port
            run.removeSegments { $0.segment.sourcePort == port && text($0).lowercased().contains("client 2 line 1") }
        },
        CheckFailure("check-concurrency-epoll-et", "long-line-answered", "the rest of the long line waited in the Recv-Q", seen: "Recv-Q 2017") { run in
            let port = run.port
            run.editSockets(at: Concurrency.Moment.afterLongLine) { rows in
                for index in rows.indices where rows[index].entry.localPort == port && rows[index].entry.state == .established {
                    rows[index].entry.receiveQueue = 2017
                }
            }
        },
        CheckFailure("check-concurrency-epoll-et", "long-line-answered", "the answer to the long line never came", seen: "of 3041 bytes came back") { run in
            let port = run.port
            run.removeSegments { $0.segment.sourcePort == port && text($0).lowercased().contains("xxxxxxxx") }
        },
        CheckFailure("check-refused", "refusal-reported", "the client exited 0 after the refusal", seen: "a script cannot tell") { run in
            run.end("client", .exited(0))
        },
        CheckFailure("check-close-states-server-first", "server-closed-first", "the server never sent its FIN, the client closed first",
                     seen: "the server sent no FIN within 3 s of its reply (#") { run in
            let port = run.port
            run.removeSegments { $0.segment.sourcePort == port && $0.segment.flags.contains(.fin) }
        },
        CheckFailure("check-close-states-server-first", "server-closed-first", "the server's FIN only answered the client's", seen: "; the client closed first (#") { run in
            // The client's FIN moved ahead of the server's: the server closed only after the client had.
            let port = run.port
            let clientFin = run.observation.segments.firstIndex { $0.segment.destinationPort == port && $0.segment.flags.contains(.fin) }
            let serverFin = run.observation.segments.firstIndex { $0.segment.sourcePort == port && $0.segment.flags.contains(.fin) }
            guard let clientFin, let serverFin else { return }
            run.observation.segments[clientFin].number = run.observation.segments[serverFin].number - 1
            run.observation.segments.insert(run.observation.segments.remove(at: clientFin), at: serverFin)
        },
        CheckFailure("check-close-states-server-first", "server-closed-first", "the server reset the connection (SO_LINGER 0)", seen: "no FIN from the server; its RST #") { run in
            let port = run.port
            run.removeSegments { $0.segment.destinationPort == port && $0.segment.flags.contains(.fin) }
            run.editSegments(where: { $0.segment.sourcePort == port && $0.segment.flags.contains(.fin) }) { $0.flags = [.rst, .ack] }
        },
        CheckFailure("check-close-states-server-first", "server-closed-first", "the client read the EOF after the FIN", seen: "read the EOF after FIN #") { run in
            let fin = run.observation.segments.first { $0.segment.sourcePort == run.port && $0.segment.flags.contains(.fin) }?.time ?? 0
            run.editSteps(of: "client", where: { $0.call == "close" }) { step in
                step.call = "recv"
                step.returnValue = 0
                step.began = max(step.began, fin + 1)
            }
        },
        CheckFailure("check-io-models-blocking", "sleeps-in", "the server slept in epoll_wait(), not in recv()", seen: "S in do_epoll_wait") { run in
            run.editWaitReadings { $0.wchan = "do_epoll_wait" }
        },
        CheckFailure("check-io-models-blocking", "read-after-data", "the server's FIN became an RST (closed with the message unread)", seen: "closed with the message unread") { run in
            let port = run.port
            run.editSegments(where: { $0.segment.sourcePort == port && $0.segment.flags.contains(.fin) }) { $0.flags = [.rst, .ack] }
        },
        CheckFailure("check-io-models-nonblocking", "read-after-data", "the server never closed", seen: "it never closed the connection") { run in
            let port = run.port
            run.removeSegments { $0.segment.sourcePort == port && $0.segment.flags.contains(.fin) }
        },
        CheckFailure("check-io-models-nonblocking", "read-after-data", "the server's FIN came before the message", seen: "before the message") { run in
            let port = run.port, data = run.dataTime
            for index in run.observation.segments.indices where run.observation.segments[index].segment.sourcePort == port
                && run.observation.segments[index].segment.flags.contains(.fin) {
                run.observation.segments[index].time = data - 1
            }
        },
        CheckFailure("check-keepalive-peer-vanished", "recv-timed-out", "the client's recv() returned 0 instead of failing", seen: "the client's last recv() = 0") { run in
            run.editSteps(of: "client", where: { $0.call == "recv" }) { step in
                step.errno = nil
                step.returnValue = 0
            }
        },
        CheckFailure("check-keepalive-peer-vanished", "recv-timed-out", "the client's recv() failed before the probes ran out", seen: "returned before the last probe") { run in
            // As if it had timed out right after the handshake, long before the probes.
            let handshake = run.observation.segments.first?.time ?? 0
            run.editSteps(of: "client", where: { $0.call == "recv" && $0.errno != nil }) { step in
                step.began = handshake + 1
                step.ended = handshake + 2
            }
        },
        CheckFailure("check-keepalive-peer-vanished", "recv-timed-out", "the client's kernel never sent its RST", seen: "its kernel did not give up") { run in
            let port = run.port
            run.removeSegments { $0.segment.destinationPort == port && $0.segment.flags.contains(.rst) }
        },
        CheckFailure("check-keepalive-peer-vanished", "recv-timed-out", "the client was still running at the end", seen: "still running when the lab stopped it") { run in
            run.observation.ends.removeAll { $0.role == "client" }
        },
        CheckFailure("check-iterative", "b-handshake-while-a-served", "the server had accepted B while A stayed", seen: "the server had accepted B already") { run in
            let port = run.port
            run.editSockets(at: Iterative.Moment.bInAcceptQueue) { rows in
                for index in rows.indices where rows[index].entry.localPort == port && rows[index].entry.state == .established
                    && rows[index].entry.inode == 0 {
                    rows[index].entry.inode = 4711
                }
            }
        },
        CheckFailure("check-iterative", "b-answered-after-a-left", "the listener was closed: B reset instead of answered",
                     seen: "RST #16 reset B's connection while it waited in the accept queue") { run in
            let port = run.port
            run.editSegments(where: { $0.segment.sourcePort == port && text($0) == "HELLO FROM B" }) { segment in
                segment.payload = []
                segment.flags = [.rst, .ack]
            }
        },
        CheckFailure("check-iterative", "b-answered-after-a-left", "B got another line back", seen: "not its line \"hello from b\" back") { run in
            run.editSteps(of: "client B", where: { $0.call == "recv" }) { $0.data = "HELLO FROM A" }
        },
        CheckFailure("check-close-states-client-first", "client-closed-first", "the client closed with SO_LINGER 0", seen: "no FIN from the client: its RST #8") { run in
            let port = run.port
            run.editSegments(where: { $0.segment.destinationPort == port && $0.segment.flags.contains(.fin) }) { $0.flags = [.rst, .ack] }
        },
        CheckFailure("check-close-states-client-first", "client-closed-first", "the client never closed", seen: "no FIN from the client after its input ended") { run in
            let port = run.port
            run.removeSegments { $0.segment.destinationPort == port && $0.segment.flags.contains(.fin) }
        },
        CheckFailure("check-nagle-nodelay", "keystrokes-echoed", "the echo stopped after the first byte", seen: "the server echoed \"h\"") { run in
            let port = run.port
            run.removeSegments { $0.segment.sourcePort == port && text($0) == "ello tcp" }
        },
        CheckFailure("check-nagle-nodelay", "keystrokes-echoed", "the client sent the line with its newline", seen: "(the newline is not a keystroke)") { run in
            let port = run.port
            run.editSegments(where: { $0.segment.destinationPort == port && text($0) == "p" }) { segment in
                segment.payload = Array("p\n".utf8)
                segment.ipPayloadLength = 2
            }
        },
        CheckFailure("check-nagle-nodelay", "one-segment-per-keystroke", "the whole line left in one segment", seen: "9 keystrokes -> 1 segment(s) (bytes: #4 9): the whole line in one segment") { run in
            let port = run.port
            run.editSegments(where: { $0.segment.destinationPort == port && text($0) == "h" }) { segment in
                segment.payload = Array("hello tcp".utf8)
                segment.ipPayloadLength = 9
            }
            run.removeSegments { $0.segment.destinationPort == port && $0.segment.ipPayloadLength == 1 }
        },
        CheckFailure("check-nagle-nodelay", "one-segment-per-keystroke", "Nagle held the later keystrokes back", seen: "Nagle's algorithm held its bytes back") { run in
            // The server's ACK of "h" comes first; then the other eight leave together (as without TCP_NODELAY).
            let port = run.port
            run.editSegments(where: { $0.segment.destinationPort == port && text($0) == "e" }) { segment in
                segment.payload = Array("ello tcp".utf8)
                segment.ipPayloadLength = 8
            }
            run.removeSegments { $0.segment.destinationPort == port && $0.segment.ipPayloadLength == 1 && text($0) != "h" }
            guard let ack = run.observation.segments.firstIndex(where: { $0.segment.sourcePort == port && $0.segment.payload.isEmpty && $0.number > 3 }),
                  let data = run.observation.segments.firstIndex(where: { $0.segment.destinationPort == port && text($0) == "ello tcp" }) else { return }
            let moved = run.observation.segments.remove(at: ack)
            run.observation.segments.insert(moved, at: data)
            for index in run.observation.segments.indices { run.observation.segments[index].number = index + 1 }
        },
        CheckFailure("check-flow-control-blocking", "window-reopened", "the server never read again: the window stayed 0", seen: "no segment from the server reopened the window after #7: it never read again") { run in
            let port = run.port
            run.removeSegments { $0.number >= 13 && $0.segment.sourcePort == port }
        },
        CheckFailure("check-flow-control-blocking", "all-data-read", "the server read once and closed: its RST", seen: "the server's RST #15 reset the connection after it had acknowledged 4096 of 16384 bytes") { run in
            let port = run.port
            run.editSegments(where: { $0.number == 15 && $0.segment.sourcePort == port }) { $0.flags = [.rst, .ack] }
        },
        CheckFailure("check-flow-control-blocking", "all-data-read", "bytes left unread in the server's Recv-Q", seen: "server Recv-Q 2048 unread") { run in
            let port = run.port
            run.editSockets(at: FlowControl.Moment.afterRead) { rows in
                for index in rows.indices where rows[index].entry.localPort == port && rows[index].entry.state != .listen {
                    rows[index].entry.receiveQueue = 2048
                }
            }
        },
        CheckFailure("check-reuseaddr-both", "server-side-time-wait", "the server never ended (it ignored SIGINT)", seen: "your server had not ended when the table was read") { run in
            run.observation.ends.removeAll { $0.role == "server" }
        },
        CheckFailure("check-reuseaddr-both", "server-side-time-wait", "the server's FIN never came", seen: "no FIN from the server") { run in
            let port = run.port
            run.editSegments(where: { $0.segment.sourcePort == port && $0.segment.flags.contains(.fin) }) { $0.flags.remove(.fin) }
        },
        CheckFailure("check-reuseaddr-both", "restart-listens", "the restarted server did not listen", seen: "no listener on port 7777 while 127.0.0.1:7777 -> ") { run in
            run.editSockets(at: ReuseAddr.Moment.afterBind) { rows in rows.removeAll { $0.entry.state == .listen } }
        },
        CheckFailure("check-reuseaddr-both", "restart-listens", "nothing held the port at the restart", seen: "no TIME_WAIT entry held the port at the restart") { run in
            for moment in [ReuseAddr.Moment.oldExited, .afterBind] {
                run.editSockets(at: moment) { rows in rows.removeAll { $0.entry.state == .timeWait } }
            }
        },
    ]

    /// Puts the first child the server forked back into the table after the clients left, as a zombie.
    static func zombie(_ run: inout DoctoredRun) {
        let child = run.observation.processes(at: CheckMoment.whileClientsConnected)?.rows.first { $0.role == "server child" }
        run.editProcesses(at: Zombie.Moment.afterClientsLeft) { rows in
            guard var row = child else { return }
            row.process.state = "Z"
            rows.append(row)
        }
    }
}
