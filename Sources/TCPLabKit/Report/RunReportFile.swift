import Foundation

/// Reading back a run saved with `tcplab scenario NAME --json > RUN.json`, with one-line errors
/// a student can act on (wrong path, a decode listing instead of a run, a truncated file).
extension RunReport {
    /// Why a saved run could not be read.
    public struct FileError: Error, Sendable, CustomStringConvertible {
        public var description: String
    }

    /// The run saved in the file at `path`.
    public static func load(path: String) throws(FileError) -> RunReport {
        guard FileManager.default.fileExists(atPath: path) else {
            throw FileError(description: "\(path): no such file (save a run with `tcplab scenario NAME --json > \(path)`)")
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw FileError(description: "\(path): cannot be read (is it a directory, or not readable by you?)")
        }
        return try decode(data, name: path)
    }

    /// The run in `data`; `name` is how errors refer to it.
    public static func decode(_ data: Data, name: String) throws(FileError) -> RunReport {
        let notARun = "\(name) is not a saved run (`tcplab scenario NAME --json` writes one)"
        if data.first(where: { ![0x20, 0x0A, 0x0D, 0x09].contains($0) }) == UInt8(ascii: "[") {
            throw FileError(description: "\(notARun): it holds a list, as `tcplab decode --json` prints; a run is one object")
        }
        do {
            return try JSONDecoder().decode(RunReport.self, from: data)
        } catch DecodingError.dataCorrupted(let context) where context.codingPath.isEmpty {
            throw FileError(description: "\(notARun): it is not valid JSON")
        } catch DecodingError.keyNotFound(let key, let context) {
            throw FileError(description: "\(notARun): \(path(context.codingPath + [key])) is missing")
        } catch DecodingError.typeMismatch(_, let context), DecodingError.valueNotFound(_, let context),
                DecodingError.dataCorrupted(let context) {
            throw FileError(description: "\(notARun): \(path(context.codingPath)) has the wrong kind of value")
        } catch {
            throw FileError(description: "\(notARun): \(error)")
        }
    }

    /// `segments[3].flags`.
    private static func path(_ keys: [any CodingKey]) -> String {
        var text = ""
        for key in keys {
            if let index = key.intValue { text += "[\(index)]" } else { text += (text.isEmpty ? "" : ".") + key.stringValue }
        }
        return text.isEmpty ? "the top level" : text
    }
}
