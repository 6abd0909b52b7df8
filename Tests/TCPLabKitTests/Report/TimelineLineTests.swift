import Testing
@testable import TCPLabKit

/// The column layout of one timeline line, against golden strings.
@Suite struct TimelineLineTests {
    @Test func header() {
        #expect(TimelinePrinter.header == "   #   t ms      who     flags  seq        ack     len  win     what")
    }

    @Test func recordedRows() throws {
        let rows = describeAll(try capturedSegments(recordedConversation))
        #expect(TimelinePrinter.line(rows[0])
            == "   1  0.000     C > S   S      0                    0  65495   SYN  mss 65495, sackOK, TS val 1320722789 ecr 0, wscale 10")
        #expect(TimelinePrinter.line(rows[3])
            == #"   4  3.000     C > S   P.     1:5        1         4  65536   "haha"  TS val 1320722990 ecr 1797274769"#)
        #expect(TimelinePrinter.line(rows[6])
            == "   7  6.000     S > C   R      6                    0  0       RST: data for a socket nobody holds (server had closed)")
    }

    @Test func previewAndAnnotationTogether() {
        let row = SegmentRow(
            number: 123, time: 0, milliseconds: 1234.5678, connection: 2, direction: .serverToClient,
            source: "127.0.0.1:7777", destination: "127.0.0.1:40000", flags: "FP.", sequence: 5,
            acknowledgment: 9, length: 3, window: 512, options: [], payloadPreview: #""bye""#,
            annotation: "FIN: server closes its side", sequenceText: "5:8")
        #expect(TimelinePrinter.line(row)
            == #" 123  1234.568  S > C2  FP.    5:8        9         3  512     "bye"  FIN: server closes its side"#)
    }

    @Test func absoluteColumnsStayApart() throws {
        let rows = describeAll(try capturedSegments(recordedConversation), absolute: true)
        let fields = TimelinePrinter.line(rows[3]).split(separator: " ")
        #expect(fields.contains("1104698724:1104698728"))
        #expect(fields.contains("449087668"))
    }
}
