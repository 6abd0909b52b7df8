import Foundation
import Testing
@testable import TCPLabKit

/// `captures/fidelity/`: the shared cases tcplab once tracked wrong (copied as given) and the
/// captures `captures/fidelity/tracking.py` writes for each kind of tracking fault.
let trackingDirectory = capturesDirectory.appendingPathComponent("fidelity")

/// The captures this suite owns, by kind: the first three are the shared cases.
let trackingCaptureNames = [
    "port-reuse-new-connection", "midstream-relative-seq-0", "time-backwards-shown-as-zero",
    "port-reuse-after-rst", "midstream-ack-first", "time-backwards", "odd-flags", "several-servers",
]

/// `captures/fidelity/NAME.pcap` decoded as `tcplab decode` does.
func trackingDecoding(_ name: String, absolute: Bool = false) throws -> CaptureDecoding {
    CaptureDecoding(try PcapFile.read(path: trackingDirectory.appendingPathComponent("\(name).pcap").path), absolute: absolute)
}
