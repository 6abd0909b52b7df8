import ArgumentParser
import Foundation
import TCPLabKit

/// Prints `tcplab: MESSAGE` on standard error and ends with `code`: the one-line error every
/// command gives for bad input or a failing lab, instead of a stack trace.
func fail(_ message: String, code: Int32 = 2) -> ExitCode {
    FileHandle.standardError.write(Data("tcplab: \(message)\n".utf8))
    return ExitCode(code)
}

/// Writes a line to standard output at once, so a live run reads as it happens even when piped.
@Sendable func emit(_ line: String) {
    print(line)
    fflush(nil)
}

/// Encodes a value as pretty, key-sorted JSON on standard output.
func emitJSON<T: Encodable>(_ value: T) {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
    if let data = try? encoder.encode(value) { emit(String(decoding: data, as: UTF8.self)) }
}
