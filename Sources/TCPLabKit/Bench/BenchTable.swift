import Foundation

/// The benchmark rows as a text table for the terminal and as CSV for spreadsheets and plots.
public enum BenchTable {
    static let headers = ["model", "clients", "req/conn", "requests/s", "p50 ms", "p99 ms", "peak RSS MB",
                          "threads", "procs", "served", "refused", "srv CPU%", "srv wait%", "gen CPU%", "gen wait%", "setup s", "note"]

    /// Aligned columns (numbers right-aligned), one line per row; a skipped row says why.
    public static func text(_ rows: [BenchRow]) -> [String] {
        let cells = [headers] + rows.map(textCells)
        let widths = headers.indices.dropLast().map { column in cells.map { $0.count > column ? $0[column].count : 0 }.max() ?? 0 }
        return cells.map { line in
            var out = ""
            for (column, cell) in line.enumerated() {
                if column == line.count - 1 { out += cell; break }
                let pad = String(repeating: " ", count: max(0, widths[column] - cell.count))
                out += (column == 0 ? cell + pad : pad + cell) + "  "
            }
            return out.trimmingCharacters(in: .whitespaces)
        }
    }

    private static func textCells(_ row: BenchRow) -> [String] {
        if let skipped = row.skipped {
            return [row.model.rawValue, String(row.clients)] + Array(repeating: "-", count: headers.count - 3) + ["skipped: \(skipped)"]
        }
        return [row.model.rawValue, String(row.clients), String(row.requestsPerConnection), fixed(row.requestsPerSecond, 0),
                row.p50Milliseconds.map { fixed($0, 3) } ?? "-", row.p99Milliseconds.map { fixed($0, 3) } ?? "-",
                fixed(Double(row.peakRSSKilobytes) / 1024, 1), String(row.threads), String(row.processes),
                String(row.served), String(row.refused), fixed(row.serverCPUPercent, 0), fixed(row.serverWaitPercent, 0),
                fixed(row.generatorCPUPercent, 0), fixed(row.generatorWaitPercent, 0), fixed(row.setupSeconds, 2),
                row.note]
    }

    static let csvHeaders = ["model", "clients", "requests_per_connection", "skipped", "requests", "seconds",
                             "requests_per_second", "p50_ms", "p99_ms", "peak_rss_kb", "threads", "processes",
                             "served", "refused", "broken", "unfinished", "connect_failed", "server_cpu_percent",
                             "server_wait_percent", "generator_cpu_percent", "generator_wait_percent", "setup_seconds", "note"]

    /// RFC 4180 CSV: a header line, then one line per row; empty cells for what a skipped row lacks.
    public static func csv(_ rows: [BenchRow]) -> String {
        var lines = [csvHeaders.joined(separator: ",")]
        for row in rows {
            let measured = row.skipped == nil
            let cells: [String] = [
                row.model.rawValue, String(row.clients), String(row.requestsPerConnection), row.skipped ?? "",
                measured ? String(row.requests) : "", measured ? fixed(row.seconds, 3) : "",
                measured ? fixed(row.requestsPerSecond, 1) : "",
                row.p50Milliseconds.map { fixed($0, 4) } ?? "", row.p99Milliseconds.map { fixed($0, 4) } ?? "",
                measured ? String(row.peakRSSKilobytes) : "", measured ? String(row.threads) : "",
                measured ? String(row.processes) : "", measured ? String(row.served) : "", measured ? String(row.refused) : "",
                measured ? String(row.broken) : "", measured ? String(row.unfinished) : "",
                measured ? String(row.connectFailed) : "", measured ? fixed(row.serverCPUPercent, 1) : "",
                measured ? fixed(row.serverWaitPercent, 1) : "", measured ? fixed(row.generatorCPUPercent, 1) : "",
                measured ? fixed(row.generatorWaitPercent, 1) : "", measured ? fixed(row.setupSeconds, 3) : "", row.note,
            ]
            lines.append(cells.map(quoted).joined(separator: ","))
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// A CSV field, in double quotes (doubled inside) when it holds a comma, quote or newline.
    static func quoted(_ field: String) -> String {
        guard field.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" }) else { return field }
        return "\"" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    static func fixed(_ value: Double, _ digits: Int) -> String { String(format: "%.\(digits)f", value) }
}
