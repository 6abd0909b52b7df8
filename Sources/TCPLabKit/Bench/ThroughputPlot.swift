import Foundation

/// The benchmark as a picture: requests/s against the number of clients, one line per model,
/// clients on a logarithmic axis (10, 100, 1,000, 10,000 are evenly spaced). Plain SVG 1.1 text,
/// so it opens in any browser and converts with rsvg-convert.
public enum ThroughputPlot {
    static let width = 820.0, height = 500.0
    static let left = 90.0, right = 170.0, top = 50.0, bottom = 70.0
    static let colors = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#17becf", "#8c564b", "#e377c2"]

    /// The SVG document for the measured rows (skipped rows are left out; their absence is the
    /// table's to explain). `subtitle` says when and how it was measured.
    public static func svg(_ rows: [BenchRow], subtitle: String = "") -> String {
        let measured = rows.filter { $0.skipped == nil && $0.clients > 0 }
        var models: [BenchModel] = []
        for row in measured where !models.contains(row.model) { models.append(row.model) }
        let clients = measured.map { Double($0.clients) }
        let low = floor(log10(clients.min() ?? 10)), rawHigh = ceil(log10(clients.max() ?? 1000))
        let high = rawHigh > low ? rawHigh : low + 1
        let (yMax, yStep) = niceScale(measured.map(\.requestsPerSecond).max() ?? 1)
        let plotWidth = width - left - right, plotHeight = height - top - bottom
        func x(_ value: Double) -> Double { left + (log10(value) - low) / (high - low) * plotWidth }
        func y(_ value: Double) -> Double { top + plotHeight - value / yMax * plotHeight }

        var out: [String] = []
        out.append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>")
        out.append("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(n(width))\" height=\"\(n(height))\" viewBox=\"0 0 \(n(width)) \(n(height))\" font-family=\"sans-serif\" font-size=\"12\">")
        out.append("<rect width=\"100%\" height=\"100%\" fill=\"white\"/>")
        out.append("<text x=\"\(n(left))\" y=\"22\" font-size=\"16\" font-weight=\"bold\">Requests per second by concurrency model</text>")
        if !subtitle.isEmpty { out.append("<text x=\"\(n(left))\" y=\"40\" fill=\"#555\">\(escaped(subtitle))</text>") }
        // Grid and ticks: decades with labels, 2…9 as faint lines; y in nice steps.
        for decade in Int(low)...Int(high) {
            let value = pow(10, Double(decade))
            out.append("<line x1=\"\(n(x(value)))\" y1=\"\(n(top))\" x2=\"\(n(x(value)))\" y2=\"\(n(top + plotHeight))\" stroke=\"#ccc\"/>")
            out.append("<text x=\"\(n(x(value)))\" y=\"\(n(top + plotHeight + 18))\" text-anchor=\"middle\">\(grouped(value))</text>")
            if decade < Int(high) {
                for step in 2...9 {
                    let minor = x(Double(step) * value)
                    out.append("<line x1=\"\(n(minor))\" y1=\"\(n(top))\" x2=\"\(n(minor))\" y2=\"\(n(top + plotHeight))\" stroke=\"#eee\"/>")
                }
            }
        }
        var tick = 0.0
        while tick <= yMax + yStep / 2 {
            out.append("<line x1=\"\(n(left))\" y1=\"\(n(y(tick)))\" x2=\"\(n(left + plotWidth))\" y2=\"\(n(y(tick)))\" stroke=\"#ddd\"/>")
            out.append("<text x=\"\(n(left - 8))\" y=\"\(n(y(tick) + 4))\" text-anchor=\"end\">\(grouped(tick))</text>")
            tick += yStep
        }
        out.append("<rect x=\"\(n(left))\" y=\"\(n(top))\" width=\"\(n(plotWidth))\" height=\"\(n(plotHeight))\" fill=\"none\" stroke=\"#333\"/>")
        out.append("<text x=\"\(n(left + plotWidth / 2))\" y=\"\(n(height - 22))\" text-anchor=\"middle\" font-size=\"13\">concurrent clients (log scale)</text>")
        out.append("<text transform=\"translate(22 \(n(top + plotHeight / 2))) rotate(-90)\" text-anchor=\"middle\" font-size=\"13\">requests per second</text>")
        // One line per model, then the legend.
        for (index, model) in models.enumerated() {
            let color = colors[index % colors.count]
            let points = measured.filter { $0.model == model }.sorted { $0.clients < $1.clients }
            let coordinates = points.map { "\(n(x(Double($0.clients)))),\(n(y($0.requestsPerSecond)))" }
            out.append("<g class=\"model\" data-model=\"\(escaped(model.rawValue))\">")
            out.append("<polyline fill=\"none\" stroke=\"\(color)\" stroke-width=\"2\" points=\"\(coordinates.joined(separator: " "))\"/>")
            for point in points {
                out.append("<circle cx=\"\(n(x(Double(point.clients))))\" cy=\"\(n(y(point.requestsPerSecond)))\" r=\"3.5\" fill=\"\(color)\"/>")
                // A point where the server turned clients away is not the same load: say so on it.
                if point.refused > 0 {
                    out.append("<text x=\"\(n(x(Double(point.clients)) - 6))\" y=\"\(n(y(point.requestsPerSecond) + 16))\" text-anchor=\"end\" fill=\"\(color)\" font-size=\"11\" stroke=\"white\" stroke-width=\"3\" paint-order=\"stroke\">\(escaped(model.rawValue)): \(grouped(Double(point.served))) served, \(grouped(Double(point.refused))) refused</text>")
                }
            }
            out.append("</g>")
            let legendY = top + 10 + Double(index) * 20
            out.append("<line x1=\"\(n(left + plotWidth + 16))\" y1=\"\(n(legendY))\" x2=\"\(n(left + plotWidth + 40))\" y2=\"\(n(legendY))\" stroke=\"\(color)\" stroke-width=\"2\"/>")
            out.append("<text x=\"\(n(left + plotWidth + 46))\" y=\"\(n(legendY + 4))\">\(escaped(model.rawValue))</text>")
        }
        out.append("</svg>")
        return out.joined(separator: "\n") + "\n"
    }

    /// An axis maximum at or above `maximum` and a step of 1, 2 or 5 times a power of ten, about
    /// five steps in all.
    static func niceScale(_ maximum: Double) -> (maximum: Double, step: Double) {
        let target = max(maximum, 1) / 5
        let power = pow(10, floor(log10(target)))
        let step = [1.0, 2, 5, 10].map { $0 * power }.first { $0 >= target } ?? 10 * power
        return ((max(maximum, 1) / step).rounded(.up) * step, step)
    }

    /// `10,000`: a whole number with thousands separators.
    static func grouped(_ value: Double) -> String {
        var digits = String(Int(value.rounded()))
        var groups: [String] = []
        while digits.count > 3 {
            groups.insert(String(digits.suffix(3)), at: 0)
            digits = String(digits.dropLast(3))
        }
        return ([digits] + groups).joined(separator: ",")
    }

    private static func n(_ value: Double) -> String { String(format: "%.1f", value) }

    private static func escaped(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }
}
