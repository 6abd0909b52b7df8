import Foundation
import Testing
@testable import TCPLabKit

/// Each exercise's `observe` functions, run on RunReports recorded from real runs on Linux 6.18
/// (`tcplab scenario NAME --variant V --json`, SYN options, pcap path and notes left out: see
/// Fixtures/README.md). The expected answers are what those runs showed.
@Suite struct ExerciseObservationTests {
    struct Case: CustomTestStringConvertible, Sendable {
        var scenario: String
        var variant: String
        var expected: [String: String]
        var testDescription: String { "\(scenario) --variant \(variant)" }
    }

    static let cases: [Case] = [
        Case(scenario: "broken-pipe", variant: "default", expected: [
            "server-state": "FIN_WAIT2", "client-state": "CLOSE_WAIT", "hehe-send": "4", "rst-segment": "11",
            "client-ending": "killed by SIGPIPE",
        ]),
        Case(scenario: "broken-pipe", variant: "fixed-client", expected: [
            "eof-recv": "0", "rst-count": "0", "client-fin-segment": "10", "time-wait-side": "server", "client-ending": "exited 0",
        ]),
        Case(scenario: "close-states", variant: "server-first", expected: [
            "server-fin-segment": "8", "server-state": "FIN_WAIT2", "client-state": "CLOSE_WAIT", "client-fin-segment": "10",
            "time-wait-side": "server",
        ]),
        Case(scenario: "close-states", variant: "client-first", expected: [
            "client-state": "FIN_WAIT2", "server-state": "CLOSE_WAIT", "server-recv": "0", "time-wait-side": "client",
            "server-after": "gone",
        ]),
        Case(scenario: "close-states", variant: "simultaneous", expected: [
            "fin-count": "2", "fin-acks-fin": "no", "between-state": "CLOSING", "close-segments": "4", "time-wait-side": "both",
        ]),
        Case(scenario: "close-states", variant: "half-close", expected: [
            "client-state": "FIN_WAIT2", "server-second-recv": "0", "server-send": "5", "client-recv": "5", "time-wait-side": "client",
        ]),
        Case(scenario: "close-states", variant: "listener", expected: [
            "listen-state": "LISTEN", "segment-count": "0", "after-close": "nothing",
        ]),
        Case(scenario: "unread-close", variant: "unread", expected: [
            "recv-q": "5", "close-flags": "R.", "rst-segment": "6", "client-recv": "ECONNRESET", "time-wait-side": "neither",
        ]),
        Case(scenario: "unread-close", variant: "linger-zero", expected: [
            "recv-q": "0", "close-flags": "R.", "rst-segment": "8", "client-recv": "ECONNRESET", "time-wait-side": "neither",
        ]),
        Case(scenario: "refused", variant: "default", expected: [
            "answer-flags": "R.", "rst-ack": "1", "segment-count": "2", "connect-result": "ECONNREFUSED",
        ]),
        Case(scenario: "reuseaddr", variant: "both", expected: [
            "old-fin-segment": "4", "time-wait-side": "server", "port-after-exit": "TIME_WAIT", "bind-result": "0",
        ]),
        Case(scenario: "reuseaddr", variant: "old-only", expected: [
            "old-fin-segment": "4", "time-wait-side": "server", "port-after-exit": "TIME_WAIT", "bind-result": "EADDRINUSE",
        ]),
        Case(scenario: "reuseaddr", variant: "new-only", expected: [
            "old-fin-segment": "4", "time-wait-side": "server", "port-after-exit": "TIME_WAIT", "bind-result": "EADDRINUSE",
        ]),
        Case(scenario: "reuseaddr", variant: "neither", expected: [
            "old-fin-segment": "4", "time-wait-side": "server", "port-after-exit": "TIME_WAIT", "bind-result": "EADDRINUSE",
        ]),
        Case(scenario: "iterative", variant: "default", expected: [
            "b-connect": "0", "b-data-ack": "12", "b-recv-q": "12", "accept-queue": "1", "b-answer": "after A's FIN",
        ]),
        Case(scenario: "loss", variant: "rto", expected: [
            "copies": "3", "first-wait": "200 to 399 ms", "second-wait": "about twice the first", "ack-segment": "7",
            "copy-label": "TCP Retransmission",
        ]),
        Case(scenario: "loss", variant: "fast-retransmit", expected: [
            "dup-acks": "3", "resend-segment": "15", "resend-wait": "under 1 ms", "copy-label": "TCP Fast Retransmission",
        ]),
        Case(scenario: "loss", variant: "syn-loss", expected: [
            "syns": "2", "syn-wait": "about 1 s", "connect-returns": "after the SYN-ACK", "copy-label": "TCP Retransmission",
        ]),
        Case(scenario: "loss", variant: "tail-loss", expected: [
            "first-resent": "6", "resend-wait": "1 to 199 ms", "dup-acks": "1", "copy-label": "TCP Retransmission",
        ]),
    ]

    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")

