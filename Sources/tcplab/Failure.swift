import ArgumentParser
import Foundation
import TCPLabKit

/// Prints `tcplab: MESSAGE` on standard error and ends with `code`: the one-line error every
/// command gives for bad input or a failing lab, instead of a stack trace. Nothing is printed
/// once a live run has been interrupted: the interrupt's own line says how it ended.
func fail(_ message: String, code: Int32 = 2) -> ExitCode {
    Interruption.shared.unlessInterrupted {
        FileHandle.standardError.write(Data("tcplab: \(message)\n".utf8))
    }
    return ExitCode(code)
}

/// Writes a line to standard output at once, so a live run reads as it happens even when piped;
/// dropped once a live run has been interrupted (what the main thread would still print, such as
/// a role "killed by SIGKILL" in the teardown, is not what happened to the run).
@Sendable func emit(_ line: String) {
    Interruption.shared.unlessInterrupted {
        print(line)
        fflush(nil)
    }
}

/// Encodes a value as pretty, key-sorted JSON on standard output.
func emitJSON<T: Encodable>(_ value: T) {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
    if let data = try? encoder.encode(value) { emit(String(decoding: data, as: UTF8.self)) }
}
