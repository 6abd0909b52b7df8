import Foundation
import Testing

/// An independent look at a run's `--pcap`: tcpdump itself reads the file with a BPF filter over
/// raw header bytes, so what it finds owes nothing to tcplab's decoder or analysis.
struct IndependentTcpdump {
    let pcap: String

    static var path: String? {
        ["/usr/bin/tcpdump", "/usr/sbin/tcpdump"].first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    /// `tcpdump -r PCAP -nn -S [-ttt] FILTER`, its output lines (the "reading from file" banner is on stderr).
    func lines(_ filter: String, deltas: Bool = false) throws -> [String] {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try #require(Self.path, "tcpdump is not installed"))
        process.arguments = ["-r", pcap, "-nn", "-S"] + (deltas ? ["-ttt"] : []) + [filter]
        let out = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle.nullDevice
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(decoding: data, as: UTF8.self).split(separator: "\n").map(String.init)
    }

    /// The client's initial sequence number, from its SYN as tcpdump prints it (`seq 123,`).
    func clientISN(serverPort: Int) throws -> UInt32 {
        let syn = try #require(try lines("tcp dst port \(serverPort) and tcp[tcpflags] == tcp-syn").first, "no SYN in \(pcap)")
        let field = try #require(syn.range(of: "seq ").map { syn[$0.upperBound...].prefix { $0.isNumber } }, "no seq in \(syn)")
        return try #require(UInt32(field))
    }

    /// Seconds between consecutive lines of `-ttt` output (`00:00:01.024079 IP …`), skipping the first.
    static func deltas(_ lines: [String]) -> [Double] {
        lines.dropFirst().compactMap { line in
            let parts = line.split(separator: " ").first?.split(separator: ":") ?? []
            guard parts.count == 3, let h = Double(parts[0]), let m = Double(parts[1]), let s = Double(parts[2]) else { return nil }
            return h * 3600 + m * 60 + s
        }
    }
}
