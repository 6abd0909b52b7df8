/// A saved capture read whole into memory: for tests and small files. `tcplab decode` streams
/// with `PcapReader` instead.
public struct PcapFile: Sendable {
    public var linkType: LinkType
    public var frames: [CapturedFrame]
    /// Set when the file ended in the middle of a record: the frames before it are still usable.
    public var problem: String?

    /// Reads every frame; throws a one-line message for a file that is missing or not a capture.
    public static func read(path: String) throws(LabError) -> PcapFile {
        read(try PcapReader(path: path))
    }

    /// The same from a whole file's bytes in memory (`name` stands in for the path in messages):
    /// pure parsing, for tests and the fuzzer. Never traps: garbage is a thrown message or a `problem`.
    public static func read(bytes: [UInt8], name: String) throws(LabError) -> PcapFile {
        read(try PcapReader(bytes: bytes, name: name))
    }

    private static func read(_ reader: PcapReader) -> PcapFile {
        var file = PcapFile(linkType: reader.linkType, frames: [], problem: nil)
        while let frame = reader.next() { file.frames.append(frame) }
        file.problem = reader.problem
        return file
    }
}
