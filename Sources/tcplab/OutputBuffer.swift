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

    /// Appends a decoded segment's line (and the header or connection line due before it)
    /// without going through a String.
    mutating func segment(_ segment: DescribedSegment, view: inout DecodeTextView) {
        view.append(segment, to: &buffer)
        if buffer.count >= 1 << 16 { flush() }
    }

    /// Appends a decoded segment as one JSON object, preceded by a comma unless it is the first.
    mutating func segmentJSON(_ segment: DescribedSegment, first: Bool) {
        if !first { buffer.append(UInt8(ascii: ",")) }
        segment.appendJSON(to: &buffer)
        buffer.append(UInt8(ascii: "\n"))
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
