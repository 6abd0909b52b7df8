/// A saved capture read whole into memory: for tests and small files. `tcplab decode` streams
/// with `PcapReader` instead.
public struct PcapFile: Sendable {
    public var linkType: LinkType
    public var frames: [CapturedFrame]
    /// Set when the file ended in the middle of a record: the frames before it are still usable.
    public var problem: String?

    /// Reads every frame; throws a one-line message for a file that is missing or not a capture.
    public static func read(path: String) throws(LabError) -> PcapFile {
        let reader = try PcapReader(path: path)
        var file = PcapFile(linkType: reader.linkType, frames: [], problem: nil)
        while let frame = reader.next() { file.frames.append(frame) }
        file.problem = reader.problem
        return file
    }
}
