import Foundation
import Testing
@testable import TCPLabKit

/// A capture whose clock went backwards keeps the negative delta, in the text and in the JSON.
@Suite struct NegativeTimeTests {
    @Test func sharedCaseIsMinusOneSecond() throws {
        let rows = try trackingDecoding("time-backwards-shown-as-zero").rows
        #expect(rows.map(\.milliseconds) == [0, -1000])
        #expect(TimelinePrinter.line(rows[1]).contains(" -1000.000 "))
        var json: [UInt8] = []
        rows[1].appendJSON(to: &json)
        #expect(String(decoding: json, as: UTF8.self).contains(#""milliseconds":-1000,"#))
    }

    @Test func backAndForward() throws {
        let rows = try trackingDecoding("time-backwards").rows
        #expect(rows.map(\.milliseconds) == [0, -1500, 250])
        let text = DecodeTextView.text(rows, absolute: false)
        #expect(text.contains("   2  -1500.000  S > C"))
    }

    @Test(arguments: [-1000.0, -0.001, -1500.25, -123456.789])
    func negativeDoublesReadLikeJSONEncoder(value: Double) throws {
        var writer = JSONWriter(buffer: [])
        writer.double(value)
        #expect(String(decoding: writer.buffer, as: UTF8.self) == String(decoding: try JSONEncoder().encode(value), as: UTF8.self))
    }

    @Test(arguments: [(-1000.0, "-1000.000"), (-0.5, "-0.500"), (0.0, "0.000"), (12.25, "12.250")])
    func millisecondsKeepTheirSign(value: Double, text: String) {
        var line = LineBuilder()
        line.milliseconds(value, 0)
        #expect(line.string == text + " ")
    }
}
