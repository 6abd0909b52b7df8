/// Decodes a saved capture frame by frame for `tcplab decode`: each TCP segment becomes a
/// timeline row (annotated as a capture of unknown origin, `CaptureOrigin.foreign`), other frames are counted by kind, and nothing but per-connection state is kept,
/// so memory does not grow with the file.
public struct CaptureDecoder: Sendable {
    public let linkType: LinkType
    public private(set) var frames = 0
    public private(set) var segments = 0
    public private(set) var notTCP: [String: Int] = [:]
    public private(set) var undecodableCount = 0
    /// The first few decode errors, for the summary.
    public private(set) var undecodable: [String] = []
    private var tracker: ConversationTracker

    public init(linkType: LinkType, absolute: Bool) {
        self.linkType = linkType
        tracker = ConversationTracker(absolute: absolute, origin: .foreign)
    }

    /// The row for `frame` if it is a TCP segment; nil for a frame that is counted and skipped.
    public mutating func add(_ frame: CapturedFrame) -> SegmentRow? {
        addInParts(frame)?.spelledOut
    }

    /// The same, the row's option, preview and sequence texts not yet spelled out
    /// (`DescribedSegment`): `tcplab decode` writes them straight into its output.
    public mutating func addInParts(_ frame: CapturedFrame) -> DescribedSegment? {
        add(decode(frame))
    }

    /// Decodes `frame` without counting or tracking it: this part depends on nothing before
    /// it, so `tcplab decode` runs it on a thread of its own and hands the result to `add(_:)`.
    public func decode(_ frame: CapturedFrame) -> DecodedFrame {
        var frameLinkType = linkType
        if let code = frame.dataLinkType {
            // A pcapng interface other than the first, with a link type of its own.
            guard let other = LinkType(dataLinkType: code) else { return DecodedFrame(time: frame.time, outcome: .otherLinkType(code)) }
            frameLinkType = other
        }
        do {
            let packet = try PacketDecoder.decode(frame.bytes, linkType: frameLinkType, originalLength: frame.originalLength)
            return DecodedFrame(time: frame.time, outcome: .decoded(packet))
        } catch {
            return DecodedFrame(time: frame.time, outcome: .undecodable(error))
        }
    }

    /// Counts a decoded frame and, for a TCP segment, gives its row: frames must come in
    /// capture order. Taken, not borrowed: the segment moves into its row without a copy.
    public mutating func add(_ frame: consuming DecodedFrame) -> DescribedSegment? {
        frames += 1
        let time = frame.time
        switch frame.takeOutcome() {
        case .otherLinkType(let code):
            notTCP["link type \(code)", default: 0] += 1
        case .decoded(.tcp(let segment)):
            segments += 1
            // Numbered by frame, as Wireshark's No. column counts every packet in the file.
            return tracker.describeInParts(CapturedSegment(number: frames, time: time, segment: segment))
        case .decoded(.notTCP(let what)):
            notTCP[what, default: 0] += 1
        case .undecodable(let error):
            undecodableCount += 1
            if undecodable.count < 3 { undecodable.append("frame \(frames): \(error)") }
        }
        return nil
    }

    /// `12 frames: 10 TCP segments in 1 connection, 2 not TCP (skipped: ARP 2)`; each count
    /// with its noun in the singular when it is 1 (`1 frame: 1 TCP segment in 1 connection`).
    public var summary: String {
        func counted(_ count: Int, _ noun: String) -> String { "\(count) \(noun)\(count == 1 ? "" : "s")" }
        var text = "\(counted(frames, "frame")): \(counted(segments, "TCP segment")) in \(counted(tracker.connectionCount, "connection"))"
        let skipped = notTCP.values.reduce(0, +)
        if skipped > 0 {
            let kinds = notTCP.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")
            text += ", \(skipped) not TCP (skipped: \(kinds))"
        }
        if undecodableCount > 0 { text += ", \(undecodableCount) undecodable (\(undecodable.joined(separator: "; ")))" }
        return text
    }
}

/// A whole capture decoded into rows at once: for tests and small files.
public struct CaptureDecoding: Sendable {
    public var rows: [SegmentRow] = []
    /// The decoder after the last frame: its counts and summary.
    public private(set) var decoder: CaptureDecoder

    public init(_ capture: PcapFile, absolute: Bool) {
        decoder = CaptureDecoder(linkType: capture.linkType, absolute: absolute)
        for frame in capture.frames {
            if let row = decoder.add(frame) { rows.append(row) }
        }
    }

    public var frames: Int { decoder.frames }
    public var notTCP: [String: Int] { decoder.notTCP }
    public var undecodable: [String] { decoder.undecodable }
    public var summary: String { decoder.summary }
}

/// One frame decoded by `CaptureDecoder.decode(_:)`, not yet counted or tracked.
public struct DecodedFrame: Sendable {
    enum Outcome: Sendable {
        /// A pcapng interface whose link type tcplab does not decode.
        case otherLinkType(Int32)
        case decoded(DecodedPacket)
        case undecodable(DecodeError)
    }

    /// The frame's timestamp (CLOCK_REALTIME microseconds).
    let time: Int64
    let outcome: Outcome

    /// The outcome, moved out of the frame (no copy of a segment's arrays).
    consuming func takeOutcome() -> Outcome { outcome }
}
