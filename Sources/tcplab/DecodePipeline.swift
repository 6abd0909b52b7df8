import Foundation
import TCPLabKit

/// Runs `tcplab decode`'s two halves on two threads: one reads and decodes the capture and
/// follows its connections (`CaptureDecoder`), the other writes the lines or JSON. Each half is
/// about half the work, so a machine with two cores prints a large capture in about half the
/// time; segments cross in batches, in capture order, and at most `maxBatches` wait at once, so
/// memory stays flat however large the file.
final class DecodePipeline: @unchecked Sendable {
    /// Segments per batch: enough that taking the lock is rare, few enough to stay small.
    static let batchSize = 1024
    /// Batches decoded ahead of the printing before the decoding thread waits.
    static let maxBatches = 4

    // Everything below is guarded by `condition`'s lock.
    private let condition = NSCondition()
    private var batches: [[DescribedSegment]] = []
    private var finished = false
    /// The decoder after the last frame (for the summary), set when `finished`.
    private var decoder: CaptureDecoder?

    /// Starts decoding `reader` on a thread of its own. The reader is used by that thread
    /// alone until `next()` has returned nil.
    init(reader: PcapReader, absolute: Bool) {
        let source = UncheckedReader(reader)
        Thread { [self] in
            var decoder = CaptureDecoder(linkType: source.reader.linkType, absolute: absolute)
            var batch: [DescribedSegment] = []
            batch.reserveCapacity(Self.batchSize)
            while let frame = source.reader.next() {
                guard let segment = decoder.addInParts(frame) else { continue }
                batch.append(segment)
                if batch.count == Self.batchSize {
                    put(batch)
                    // A fresh array: the one handed over now belongs to the printing thread.
                    batch = []
                    batch.reserveCapacity(Self.batchSize)
                }
            }
            if !batch.isEmpty { put(batch) }
            finish(decoder)
        }.start()
    }

    /// The next batch in capture order; nil once the capture is done.
    func next() -> [DescribedSegment]? {
        condition.lock()
        defer { condition.unlock() }
        while batches.isEmpty && !finished { condition.wait() }
        guard !batches.isEmpty else { return nil }
        condition.broadcast()
        return batches.removeFirst()
    }

    /// The decoder as the last frame left it; call after `next()` returned nil.
    var finalDecoder: CaptureDecoder {
        condition.lock()
        defer { condition.unlock() }
        return decoder!
    }

    private func put(_ batch: [DescribedSegment]) {
        condition.lock()
        defer { condition.unlock() }
        while batches.count >= Self.maxBatches { condition.wait() }
        batches.append(batch)
        condition.broadcast()
    }

    private func finish(_ decoder: CaptureDecoder) {
        condition.lock()
        defer { condition.unlock() }
        self.decoder = decoder
        finished = true
        condition.broadcast()
    }
}

/// Carries the reader to the decoding thread: it is not Sendable, and is safe here because
/// the command does not touch it again until the decoding thread is done with it.
private struct UncheckedReader: @unchecked Sendable {
    let reader: PcapReader
    init(_ reader: PcapReader) { self.reader = reader }
}