    static func report(_ scenario: String, _ variant: String) throws -> RunReport {
        let url = fixtures.appendingPathComponent("\(scenario)-\(variant).json")
        return try JSONDecoder().decode(RunReport.self, from: Data(contentsOf: url))
    }

    @Test(arguments: cases)
    func observedAnswersMatchTheRecordedRun(_ test: Case) throws {
        let report = try Self.report(test.scenario, test.variant)
        #expect(report.scenario == test.scenario && report.variant == test.variant && report.passed)
        let exercise = try #require(ExerciseCatalog.find(scenario: test.scenario, variant: test.variant))
        let observed = Dictionary(uniqueKeysWithValues: exercise.predictions.map { ($0.id, $0.observe(report)) })
        #expect(Set(observed.keys) == Set(test.expected.keys), "questions of the exercise")
        for (id, answer) in test.expected {
            #expect(observed[id] == answer, "\(id)")
        }
    }

    /// An observed answer to a choice question must be one of its choices, or no student could
    /// ever get it right.
    @Test(arguments: cases)
    func observedChoicesAreAmongTheChoices(_ test: Case) throws {
        let report = try Self.report(test.scenario, test.variant)
        let exercise = try #require(ExerciseCatalog.find(scenario: test.scenario, variant: test.variant))
        for prediction in exercise.predictions {
            let observed = try #require(prediction.observe(report), "\(prediction.id) observed nothing")
            #expect(prediction.canonical(observed) == observed, "\(prediction.id): \(observed)")
        }
    }

    @Test func aRunThatShowedNothingObservesNothing() throws {
        var report = try Self.report("unread-close", "unread")
        report.segments = []
        report.snapshots = []
        let exercise = try #require(ExerciseCatalog.find(scenario: "unread-close", variant: "unread"))
        let observed = exercise.predictions.map { $0.observe(report) }
        #expect(observed.allSatisfy { $0 == nil || $0 == "no segment" })
    }

    @Test func theDefaultVariantsNameFindsTheSameExerciseAsNoVariant() {
        #expect(ExerciseCatalog.find(scenario: "broken-pipe", variant: "default")?.predictions.first?.id == "server-state")
        #expect(ExerciseCatalog.find(scenario: "close-states", variant: nil)?.variant == "server-first")
        #expect(ExerciseCatalog.find(scenario: "broken-pipe", variant: "sigpipe-ignored") == nil)
    }

    /// The states a close passes through, read from the capture alone (no /proc).
    @Test func closingIsReadFromTheCapture() throws {
        let simultaneous = try Self.report("close-states", "simultaneous")
        #expect(simultaneous.stateAfterPeerFin(ownDirection: .serverToClient) == "CLOSING")
        #expect(simultaneous.stateAfterPeerFin(ownDirection: .clientToServer) == "CLOSING")
        let clientFirst = try Self.report("close-states", "client-first")
        #expect(clientFirst.stateAfterPeerFin(ownDirection: .serverToClient) == "CLOSE_WAIT")
        #expect(clientFirst.stateAfterPeerFin(ownDirection: .clientToServer) == "TIME_WAIT")
    }
}
