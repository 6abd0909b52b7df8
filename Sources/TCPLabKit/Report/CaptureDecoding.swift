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
        frames += 1
        var frameLinkType = linkType
        if let code = frame.dataLinkType {
            // A pcapng interface other than the first, with a link type of its own.
            guard let other = LinkType(dataLinkType: code) else {
                notTCP["link type \(code)", default: 0] += 1
                return nil
            }
            frameLinkType = other
        }
        do {
            switch try PacketDecoder.decode(frame.bytes, linkType: frameLinkType, originalLength: frame.originalLength) {
            case .tcp(let segment):
                segments += 1
                // Numbered by frame, as Wireshark's No. column counts every packet in the file.
                return tracker.describe(CapturedSegment(number: frames, time: frame.time, segment: segment))
            case .notTCP(let what):
                notTCP[what, default: 0] += 1
            }
        } catch {
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
