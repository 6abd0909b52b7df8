import Foundation

/// One axis of a graph: the range it spans and its "nice" ticks, steps of 1, 2 or 5 × 10^n as
/// Wireshark's stream graphs (and most plotting tools) choose them, so a student reads `200`,
/// `400`, `600` rather than `159.483`.
public struct GraphAxis: Sendable, Equatable {
    /// The values at the two ends of the axis, `lower < upper`.
    public let lower: Double
    public let upper: Double
    /// The tick step: 1, 2 or 5 × 10^n.
    public let step: Double
    /// Every multiple of `step` within `lower...upper`, ascending.
    public let ticks: [Double]

    /// An axis over `lower...upper` with the finest 1, 2 or 5 × 10^n step (not below
    /// `minimumStep`) that puts at most `maxTicks` ticks on it. A range of zero width is widened
    /// to `minimumStep` (or 0.001).
    public init(lower: Double, upper: Double, maxTicks: Int = 8, minimumStep: Double = 0) {
        var upper = upper
        if upper <= lower { upper = lower + max(minimumStep, 1e-3) }
        self.lower = lower
        self.upper = upper
        let step = Self.niceStep(lower: lower, upper: upper, maxTicks: max(maxTicks, 2), minimumStep: minimumStep)
        self.step = step
        var ticks: [Double] = []
        var index = (lower / step - 1e-9).rounded(.up)
        while index * step <= upper + step * 1e-9 {
            ticks.append(Self.tidy(index * step, step: step))
            index += 1
        }
        self.ticks = ticks
    }

    /// The finest 1, 2 or 5 × 10^n ≥ `minimumStep` with at most `maxTicks` multiples in `lower...upper`.
    static func niceStep(lower: Double, upper: Double, maxTicks: Int, minimumStep: Double) -> Double {
        let magnitude = pow10(Int(log10((upper - lower) / Double(maxTicks)).rounded(.down)))
        for factor in [1.0, 2, 5, 10, 20, 50, 100] {
            let step = factor * magnitude
            guard step >= minimumStep * (1 - 1e-9) else { continue }
            let count = (upper / step + 1e-9).rounded(.down) - (lower / step - 1e-9).rounded(.up) + 1
            if count <= Double(maxTicks) { return step }
        }
        return max(100 * magnitude, minimumStep)
    }

    /// How many decimals a tick label needs so that every tick of `step` is exact: 0 for 1, 10,
    /// 200; 1 for 0.5; 3 for 0.002.
    public var decimals: Int { step >= 1 ? 0 : Int((-log10(step)).rounded(.up)) }

    /// `value` as a tick label with `decimals` decimals (`0.25`, `400`).
    public func label(_ value: Double) -> String {
        guard decimals > 0 else { return String(Int(value.rounded())) }
        let scale = pow10(decimals)
        let scaled = Int((abs(value) * scale).rounded())
        let fraction = String(scaled % Int(scale))
        return (value < 0 && scaled > 0 ? "-" : "") + "\(scaled / Int(scale)).\(String(repeating: "0", count: decimals - fraction.count))\(fraction)"
    }

    private static func tidy(_ value: Double, step: Double) -> Double {
        // 0.1 × 3 is 0.30000000000000004: round to the step's own precision.
        let scale = pow10(max(0, Int((-log10(step)).rounded(.up)) + 1))
        return (value * scale).rounded() / scale
    }
}

private func pow10(_ exponent: Int) -> Double {
    var result = 1.0
    if exponent >= 0 { for _ in 0..<exponent { result *= 10 } } else { for _ in 0..<(-exponent) { result /= 10 } }
    return result
}
