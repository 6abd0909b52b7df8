import Foundation
import Testing
@testable import TCPLabKit

/// Where the calls of two reference recordings land in each view: refused (connect() fails
/// because of the SYN and the RST it sent and got) and broken-pipe (calls that segments fall
/// into, a call the client dies in). Issue 10's example, checked whole.
@Suite struct CallOrderViewsTests {
    static func recording(_ name: String) throws -> RecordedRun {
        try RecordedRun(jsonPath: capturesDirectory.appendingPathComponent("reference/\(name).json").path)
    }

    static func printed(_ recording: RecordedRun) -> [String] {
        var lines: [String] = []
        var printer = TimelinePrinter(absolute: false) { lines.append($0) }
        printer.flush(recording.observation)
        return lines
    }

    static let connectStart = "connect(127.0.0.1:7777) ..."
    static let connectResult = "... connect = -1 ECONNREFUSED (Connection refused)"

    @Test func refusedText() throws {
        let recording = try Self.recording("refused-default")
        let segments = recording.report.segments.map(TimelinePrinter.line)
        try #require(segments.count == 2)
        #expect(Self.printed(recording) == [
            TimelinePrinter.header,
            "   sockets  before the connect: no sockets on the port",
            "        client  " + Self.connectStart,
            segments[0],
            segments[1],
            "        client  " + Self.connectResult,
            "        client  connect 127.0.0.1:7777: Connection refused",
            "        capture: 0 packets dropped by the kernel (4 counted by libpcap; on lo it sees each one twice)",
        ])
    }

    @Test func refusedLadder() throws {
        let ladder = Ladder(report: try Self.recording("refused-default").report)
        let rows = ladder.rows.map { row -> String in
            switch row {
            case .arrow(let arrow): "#\(arrow.number)"
            case .step(let side, let text, _): "\(side) \(text)"
            case .states(let states): "states \(states.moment)"
            case .transitions(let changes): "states " + changes.map { $0.text() }.joined(separator: ", ")
            }
        }
        #expect(rows == [
            "states before the connect", "client " + Self.connectStart, "#1", "states CLOSED → SYN_SENT", "#2",
            "states SYN_SENT → CLOSED (gone)", "client " + Self.connectResult,
            "client connect 127.0.0.1:7777: Connection refused", "client (exited with status 1)",
        ])
    }

    @Test func refusedHTML() throws {
        let page = HTMLReport(try Self.recording("refused-default").report).page
        #expect(TimelineOrderCheck.lines(html: page) == [
            .text(Self.connectStart), .segment(1), .segment(2), .text(Self.connectResult),
            .text("connect 127.0.0.1:7777: Connection refused"), .text("(exited with status 1)"),
        ])
    }

    /// The whole text timeline of broken-pipe, against `Tests/Fixtures/broken-pipe-default.timeline.txt`.
    @Test func brokenPipeText() throws {
        let lines = Self.printed(try Self.recording("broken-pipe-default"))
        try expectGolden(lines.map { $0 + "\n" }.joined(), "broken-pipe-default.timeline.txt")
        let hehe = try #require(lines.firstIndex { $0.hasSuffix(#"client  send("hehe") ..."#) })
        #expect(lines[hehe + 1].hasPrefix("  10 ") && lines[hehe + 2].hasPrefix("  11 "))
        #expect(lines[hehe + 3] == "        client  ... send = 4")
        #expect(lines.contains(#"        client  send("wawa") -> killed by SIGPIPE (signal 13)"#))
    }

    /// hehe's send is split around #10 and #11; the client dies in wawa's send, the server in accept().
    static let heheRows = [#"send("hehe") ..."#, "#10", "#11", "... send = 4", "recv() = 0 (EOF)"]

    @Test func brokenPipeLadder() throws {
        let ladder = Ladder(report: try Self.recording("broken-pipe-default").report)
        let rows = ladder.rows.compactMap { row -> String? in
            switch row {
            case .arrow(let arrow): "#\(arrow.number)"
            case .step(_, let text, _): text
            case .states, .transitions: nil
            }
        }
        let hehe = try #require(rows.firstIndex(of: Self.heheRows[0]))
        #expect(Array(rows[hehe..<(hehe + 5)]) == Self.heheRows)
        #expect(rows.suffix(2) == [#"send("wawa") -> killed by SIGPIPE (signal 13)"#, "... accept -> killed by SIGTERM (signal 15)"])
    }

    @Test func brokenPipeHTML() throws {
        let page = HTMLReport(try Self.recording("broken-pipe-default").report).page
        let lines = TimelineOrderCheck.lines(html: page).map { line -> String in
            switch line {
            case .segment(let number): "#\(number)"
            case .text(let text): text
            }
        }
        let hehe = try #require(lines.firstIndex(of: Self.heheRows[0]))
        #expect(Array(lines[hehe..<(hehe + 5)]) == Self.heheRows)
        #expect(lines.suffix(2) == [#"send("wawa") -> killed by SIGPIPE (signal 13)"#, "... accept -> killed by SIGTERM (signal 15)"])
    }
}
