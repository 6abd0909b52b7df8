import Foundation
import Testing
@testable import TCPLabKit

/// `captures/fidelity/`: small captures, one per kind of frame (written by `make.py` there),
/// and the files of the shared cases tcplab once read wrong.
let fidelityDirectory = capturesDirectory.appendingPathComponent("fidelity")

/// The corpus's capture files, by name with extension, sorted.
func fidelityCaptures() throws -> [String] {
    try FileManager.default.contentsOfDirectory(atPath: fidelityDirectory.path)
        .filter { $0.hasSuffix(".pcap") || $0.hasSuffix(".pcapng") }
        .sorted()
}

/// One TCP segment as `tcpdump -n -S -v -tt -r FILE` printed it, fields as text.
struct TcpdumpSegment: Equatable, CustomStringConvertible {
    /// The packet's position in the file, from 1 (tcpdump prints one header line per packet).
    var frame: Int
    /// Seconds.microseconds, as `-tt` prints them.
    var time: String
    /// `192.0.2.1:40000` or `[2001:db8::1]:40000`: tcpdump's `192.0.2.1.40000`, in tcplab's spelling.
    var source: String
    var destination: String
    var flags: String
    /// `1000` or `2000:2148`; nil when tcpdump printed none (no data, no SYN/FIN/RST).
    var sequence: String?
    var acknowledgment: UInt32?
    var window: UInt16?
    /// `urg N`, which tcpdump prints after the window only when URG is set.
    var urgentPointer: UInt16?
    /// The options list split at its top-level commas, a run of N nops (or eols) as one entry,
    /// `nop` or `nop xN`, as tcplab shows them; `[|tcp]` alone when the fixed header was cut.
    var options: [String]
    /// `length N`; nil when tcpdump stopped at a cut (`[|tcp]`).
    var length: Int?
    /// `truncated-ip - N bytes missing!` or the ip6 form, when the packet's header line had it.
    var truncatedIP: String?

    var description: String {
        "#\(frame) \(source) > \(destination) [\(flags)] seq \(sequence ?? "-") ack \(acknowledgment.map(String.init) ?? "-") "
            + "win \(window.map(String.init) ?? "-") [\(options.joined(separator: ","))] length \(length.map(String.init) ?? "-")"
            + (truncatedIP.map { " \($0)" } ?? "")
    }
}

/// Runs tcpdump on a capture and reads its TCP lines back.
enum TcpdumpReading {
    /// tcpdump's path: it is installed wherever the tests run (scripts/setup.sh, CI); a missing
    /// tcpdump fails the test rather than skipping it.
    static func tcpdumpPath() -> String? {
        for directory in ["/usr/bin", "/usr/sbin", "/usr/local/bin", "/usr/local/sbin"] {
            let path = directory + "/tcpdump"
            if FileManager.default.isExecutableFile(atPath: path) { return path }
        }
        return nil
    }

    /// `tcpdump -n -S -v -tt -r PATH`'s standard output and exit status.
    static func run(_ path: String) throws -> (output: String, status: Int32) {
        let tcpdump = try #require(tcpdumpPath(), "tcpdump is not installed: scripts/setup.sh installs it")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: tcpdump)
        process.arguments = ["-n", "-S", "-v", "-tt", "-r", path]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (String(decoding: data, as: UTF8.self), process.terminationStatus)
    }

