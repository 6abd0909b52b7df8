import Testing
@testable import TCPLabKit

/// Every segment line of `tcplab decode`'s text starts each column where the header names it,
/// whatever the flags (`FSRP.UEW`), the numbering (absolute ranges of two 10-digit numbers) or
/// the time (negative).
@Suite struct ColumnAlignmentTests {
    static let captures: [String] = trackingCaptureNames

    @Test(arguments: captures, [false, true])
    func columnsLineUpWithTheHeader(name: String, absolute: Bool) throws {
        let rows = try trackingDecoding(name, absolute: absolute).rows
        try expectAligned(DecodeTextView.text(rows, absolute: absolute))
    }

    @Test(arguments: ["broken-pipe", "analysis-zero-window", "mixed-udp-tcp"], [false, true])
    func goldenCapturesLineUpToo(name: String, absolute: Bool) throws {
        try expectAligned(DecodeTextView.text(try goldenRows(name, absolute: absolute), absolute: absolute))
    }

    /// A relative range wider than the column widens it for good: the header is printed again
    /// above it, the lines after it stay in line with each other and with that header, and no
    /// two columns ever touch.
    @Test func aWideRelativeRangeWidensTheColumn() throws {
        var rows = try goldenRows("broken-pipe")
        rows[4].sequenceText = "1000000000:1000001448"
        let text = DecodeTextView.text(rows, absolute: false)
        let lines = text.split(separator: "\n").map(String.init)
        let wide = try #require(lines.firstIndex { $0.contains("1000000000:1000001448") })
        #expect(lines[wide - 1].hasPrefix("   #  "), "the header again above the widened line: \(lines[wide - 1])")
        #expect(lines[wide].contains("1000000000:1000001448 5 "), "one space, then the ack")
        try expectAligned(text)
        // Every later line has its ack (all but the last RST's) where row 5's starts.
        let ack = lines[wide].distance(from: lines[wide].startIndex, to: lines[wide].range(of: "1000001448 ")!.upperBound)
        for line in lines[(wide + 1)..<(lines.count - 1)] {
            let bytes = Array(line.utf8)
            #expect(bytes[ack - 1] == UInt8(ascii: " ") && bytes[ack] != UInt8(ascii: " "), "ack out of line: \(line)")
        }
        var columns = SegmentColumns.capture(absolute: false)
        columns.fit(rows[4])
        #expect(columns.sequence == "1000000000:1000001448".count + 1)
        columns.fit(rows[0])
        #expect(columns.sequence == "1000000000:1000001448".count + 1, "never narrows again")
    }

    @Test func flagsColumnHoldsTcpdumpsEightLetters() {
        #expect(SegmentColumns.capture(absolute: false).flags > "FSRP.UEWe".count)
        #expect(SegmentColumns.capture(absolute: true).sequence > "4294967295:4294967295".count)
        #expect(SegmentColumns.capture(absolute: true).acknowledgment > "4294967295".count)
    }

    /// For each header word, the segment lines have a space just before that column and the
    /// value starting at it (a blank ack aside); `len` is right-aligned under its last letter.
    /// Each line is held to the last header above it (one is printed again where a column widens).
    private func expectAligned(_ text: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let lines = text.split(separator: "\n").map { Array($0.utf8) }
        #expect(lines.first.map { String(decoding: $0, as: UTF8.self).hasPrefix("   #  ") } == true, sourceLocation: sourceLocation)
        var starts: [String: Int] = [:]
        var lenEnd = 0
        var segmentLines = 0
        for line in lines {
            let shown = String(decoding: line, as: UTF8.self)
            if shown.hasPrefix("   #  ") {
                func start(_ word: String) -> Int {
                    let bytes = Array(word.utf8)
                    return (0...(line.count - bytes.count)).first { Array(line[$0..<($0 + bytes.count)]) == bytes }!
                }
                starts = ["who": start("who"), "flags": start("flags"), "seq": start("seq"), "ack": start("ack"), "win": start("win"), "what": start("what")]
                lenEnd = start("len") + 2
                continue
            }
            if shown.hasPrefix("      connection ") { continue }
            segmentLines += 1
            for (word, column) in starts {
                guard column < line.count else { continue }  // "what" may be empty at the end
                #expect(line[column - 1] == UInt8(ascii: " "), "no space before \(word) in: \(shown)", sourceLocation: sourceLocation)
                if word != "ack" && word != "what" {
                    #expect(line[column] != UInt8(ascii: " "), "\(word) does not start at \(column) in: \(shown)", sourceLocation: sourceLocation)
                }
            }
            #expect((UInt8(ascii: "0")...UInt8(ascii: "9")).contains(line[lenEnd]), "len not right-aligned in: \(shown)", sourceLocation: sourceLocation)
            #expect(line[lenEnd + 1] == UInt8(ascii: " "), sourceLocation: sourceLocation)
        }
        #expect(segmentLines > 0, sourceLocation: sourceLocation)
    }
}
