import Foundation
import TCPLabKit

/// Runs `tcplab decode` as two stages on two threads, the first handing the second its
/// segments in batches, in capture order: reading, decoding and following the connections
/// (`CaptureDecoder.addInParts`) on a thread of its own, and writing the lines or JSON on the
/// caller's thread, through `next()`. Two stages fit a two-core machine: a third thread only
/// took turns with the other two and added a copy of every frame between them. At most
/// `BatchHandoff.maxBatches` batches wait between the stages and emptied batches go back to be
/// filled again, so memory stays flat however large the file.
final class DecodePipeline: Sendable {
    private let segments = BatchHandoff<DescribedSegment>()
    /// The decoder after the last frame (for the summary).
    private let result = BatchHandoff<CaptureDecoder>()

    /// Starts reading `reader` on a thread of its own. The reader is used by that thread alone
    /// until `next()` has returned nil.
    init(reader: PcapReader, absolute: Bool) {
        let source = UncheckedReader(reader)
        let linkType = reader.linkType
        Thread { [segments, result] in
            var decoder = CaptureDecoder(linkType: linkType, absolute: absolute)
            var batch = segments.emptyBatch()
            while let frame = source.reader.next() {
                guard let segment = decoder.addInParts(frame) else { continue }
                batch.append(segment)
                if batch.count == BatchHandoff<DescribedSegment>.batchSize { segments.put(&batch) }
            }
            var last = [decoder]
            result.finish(&last)
            segments.finish(&batch)
        }.start()
    }

    /// The next batch of segments in capture order; nil once the capture is done. Give it back
    /// with `recycle(_:)` once written.
    func next() -> [DescribedSegment]? { segments.next() }

    /// Empties a batch `next()` gave and hands its storage back to be filled again.
    func recycle(_ batch: inout [DescribedSegment]) { segments.recycle(&batch) }

    /// The decoder as the last frame left it; call after `next()` returned nil.
    var finalDecoder: CaptureDecoder { result.next()![0] }
}

/// Batches of values passed from one thread to the next, in order; `put` waits while
/// `maxBatches` are waiting to be taken, `next` while none is. Batches the consumer hands back
/// (`recycle`) are refilled, so a long stream allocates no batch after the first few.
final class BatchHandoff<Element: Sendable>: @unchecked Sendable {
    /// Values per batch: enough that taking the lock is rare, few enough to stay small.
    static var batchSize: Int { 1024 }
    /// Batches waiting before the producing thread waits.
    static var maxBatches: Int { 4 }

    // Guarded by `condition`'s lock.
    private let condition = NSCondition()
    private var batches: [[Element]] = []
    private var finished = false
    /// Emptied batches, their storage kept, for the producer to fill again.
    private var spare: [[Element]] = []

    /// A spare batch if one was handed back, else a new one with room for `batchSize` values.
    func emptyBatch() -> [Element] {
        condition.lock()
        let reused = spare.popLast()
        condition.unlock()
        if let reused { return reused }
        var batch: [Element] = []
        batch.reserveCapacity(Self.batchSize)
        return batch
    }

    /// Hands `batch` over and leaves an empty one in its place.
    func put(_ batch: inout [Element]) {
        let full = batch
        batch = []
        condition.lock()
        while batches.count >= Self.maxBatches { condition.wait() }
        batches.append(full)
        condition.broadcast()
        condition.unlock()
        batch = emptyBatch()
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

    /// Empties `batch` (its values are released here, on the consumer's thread) and keeps its
    /// storage for `emptyBatch()`; at most `maxBatches` are kept.
    func recycle(_ batch: inout [Element]) {
        batch.removeAll(keepingCapacity: true)
        let emptied = batch
        batch = []
        condition.lock()
        defer { condition.unlock() }
        if spare.count < Self.maxBatches { spare.append(emptied) }
    }
}

/// Carries the reader to the reading thread: it is not Sendable, and is safe here because
/// the command does not touch it again until that thread is done with it.
private struct UncheckedReader: @unchecked Sendable {
    let reader: PcapReader
    init(_ reader: PcapReader) { self.reader = reader }
}
