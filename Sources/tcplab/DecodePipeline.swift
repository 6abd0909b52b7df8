import Foundation
import TCPLabKit

/// Runs `tcplab decode` as three stages on three threads, each handing the next its results in
/// batches, in capture order: reading and decoding the frames (`CaptureDecoder.decode`),
/// following the connections (`CaptureDecoder.add`), and writing the lines or JSON (the
/// caller's thread, through `next()`). No stage does more than about a third of the work, so a
/// machine with two cores prints a large capture in about half the time of one thread; at most
/// `BatchHandoff.maxBatches` batches wait between two stages, so memory stays flat however
/// large the file.
final class DecodePipeline: Sendable {
    private let frames = BatchHandoff<DecodedFrame>()
    private let segments = BatchHandoff<DescribedSegment>()
    /// The tracking stage's decoder after the last frame (for the summary).
    private let result = BatchHandoff<CaptureDecoder>()

    /// Starts reading `reader` on a thread of its own. The reader is used by that thread alone
    /// until `next()` has returned nil.
    init(reader: PcapReader, absolute: Bool) {
        let source = UncheckedReader(reader)
        let decoder = CaptureDecoder(linkType: reader.linkType, absolute: absolute)
        Thread { [frames] in
            var batch = frames.emptyBatch()
            while let frame = source.reader.next() {
                batch.append(decoder.decode(frame))
                if batch.count == BatchHandoff<DecodedFrame>.batchSize { frames.put(&batch) }
            }
            frames.finish(&batch)
        }.start()
        Thread { [frames, segments, result] in
            var decoder = decoder
            var batch = segments.emptyBatch()
            while let decoded = frames.next() {
                for frame in decoded {
                    guard let segment = decoder.add(frame) else { continue }
                    batch.append(segment)
                    if batch.count == BatchHandoff<DescribedSegment>.batchSize { segments.put(&batch) }
                }
            }
            var last = [decoder]
            result.finish(&last)
            segments.finish(&batch)
        }.start()
    }

    /// The next batch of segments in capture order; nil once the capture is done.
    func next() -> [DescribedSegment]? { segments.next() }

    /// The decoder as the last frame left it; call after `next()` returned nil.
    var finalDecoder: CaptureDecoder { result.next()![0] }
}

/// Batches of values passed from one thread to the next, in order; `put` waits while
/// `maxBatches` are waiting to be taken, `next` while none is.
final class BatchHandoff<Element: Sendable>: @unchecked Sendable {
    /// Values per batch: enough that taking the lock is rare, few enough to stay small.
    static var batchSize: Int { 1024 }
    /// Batches waiting before the producing thread waits.
    static var maxBatches: Int { 4 }

    // Guarded by `condition`'s lock.
    private let condition = NSCondition()
    private var batches: [[Element]] = []
    private var finished = false

    func emptyBatch() -> [Element] {
        var batch: [Element] = []
        batch.reserveCapacity(Self.batchSize)
        return batch
    }

    /// Hands `batch` over and leaves an empty one in its place.
    func put(_ batch: inout [Element]) {
        let full = batch
        batch = emptyBatch()
        condition.lock()
        defer { condition.unlock() }
        while batches.count >= Self.maxBatches { condition.wait() }
        batches.append(full)
        condition.broadcast()
    }

    /// Hands over the last batch (if not empty) and says no more follow.
    func finish(_ batch: inout [Element]) {
        if !batch.isEmpty { put(&batch) }
        condition.lock()
        defer { condition.unlock() }
        finished = true
        condition.broadcast()
    }

    /// The next batch; nil once `finish` was called and every batch taken.
    func next() -> [Element]? {
        condition.lock()
        defer { condition.unlock() }
        while batches.isEmpty && !finished { condition.wait() }
        guard !batches.isEmpty else { return nil }
        condition.broadcast()
        return batches.removeFirst()
    }
}

/// Carries the reader to the reading thread: it is not Sendable, and is safe here because
/// the command does not touch it again until that thread is done with it.
private struct UncheckedReader: @unchecked Sendable {
    let reader: PcapReader
    init(_ reader: PcapReader) { self.reader = reader }
}
