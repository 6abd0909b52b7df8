import ArgumentParser
import TCPLabKit

struct DecodeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "decode",
        abstract: "Print the numbered, decoded, annotated view of a pcap or pcapng file.",
        discussion: "Ethernet, Linux cooked (SLL, SLL2), raw IP and loopback link types; IPv4 and IPv6. Packets that are not TCP are counted and skipped.")

    @Argument(help: "The capture file to read.")
    var file: String

    @Flag(help: "Show raw sequence and acknowledgment numbers instead of relative ones.")
    var absolute = false

    @Flag(help: "Print the segments as JSON.")
    var json = false

    func run() throws {
        let capture: PcapFile
        do { capture = try PcapFile.read(path: file) } catch { throw fail(error.description) }
        let decoded = CaptureDecoding(capture, absolute: absolute)
        if json {
            emitJSON(decoded.rows)
        } else {
            if !decoded.rows.isEmpty { emit(TimelinePrinter.header) }
            for row in decoded.rows { emit(TimelinePrinter.line(row)) }
            emit("")
            emit(decoded.summary)
        }
        if let problem = capture.problem { throw fail(problem, code: 1) }
    }
}
