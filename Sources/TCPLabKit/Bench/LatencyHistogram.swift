/// Request latencies, counted in log-linear buckets so a million samples take a few kilobytes and
/// two load generators' histograms add up exactly.
///
/// Values below 64 ns have a bucket each; above, every power of two is split into 32 buckets,
/// so a bucket is at most 1/32 (about 3 %) of its value wide and a percentile read from it is
/// within 3 % of the sample's true value (HdrHistogram's idea, much simplified).
public struct LatencyHistogram: Sendable, Equatable, Codable {
    private static let exact = 64
    private static let perPowerOfTwo = 32
    private static let bucketCount = exact + (63 - 6) * perPowerOfTwo

    private var counts: [UInt64]
    /// How many latencies were recorded.
    public private(set) var count: UInt64 = 0

    public init() { counts = [UInt64](repeating: 0, count: Self.bucketCount) }

    /// Records one latency in nanoseconds.
    public mutating func record(nanoseconds value: UInt64) {
        counts[Self.bucket(of: value)] += 1
        count += 1
    }

    /// Adds another histogram's samples (a second load generator's).
    public mutating func merge(_ other: LatencyHistogram) {
        for index in counts.indices { counts[index] += other.counts[index] }
        count += other.count
    }

    /// The latency below which `fraction` (0.5 for p50, 0.99 for p99) of the samples fall, in
    /// nanoseconds: the middle of the bucket holding that sample; nil when nothing was recorded.
    public func percentile(_ fraction: Double) -> UInt64? {
        guard count > 0 else { return nil }
        let rank = max(1, UInt64((fraction * Double(count)).rounded(.up)))
        var seen: UInt64 = 0
        for (index, bucketCount) in counts.enumerated() where bucketCount > 0 {
            seen += bucketCount
            if seen >= rank { return Self.middle(of: index) }
        }
        return Self.middle(of: counts.count - 1)
    }

    static func bucket(of value: UInt64) -> Int {
        if value < UInt64(exact) { return Int(value) }
        let power = 63 - value.leadingZeroBitCount  // 6 or more
        let sub = Int((value >> UInt64(power - 5)) & 31)
        return min(bucketCount - 1, exact + (power - 6) * perPowerOfTwo + sub)
    }

    static func middle(of bucket: Int) -> UInt64 {
        if bucket < exact { return UInt64(bucket) }
        let power = (bucket - exact) / perPowerOfTwo + 6
        let sub = UInt64((bucket - exact) % perPowerOfTwo)
        let width = UInt64(1) << UInt64(power - 5)
        return (UInt64(1) << UInt64(power)) + sub * width + width / 2
    }

    // Sparse coding: [[bucket, count], …] for the buckets in use; a report note stays small.
    private enum CodingKeys: String, CodingKey { case buckets }

    public init(from decoder: any Decoder) throws {
        self.init()
        let container = try decoder.container(keyedBy: CodingKeys.self)
        for pair in try container.decode([[UInt64]].self, forKey: .buckets) where pair.count == 2 && pair[0] < UInt64(counts.count) {
            counts[Int(pair[0])] += pair[1]
            count += pair[1]
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        let used = counts.enumerated().filter { $0.element > 0 }.map { [UInt64($0.offset), $0.element] }
        try container.encode(used, forKey: .buckets)
    }
}
