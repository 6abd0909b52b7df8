import Glibc
import TCPLabKit

/// Collects output lines and writes them to standard output in large blocks: printing a million
/// decoded segments one `print` at a time would cost more than decoding them.
struct OutputBuffer {
    private var buffer: [UInt8] = []

    init() { buffer.reserveCapacity(1 << 17) }

    mutating func line(_ text: String) {
        buffer.append(contentsOf: text.utf8)
        buffer.append(UInt8(ascii: "\n"))
        if buffer.count >= 1 << 16 { flush() }
    }

    /// Appends a batch of decoded segments' lines (and the header and connection lines due),
    /// without going through a String.
    mutating func segments(_ segments: [DescribedSegment], view: inout DecodeTextView) {
        view.append(contentsOf: segments, to: &buffer)
        if buffer.count >= 1 << 16 { flush() }
    }

    /// Appends a batch of decoded segments as JSON objects, one a line, each preceded by a
    /// comma unless it is the array's first (`first`: the batch begins the array).
    mutating func segmentsJSON(_ segments: [DescribedSegment], first: Bool) {
        DescribedSegment.appendJSONLines(segments, first: first, to: &buffer)
        if buffer.count >= 1 << 16 { flush() }
    }

    mutating func flush() {
        guard !buffer.isEmpty else { return }
        fflush(nil)
        buffer.withUnsafeBytes { bytes in
            var offset = 0
            while offset < bytes.count {
                let written = write(1, bytes.baseAddress! + offset, bytes.count - offset)
                if written < 0 { if errno == EINTR { continue } else { return } }
                offset += written
            }
        }
        buffer.removeAll(keepingCapacity: true)
    }
}
