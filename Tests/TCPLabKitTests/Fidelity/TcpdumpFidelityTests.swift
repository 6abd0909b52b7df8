import Foundation
import Testing
@testable import TCPLabKit

/// tcplab's `--json` reading of every capture in `captures/fidelity/` against tcpdump's own
/// (`tcpdump -n -S -v -tt -r`), field by field: endpoints, flags, sequence (absolute, as `-S`),
/// ack, window, the urgent pointer, options in tcpdump's words, length and the `truncated-ip` mark. tcpdump runs
/// here and in CI (scripts/setup.sh installs it); without it the test fails, it does not skip.
@Suite struct TcpdumpFidelityTests {
    /// libpcap refuses this one ("an interface has a type 113 different from the type of the
    /// first interface"); `PcapngTests` checks it against its known contents instead.
    static let tcpdumpCannotRead: Set<String> = ["pcapng-two-link-types.pcapng"]

    @Test(arguments: try fidelityCaptures().filter { !tcpdumpCannotRead.contains($0) })
    func agreesWithTcpdump(file: String) throws {
        let path = fidelityDirectory.appendingPathComponent(file).path
        let (output, status) = try TcpdumpReading.run(path)
        #expect(status == 0, "tcpdump failed on \(file)")
        let expected = TcpdumpReading.parse(output)
        #expect(!expected.isEmpty, "tcpdump printed no TCP segment for \(file)")

        let decoded = CaptureDecoding(try PcapFile.read(path: path), absolute: true)
        #expect(decoded.undecodable.isEmpty, "\(file): \(decoded.undecodable)")
        let rows = Dictionary(uniqueKeysWithValues: decoded.rows.map { ($0.number, $0) })
        #expect(decoded.rows.count == expected.count, "\(file): tcplab \(decoded.rows.count) segments, tcpdump \(expected.count)")
        for segment in expected {
            guard let row = rows[segment.frame] else {
                Issue.record("\(file) frame \(segment.frame): tcpdump reads \(segment), tcplab has no segment")
                continue
            }
            let context = "\(file) frame \(segment.frame): tcpdump \(segment)"
            #expect(row.source == segment.source, "\(context)")
            #expect(row.destination == segment.destination, "\(context)")
            #expect(row.flags == segment.flags, "\(context)")
            if let sequence = segment.sequence { #expect(row.sequenceText == sequence, "\(context)") }
            #expect(row.acknowledgment == segment.acknowledgment, "\(context)")
            if let window = segment.window {
                #expect(row.window == window, "\(context)")
            } else {
                // No window: tcpdump printed the ports alone, the fixed header cut short.
                #expect(row.headerBytesCaptured != nil, "\(context)")
            }
            #expect(row.urgentPointer == segment.urgentPointer, "\(context)")
            #expect(row.options == segment.options, "\(context)")
            if let length = segment.length { #expect(row.length == length, "\(context)") }
            #expect(row.truncated == segment.truncatedIP, "\(context)")
            #expect(Self.seconds(row.time) == segment.time, "\(context)")
        }
    }

    /// The parser itself, on lines tcpdump 4.99 printed for files of the corpus.
    @Test func parsesTcpdumpLines() {
        let output = """
            1700000000.000100 IP truncated-ip - 144 bytes missing! (tos 0x0, ttl 64, id 1, offset 0, flags [DF], proto TCP (6), length 200)
                192.0.2.1.40000 > 198.51.100.2.80: Flags [P.], seq 2000:2148, ack 5001, win 64240, options [TS val 1100 ecr 2000,nop,nop], length 148: HTTP
            1700000000.000200 IP6 (hlim 64, next-header TCP (6) payload length: 40) 2001:db8::1.40000 > 2001:db8::2.80: Flags [S], seq 1000, win 64240, options [mss 1460,sackOK,TS [|tcp]>
            1700000000.000300 ARP, Request who-has 192.0.2.1 tell 192.0.2.2, length 28
            1700000000.000400 IP (tos 0x0, ttl 64, id 1, offset 0, flags [DF], proto TCP (6), length 60)
                192.0.2.1.40000 > 198.51.100.2.80: Flags [S], seq 1000, win 64240, options [mss 1460,sackOK,mptcp 20 capable v1 {0x1,0x2}], length 0
            1700000000.000500 IP (tos 0x0, ttl 64, id 1, offset 0, flags [DF], proto TCP (6), length 57)
                192.0.2.1.40000 > 198.51.100.2.80:  [|tcp]
            1700000000.000600 IP (tos 0x0, ttl 64, id 1, offset 0, flags [DF], proto TCP (6), length 68)
                198.51.100.2.80 > 192.0.2.1.40000: Flags [.], ack 1001, win 64240, options [nop,nop,nop,sack 3 {1501:2001} [|tcp]>
            """
        let segments = TcpdumpReading.parse(output)
        #expect(segments.count == 5)
        #expect(segments[0] == TcpdumpSegment(
            frame: 1, time: "1700000000.000100", source: "192.0.2.1:40000", destination: "198.51.100.2:80",
            flags: "P.", sequence: "2000:2148", acknowledgment: 5001, window: 64240,
            options: ["TS val 1100 ecr 2000", "nop x2"], length: 148, truncatedIP: "truncated-ip - 144 bytes missing!"))
        #expect(segments[1].source == "[2001:db8::1]:40000")
        #expect(segments[1].options == ["mss 1460", "sackOK", "TS [|tcp]"])
        #expect(segments[1].length == nil)
        #expect(segments[2].frame == 4)
        #expect(segments[2].options == ["mss 1460", "sackOK", "mptcp 20 capable v1 {0x1,0x2}"])
        #expect(segments[3] == TcpdumpSegment(
            frame: 5, time: "1700000000.000500", source: "192.0.2.1:40000", destination: "198.51.100.2:80",
            flags: "", options: ["[|tcp]"]))
        #expect(segments[4].options == ["nop x3", "sack 3 {1501:2001} [|tcp]"])
    }

    /// `1700000000.000100`, as `-tt` prints microseconds.
    static func seconds(_ microseconds: Int64) -> String {
        let fraction = String(microseconds % 1_000_000)
        return "\(microseconds / 1_000_000)." + String(repeating: "0", count: 6 - fraction.count) + fraction
    }
}
