import Foundation
import Testing
@testable import TCPLabKit

/// `Tests/Fixtures/NAME`: runs recorded from real scenario runs (`tcplab scenario NAME --json`)
/// and the ladders expected from them.
func fixtureURL(_ name: String) -> URL {
    URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Fixtures").appendingPathComponent(name)
}

/// A recorded run, decoded as `tcplab report` decodes it.
func recordedRun(_ name: String) throws -> RunReport {
    try RunReport.decode(try Data(contentsOf: fixtureURL("\(name).run.json")), name: name)
}

/// Compares `drawn` with `Tests/Fixtures/FILE`; on a difference, writes what was drawn next to
/// it in /tmp so it can be diffed (and copied over once checked by eye).
func expectGolden(_ drawn: String, _ file: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
    let expected = try? String(contentsOf: fixtureURL(file), encoding: .utf8)
    if drawn != expected {
        let actual = FileManager.default.temporaryDirectory.appendingPathComponent(file)
        try? drawn.write(to: actual, atomically: true, encoding: .utf8)
        Issue.record("output differs from Tests/Fixtures/\(file); drawn: \(actual.path)", sourceLocation: sourceLocation)
    }
}

/// The terminal ladder drawn from recorded runs, whole, against golden text.
@Suite struct LadderTests {
    @Test func brokenPipeUnicode() throws {
        let ladder = Ladder(report: try recordedRun("broken-pipe"))
        try expectGolden(LadderText(ladder).render(ladder), "broken-pipe.ladder.txt")
    }

    @Test func brokenPipeASCII() throws {
        let ladder = Ladder(report: try recordedRun("broken-pipe"))
        let text = LadderText(ladder, style: .ascii).render(ladder)
        #expect(text.unicodeScalars.allSatisfy { $0.isASCII })
        try expectGolden(text, "broken-pipe.ladder-ascii.txt")
    }

    @Test func severalConnectionsAreTaggedInOneLadder() throws {
        let ladder = Ladder(report: try recordedRun("iterative"))
        try expectGolden(LadderText(ladder).render(ladder), "iterative.ladder.txt")
        #expect(ladder.connectionCount == 2)
        #expect(ladder.legend.count == 2 && ladder.legend[0].hasPrefix("C1 = client A "))
    }

    @Test(arguments: [60, 100, 140])
    func everyLineFitsTheWidth(width: Int) throws {
        for name in ["broken-pipe", "iterative"] {
            let ladder = Ladder(report: try recordedRun(name))
            let lines = LadderText(ladder, width: width).lines(ladder)
            for line in lines.dropFirst(ladder.legend.count) {
                #expect(line.count == width || line.count < width && !line.contains("│"), "\(line.count): \(line)")
            }
        }
    }

    @Test func oneArrowPerSegmentInOrder() throws {
        let report = try recordedRun("broken-pipe")
        let ladder = Ladder(report: report)
        #expect(ladder.arrows.map(\.number) == report.segments.map(\.number))
        #expect(ladder.arrows.map(\.from) == report.segments.map { $0.direction == .clientToServer ? .client : .server })
        #expect(ladder.arrows.last?.kind == .rst)
    }

    @Test func stepsSitOnTheirSideAndStatesComeFromTheSnapshot() throws {
        let ladder = Ladder(report: try recordedRun("broken-pipe"))
        #expect(ladder.rows.contains(.step(.client, "send(\"hehe\") ...", lane: 0)))
        #expect(ladder.rows.contains(.step(.server, "... close = 0", lane: 0)))
        #expect(ladder.rows.contains(.step(.client, "recv() = 0 (EOF)", lane: 0)))
        let states = ladder.rows.compactMap { row -> Ladder.States? in
            if case .states(let states) = row { return states } else { return nil }
        }
        #expect(states.first?.pairs == [.init(connection: 1, client: "CLOSE_WAIT", server: "FIN_WAIT2")])
        // After the RST neither socket is left in /proc/net/tcp: Linux lists no CLOSED socket.
        #expect(states.last?.pairs == [.init(connection: 1, client: "gone", server: "gone")])
    }

    @Test func decodedRowsGiveArrowsOnly() throws {
        let rows = try recordedRun("broken-pipe").segments
        let ladder = Ladder(rows: rows)
        #expect(ladder.arrows.count == rows.count)
        #expect(!ladder.rows.contains { if case .step = $0 { return true } else { return false } })
        #expect(ladder.clientTitle == "client \(rows[0].source)")
        #expect(ladder.serverTitle == "server \(rows[0].destination)")
    }

    @Test func longTextIsClippedNotWrapped() {
        #expect(LadderText.clipped("abcdef", to: 4, ellipsis: "…") == "abc…")
        #expect(LadderText.clipped("abc", to: 4, ellipsis: "…") == "abc")
        #expect(LadderText.clipped("abcdef", to: 1, ellipsis: "~~") == "a")
    }
}