    /// The TCP segments of tcpdump's output, each with its frame number.
    static func parse(_ output: String) -> [TcpdumpSegment] {
        var segments: [TcpdumpSegment] = []
        var frame = 0
        var time = ""
        var truncatedIP: String?
        for line in output.split(separator: "\n", omittingEmptySubsequences: false) {
            let text = String(line)
            if let first = text.first, first.isNumber {
                frame += 1
                time = String(text.prefix { $0 != " " })
                truncatedIP = text.firstMatch(of: /truncated-ip6? - \d+ bytes missing!/).map { String($0.output) }
            }
            // A fixed header cut after the ports: tcpdump prints them and the mark alone.
            if let cut = text.firstMatch(of: /(\S+)\.(\d+) > (\S+)\.(\d+):  \[\|tcp\]/) {
                segments.append(TcpdumpSegment(
                    frame: frame, time: time,
                    source: endpoint(String(cut.output.1), String(cut.output.2)),
                    destination: endpoint(String(cut.output.3), String(cut.output.4)),
                    flags: "", options: ["[|tcp]"], truncatedIP: truncatedIP))
                continue
            }
            guard let match = text.firstMatch(of: /(\S+)\.(\d+) > (\S+)\.(\d+): Flags \[([^\]]*)\]/) else { continue }
            let rest = String(text[match.range.upperBound...])
            var segment = TcpdumpSegment(
                frame: frame, time: time,
                source: endpoint(String(match.output.1), String(match.output.2)),
                destination: endpoint(String(match.output.3), String(match.output.4)),
                flags: String(match.output.5), options: [], truncatedIP: truncatedIP)
            segment.sequence = rest.firstMatch(of: /, seq (\d+(?::\d+)?)/).map { String($0.output.1) }
            segment.acknowledgment = rest.firstMatch(of: /, ack (\d+)/).flatMap { UInt32($0.output.1) }
            segment.window = rest.firstMatch(of: /, win (\d+)/).flatMap { UInt16($0.output.1) }
            segment.urgentPointer = rest.firstMatch(of: /, urg (\d+)/).flatMap { UInt16($0.output.1) }
            if let start = rest.range(of: ", options [") {
                var list = String(rest[start.upperBound...])
                if let end = list.range(of: "], length ") {
                    list = String(list[..<end.lowerBound])
                } else if list.hasSuffix(">") {
                    list.removeLast()  // after a cut tcpdump closes with ">"
                }
                segment.options = collapsingPadding(splitOptions(list))
            }
            segment.length = rest.firstMatch(of: /\], length (\d+)|, length (\d+)/).flatMap { match in
                Int(match.output.1 ?? match.output.2 ?? "")
            }
            segments.append(segment)
        }
        return segments
    }

    /// Splits at commas outside braces (an MPTCP key pair `{0x1,0x2}` holds one) and outside the
    /// md5 option's own sentence; trims spaces.
    static func splitOptions(_ list: String) -> [String] {
        var parts: [String] = []
        var current = ""
        var depth = 0
        for character in list {
            switch character {
            case "{": depth += 1; current.append(character)
            case "}": depth -= 1; current.append(character)
            case "," where depth == 0:
                parts.append(current.trimmingCharacters(in: .whitespaces))
                current = ""
            default: current.append(character)
            }
        }
        if !current.isEmpty { parts.append(current.trimmingCharacters(in: .whitespaces)) }
        // The md5 option's own text has a comma: "md5 shared secret not supplied with -M, can't check - …".
        var joined: [String] = []
        for part in parts {
            if part.hasPrefix("can't check"), let previous = joined.popLast() {
                joined.append(previous + ", " + part)
            } else {
                joined.append(part)
            }
        }
        return joined
    }

    /// tcpdump's `nop,nop,TS …` as tcplab shows it: each run of equal padding entries (`nop`,
    /// `eol`) as one, `nop` or `nop xN`.
    static func collapsingPadding(_ options: [String]) -> [String] {
        var result: [String] = []
        var index = 0
        while index < options.count {
            let option = options[index]
            var run = 1
            if option == "nop" || option == "eol" {
                while index + run < options.count, options[index + run] == option { run += 1 }
            }
            result.append(run == 1 ? option : "\(option) x\(run)")
            index += run
        }
        return result
    }

    private static func endpoint(_ address: String, _ port: String) -> String {
        address.contains(":") ? "[\(address)]:\(port)" : "\(address):\(port)"
    }
}
