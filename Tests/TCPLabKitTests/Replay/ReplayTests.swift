import Foundation
import Testing
@testable import TCPLabKit

/// The shipped reference recordings (`captures/reference/`), replayed in-process the way
/// `tcplab scenario NAME --replay` does: segments re-decoded from each pcap, claims judged again
/// by the scenario's own code. Every claim must hold and match the recorded verdict.
@Suite struct ReplayTests {
    static let referenceDirectory = capturesDirectory.appendingPathComponent("reference")

    /// `(scenario, variant)` for every variant tcplab knows.
    static var variants: [(String, String)] {
        ScenarioCatalog.infos.flatMap { info in info.variants.map { (info.name, $0.name) } }
    }

    @Test func everyVariantHasAReferenceAndNothingElseIsThere() throws {
        let files = Set(try FileManager.default.contentsOfDirectory(atPath: Self.referenceDirectory.path))
        let expected = Set(Self.variants.flatMap { ["\($0)-\($1).json", "\($0)-\($1).pcap"] })
        #expect(files == expected, "missing: \(expected.subtracting(files).sorted()); unexpected: \(files.subtracting(expected).sorted())")
    }

    @Test func referencesAreSmall() throws {
        let total = try FileManager.default.contentsOfDirectory(atPath: Self.referenceDirectory.path).reduce(0) { sum, name in
            let attributes = try FileManager.default.attributesOfItem(atPath: Self.referenceDirectory.appendingPathComponent(name).path)
            return sum + ((attributes[.size] as? Int) ?? 0)
        }
        #expect(total < 3_000_000, "captures/reference holds \(total) bytes; they are committed, keep them small")
    }

    @Test(arguments: variants.map { "\($0)-\($1)" })
    func replayedClaimsHoldAsRecorded(name: String) throws {
        let recording = try RecordedRun(jsonPath: Self.referenceDirectory.appendingPathComponent("\(name).json").path)
        let scenario = try ScenarioCatalog.make(name: recording.report.scenario, variant: recording.report.variant)
        #expect(recording.report.passed, "the recording itself did not pass")
        #expect(recording.observation.segments.count == recording.report.segments.count,
                "the pcap holds \(recording.observation.segments.count) segments of the run, the JSON \(recording.report.segments.count)")

        var printer = TimelinePrinter(absolute: false, write: { _ in })
        printer.flush(recording.observation)
        #expect(printer.rows == recording.report.segments, "rows printed from the pcap differ from the recorded rows")

        // The scenario's own claims: the older recordings were made before states-match-capture,
        // which every scenario gets and StateTrackerTests judges on every recording; where a
        // recording has it, it must be judged again the same.
        let claims = scenario.claims(recording.observation, recording.context)
        let own = recording.report.claims.filter { $0.id != StateAgreement.id }
        #expect(claims.map(\.id) == own.map(\.id))
        for claim in claims { #expect(claim.holds, "\(claim.id): \(claim.evidence)") }
        #expect(claims == own, "the claims judged from the recording differ from the recorded ones")
        if let agreement = recording.report.claims.first(where: { $0.id == StateAgreement.id }) {
            #expect(scenario.judge(recording.observation, recording.context).last == agreement)
        }
    }

    @Test func recordedSocketsKeepWhatTheClaimsRead() throws {
        let recording = try RecordedRun(jsonPath: Self.referenceDirectory.appendingPathComponent("zombie-no-reap.json").path)
        let snapshot = try #require(recording.observation.snapshots.first)
        let listener = try #require(snapshot.table.entries.first { $0.state == .listen })
        #expect(listener.inode != 0)
        #expect(!snapshot.table.owners(of: listener).isEmpty, "owners are recorded, as the zombie claims need them")
        #expect(recording.observation.pids["server"] != nil)
    }

    @Test(arguments: [
        ("127.0.0.1:7777", "127.0.0.1", 7777), ("[::1]:7777", "::1", 7777), ("0.0.0.0:*", "0.0.0.0", 0),
        ("[::ffff:127.0.0.1]:7779", "::ffff:7f00:1", 7779),
    ])
    func endpointsParseBack(text: String, address: String, port: Int) throws {
        let parsed = try #require(RecordedRun.endpoint(text))
        #expect(parsed.address == IPAddress(address))
        #expect(Int(parsed.port) == port)
    }

    @Test func aMissingRecordingSaysHowToMakeIt() {
        #expect {
            try ReferenceRecordings.locate(scenario: "broken-pipe", variant: "nope", searchPath: ["/nonexistent"])
        } throws: { error in
            "\(error)".contains("broken-pipe-nope.json") && "\(error)".contains("scripts/record-references.sh")
        }
    }
}
