import Testing
@testable import TCPLabKit

/// A capture with 100 connections or more: `C100 > S` is wider than the `who` column's first
/// width, and the lines must stay in line with each other whatever connection they belong to.
@Suite struct ManyConnectionsTests {
    /// A pcap file (little-endian, microsecond timestamps, LINKTYPE_ETHERNET) holding `frames`,
    /// the n-th stamped n milliseconds after the first.
    static func pcap(_ frames: [[UInt8]]) -> [UInt8] {
        func le32(_ value: UInt32) -> [UInt8] { withUnsafeBytes(of: value.littleEndian) { Array($0) } }
        var bytes: [UInt8] = [0xd4, 0xc3, 0xb2, 0xa1]  // magic: microsecond pcap, little-endian
        bytes += [0x02, 0x00, 0x04, 0x00]  // version 2.4
        bytes += le32(0) + le32(0)  // thiszone, sigfigs
        bytes += le32(65535)  // snaplen
        bytes += le32(1)  // LINKTYPE_ETHERNET
        for (index, frame) in frames.enumerated() {
            bytes += le32(1_700_000_000) + le32(UInt32(index) * 1000)  // ts_sec, ts_usec
            bytes += le32(UInt32(frame.count)) + le32(UInt32(frame.count))  // captured, original length
            bytes += frame
        }
        return bytes
    }

    /// 100 SYNs from 127.0.0.1 ports 32854 … 32953 to 7777 (connections 1 … 100: the recorded
    /// SYN with its source port at byte 34 changed), then the recorded SYN-ACK to port 32854,
    /// which belongs to connection 1.
    static func hundredConnections() throws -> CaptureDecoding {
        var frames: [[UInt8]] = []
        for offset in 0..<100 {
            let port = UInt16(32854 + offset)
            frames.append(IPv4Fixtures.syn.replacing(at: 34, with: [UInt8(port >> 8), UInt8(port & 0xff)]))
        }
        frames.append(IPv4Fixtures.synAck)
        return CaptureDecoding(try PcapFile.read(bytes: pcap(frames), name: "hundred.pcap"), absolute: false)
    }

    /// Where the n-th field (0-based) of a segment line starts: fields are separated by spaces,
    /// `#`, `t ms`, the three parts of `who`, then flags.
    private func fieldStart(_ line: String, _ field: Int) -> Int? {
        let bytes = Array(line.utf8)
        var seen = -1
        for index in bytes.indices where bytes[index] != UInt8(ascii: " ") && (index == 0 || bytes[index - 1] == UInt8(ascii: " ")) {
            seen += 1
            if seen == field { return index }
        }
        return nil
    }

    /// From C100 on, every line (connection 1's SYN-ACK after it included) has its flags and
    /// seq at the same place: the column widened for good when C100 came.
    @Test func connectionHundredKeepsTheColumnsInLine() throws {
        let decoding = try Self.hundredConnections()
        #expect(decoding.rows.count == 101)
        #expect(decoding.rows[99].connection == 100)
        #expect(decoding.rows[100].connection == 1 && decoding.rows[100].direction == .serverToClient)
        let lines = DecodeTextView.text(decoding.rows, absolute: false).split(separator: "\n").map(String.init)
        let segmentLines = lines.filter { !$0.hasPrefix("      connection ") }.dropFirst()
        let fromHundred = Array(segmentLines.drop { !$0.contains("C100 > S") })
        #expect(fromHundred.count == 2)
        #expect(fromHundred.last?.contains("S > C ") == true)
        for field in [5, 6] {  // flags, seq
            let starts = fromHundred.map { fieldStart($0, field) }
            #expect(Set(starts).count == 1, "field \(field) out of line:\n\(fromHundred.joined(separator: "\n"))")
        }
    }

    /// Where `who` widens, the header is printed again in the new widths, so the lines after it
    /// sit under their column names as the first lines sit under the first header.
    @Test func theHeaderIsPrintedAgainWhereTheColumnsWiden() throws {
        let decoding = try Self.hundredConnections()
        let lines = DecodeTextView.text(decoding.rows, absolute: false).split(separator: "\n").map(String.init)
        let headers = lines.indices.filter { lines[$0].hasPrefix("   #  ") }
        #expect(headers.count == 2, "\(lines.prefix(3))")
        let second = try #require(headers.last)
        #expect(lines[second + 1].hasPrefix("      connection 100:"), "the header comes before C100's lines")
        for (header, line) in [(lines[headers[0]], lines[headers[0] + 2]), (lines[second], lines[second + 2])] {
            #expect(header.utf8.firstIndex(of: UInt8(ascii: "f")).map { header.utf8.distance(from: header.utf8.startIndex, to: $0) }
                    == fieldStart(line, 5), "flags not under its name:\n\(header)\n\(line)")
        }
    }

    /// The width `who` needs: `C100 > S` and a space; never narrower again.
    @Test func whoColumnFitsTheConnectionNumber() throws {
        let rows = try Self.hundredConnections().rows
        var columns = SegmentColumns.capture(absolute: false)
        let first = columns
        columns.fit(rows[0])
        #expect(columns == first, "C > S fits the first width")
        columns.fit(rows[99])
        let hundred = columns
        #expect(TimelinePrinter.line(rows[99], columns: hundred).contains("C100 > S S "))
        columns.fit(rows[100])
        #expect(columns == hundred, "never narrows again")
        #expect(TimelinePrinter.line(rows[100], columns: hundred).contains("S > C    S. "))
    }
}
