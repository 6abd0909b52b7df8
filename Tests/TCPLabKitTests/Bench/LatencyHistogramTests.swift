import Foundation
import Testing
@testable import TCPLabKit

/// Percentiles read from the log-linear buckets stay within the 1/32 bucket width of the truth.
@Suite struct LatencyHistogramTests {
    @Test func smallValuesAreExact() {
        var histogram = LatencyHistogram()
        for value in UInt64(1)...50 { histogram.record(nanoseconds: value) }
        #expect(histogram.count == 50)
        #expect(histogram.percentile(0.5) == 25)
        #expect(histogram.percentile(0.99) == 50)
        #expect(histogram.percentile(1.0) == 50)
    }

    @Test func largeValuesWithinThreePercent() throws {
        var histogram = LatencyHistogram()
        // 1 µs … 10 ms in 1 µs steps: p50 is 5 ms, p99 9.9 ms.
        for micro in UInt64(1)...10_000 { histogram.record(nanoseconds: micro * 1000) }
        let p50 = Double(try #require(histogram.percentile(0.5)))
        let p99 = Double(try #require(histogram.percentile(0.99)))
        #expect(abs(p50 - 5_000_000) / 5_000_000 < 1.0 / 32)
        #expect(abs(p99 - 9_900_000) / 9_900_000 < 1.0 / 32)
    }

    @Test func emptyHasNoPercentile() {
        #expect(LatencyHistogram().percentile(0.5) == nil)
    }

    @Test func bucketsAreContiguousAndMiddlesInside() {
        // Every value maps to a bucket whose middle is within the bucket's width of it.
        for value: UInt64 in [64, 65, 127, 128, 1000, 65_535, 65_536, 1_000_000_007, 1 << 40] {
            let middle = LatencyHistogram.middle(of: LatencyHistogram.bucket(of: value))
            #expect(abs(Double(middle) - Double(value)) <= Double(value) / 32 + 1, "value \(value) middle \(middle)")
        }
        #expect(LatencyHistogram.bucket(of: 63) + 1 == LatencyHistogram.bucket(of: 64))
    }

    @Test func mergeAddsAndSparseCodingRoundTrips() throws {
        var first = LatencyHistogram(), second = LatencyHistogram()
        for value in UInt64(1)...100 { first.record(nanoseconds: value * 10_000) }
        for value in UInt64(101)...200 { second.record(nanoseconds: value * 10_000) }
        first.merge(second)
        #expect(first.count == 200)
        let data = try JSONEncoder().encode(first)
        #expect(String(decoding: data, as: UTF8.self).hasPrefix("{\"buckets\":[["))
        #expect(try JSONDecoder().decode(LatencyHistogram.self, from: data) == first)
    }
}
