import ArgumentParser
import Foundation
import TCPLabKit

struct DecodeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "decode",
        abstract: "Print the numbered, decoded, annotated view of a pcap or pcapng file.",
        discussion: "Ethernet (with stacked VLAN tags, MPLS, PPPoE, 802.3 LLC/SNAP), Linux cooked (SLL, SLL2), PPP, Cisco HDLC, raw IP and loopback link types; pcap and pcapng (each packet with its interface's link type); IPv4 and IPv6. Packets that are not TCP are counted and skipped. The file is read as a stream, so any size works, from a pipe too.")

    @Argument(help: "The capture file to read; - reads standard input, as tcpdump -r - does. A shipped capture named by its path in the package (captures/broken-pipe.pcap) is found from any directory, as --replay finds the recordings.",
              completion: .file(extensions: ["pcap", "pcapng"]))
    var file: String

    @Flag(help: "Show raw sequence and acknowledgment numbers instead of relative ones.")
    var absolute = false

    @Flag(help: "Print the segments as JSON, one array of rows.")
    var json = false

    @Flag(help: "After the segments, draw them as a ladder diagram: client on the left, server on the right, one arrow per segment.")
    var ladder = false

    @Flag(help: "Draw the ladder with plain ASCII characters instead of box-drawing ones.")
    var ascii = false

    func validate() throws {
        if json && ladder { throw ValidationError("--ladder draws text; it cannot be combined with --json") }
    }

    func run() throws {
        var file = self.file
        if let shipped = PackageData.shipped(file, executable: LiveSession.ownExecutable()) {
            // Said on standard error, so the decoded text stays what the golden files hold.
            FileHandle.standardError.write(Data("tcplab: reading the shipped \(shipped) (no \(file) here)\n".utf8))
            file = shipped
        }
        let reader: PcapReader
        do { reader = try PcapReader(path: file) } catch { throw fail(error.description) }
        var output = OutputBuffer()
        var first = true
        var view = DecodeTextView(absolute: absolute)
        // Only a ladder needs the rows kept; the timeline streams.
        var rows: [SegmentRow] = []
        // Read once: ArgumentParser's property wrappers cost a lookup on every access.
        let (json, ladder) = (self.json, self.ladder)
        if json { output.line("[") }
        // Decoded on a second thread, printed on this one, in capture order.
        let pipeline = DecodePipeline(reader: reader, absolute: absolute)
        while var batch = pipeline.next() {
            // A batch at a time: each segment is written where it lies in the batch, not
            // copied out of it (a copy retains each of its Strings).
            if ladder { for index in batch.indices { rows.append(batch[index].spelledOut) } }
            if json {
                output.segmentsJSON(batch, first: first)
            } else {
                output.segments(batch, view: &view)
            }
            if !batch.isEmpty { first = false }
            pipeline.recycle(&batch)
        }
        if json {
            output.line("]")
        } else {
            output.line("")
            output.line(pipeline.finalDecoder.summary)
        }
        output.flush()
        if ladder { LadderPrinter.print(Ladder(rows: rows), style: ascii ? .ascii : .unicode) }
        // What was decoded before the damage is printed; the damage itself is a failed read.
        if let problem = reader.problem { throw fail(problem, code: 2) }
    }
}
