import Foundation
import Testing
@testable import TCPLabKit

/// The hand-written JSON of `tcplab decode --json` must say exactly what JSONEncoder would.
@Suite struct SegmentRowJSONTests {
    @Test(arguments: ["broken-pipe", "cooked-sll2", "analysis-zero-window", "broken-pipe-ipv6"])
    func decodesBackToTheSameRows(name: String) throws {
        let rows = try goldenRows(name)
        for row in rows {
            var bytes: [UInt8] = []
            row.appendJSON(to: &bytes)
            let decoded = try JSONDecoder().decode(SegmentRow.self, from: Data(bytes))
            #expect(decoded == row)
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
            let mine = String(decoding: bytes, as: UTF8.self)
            let theirs = String(decoding: try encoder.encode(row), as: UTF8.self)
            #expect(mine == theirs)
        }
    }

    @Test func escapesQuotesBackslashesAndControlCharacters() throws {
        var writer = JSONWriter(buffer: [])
        writer.string("a\"b\\c\nd\u{01}é")
        #expect(String(decoding: writer.buffer, as: UTF8.self) == #""a\"b\\c\nd\u0001é""#)
        let back = try JSONDecoder().decode(String.self, from: Data(writer.buffer))
        #expect(back == "a\"b\\c\nd\u{01}é")
    }
}
