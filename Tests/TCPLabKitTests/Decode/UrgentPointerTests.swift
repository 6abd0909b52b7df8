import Foundation
import Testing
@testable import TCPLabKit

/// The urgent pointer, shown as tcpdump's print-tcp.c does: `urg N` after the window, only when
/// URG is set (`if (flags & TH_URG) ND_PRINT(", urg %u", ...)`), and in `--json`.
@Suite struct UrgentPointerTests {
    /// The recorded "haha" segment (`Flags [P.]`) with URG added (flags byte 47: 0x18 → 0x38)
    /// and the urgent pointer (bytes 52–53) set to 4: tcpdump prints `Flags [P.U], … win 64, urg 4`.
    static let urgent = IPv4Fixtures.dataHaha.replacing(at: 47, with: [0x38]).replacing(at: 52, with: [0x00, 0x04])
    /// The same pointer without URG: tcpdump prints no `urg`.
    static let pointerWithoutURG = IPv4Fixtures.dataHaha.replacing(at: 52, with: [0x00, 0x04])

    private func row(_ frame: [UInt8]) throws -> SegmentRow {
        var tracker = ConversationTracker(origin: .foreign)
        return tracker.describe(try #require(try capturedSegments([frame]).first))
    }

    @Test func decodedFromTheHeader() throws {
        #expect(try decodeSegment(Self.urgent).urgentPointer == 4)
        #expect(try decodeSegment(Self.pointerWithoutURG).urgentPointer == 4, "the field is read whatever the flags")
        #expect(try decodeSegment(IPv4Fixtures.dataHaha).urgentPointer == 0)
    }

    @Test func shownAfterTheWindowWithURG() throws {
        let row = try row(Self.urgent)
        #expect(row.flags == "P.U")
        #expect(row.urgentPointer == 4)
        let line = TimelinePrinter.line(row, columns: .capture(absolute: false))
        let window = try #require(line.range(of: " 64 "))
        let urg = try #require(line.range(of: "urg 4"), "no urg in: \(line)")
        let preview = try #require(line.range(of: "\"haha\""))
        #expect(window.upperBound <= urg.lowerBound && urg.upperBound < preview.lowerBound, "urg not after the window: \(line)")
        #expect(line.contains(" 64         urg 4  \"haha\""), "line: \(line)")
    }

    @Test func notShownWithoutURG() throws {
        let row = try row(Self.pointerWithoutURG)
        #expect(row.urgentPointer == nil)
        #expect(!TimelinePrinter.line(row, columns: .capture(absolute: false)).contains("urg"))
        var json: [UInt8] = []
        row.appendJSON(to: &json)
        #expect(!String(decoding: json, as: UTF8.self).contains("urgentPointer"))
    }

    /// In `--json` between `truncated` and `window` (keys sorted), as JSONEncoder writes the row.
    @Test func inTheJSON() throws {
        let row = try row(Self.urgent)
        var json: [UInt8] = []
        row.appendJSON(to: &json)
        let text = String(decoding: json, as: UTF8.self)
        #expect(text.contains(#""time":1700000000000000,"urgentPointer":4,"window":64"#), "json: \(text)")
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        #expect(text == String(decoding: try encoder.encode(row), as: UTF8.self))
        #expect(try JSONDecoder().decode(SegmentRow.self, from: Data(json)) == row)
    }
}
