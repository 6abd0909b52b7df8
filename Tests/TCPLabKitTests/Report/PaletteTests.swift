import Foundation
import Glibc
import Testing
@testable import TCPLabKit

/// `Palette`: colour on a terminal (RST red, FIN, SYN, verdicts), none for `--no-color`,
/// `NO_COLOR` or a descriptor that is not a terminal; the timeline printer uses it.
@Suite struct PaletteTests {
    static let escape = "\u{1B}["

    /// Prints the SYN, the FIN and the RST through a printer with `palette`.
    static func printed(_ palette: Palette) throws -> [String] {
        var observation = Observation()
        observation.segments = try capturedSegments([IPv4Fixtures.syn, IPv4Fixtures.fin, IPv4Fixtures.rst],
                                                    start: 1_000, spacing: 1_000)
        var lines: [String] = []
        var printer = TimelinePrinter(absolute: false, palette: palette) { lines.append($0) }
        printer.flush(observation)
        return lines
    }

    @Test func forcedPaletteColoursTheRSTLineRed() throws {
        let lines = try Self.printed(.ansi)
        let rst = try #require(lines.first { $0.contains(" R ") || $0.contains(" R  ") })
        #expect(rst.hasPrefix("\u{1B}[31m"))
        #expect(rst.hasSuffix("\u{1B}[0m"))
        #expect(lines.contains { $0.hasPrefix("\u{1B}[36m") && $0.contains("SYN") })
        #expect(lines.contains { $0.hasPrefix("\u{1B}[33m") && $0.contains("F.") })
        // The header is never coloured; the text between the codes is the plain line.
        #expect(lines[0] == TimelinePrinter.header)
        let plain = try Self.printed(.plain)
        #expect(lines.map(Self.strip) == plain)
    }

    @Test func plainPaletteWritesNoEscapeCodes() throws {
        #expect(!(try Self.printed(.plain)).contains { $0.contains(Self.escape) })
        #expect(Palette.plain.verdict(holds: false) == "FAIL")
        #expect(Palette.plain.verdict(holds: true) == "ok  ")
        #expect(Palette.ansi.verdict(holds: false) == "\u{1B}[31mFAIL\u{1B}[0m")
        #expect(Palette.ansi.verdict(holds: true) == "\u{1B}[32mok\u{1B}[0m  ")
    }

    @Test func aTerminalGetsColourUnlessNoColorOrTheFlag() throws {
        let terminal = try PseudoTerminal()
        defer { terminal.close() }
        #expect(Palette.forOutput(noColor: false, environment: [:], fileDescriptor: terminal.descriptor) == .ansi)
        #expect(Palette.forOutput(noColor: false, environment: ["NO_COLOR": "1"], fileDescriptor: terminal.descriptor) == .plain)
        // no-color.org: an empty NO_COLOR does not count.
        #expect(Palette.forOutput(noColor: false, environment: ["NO_COLOR": ""], fileDescriptor: terminal.descriptor) == .ansi)
        #expect(Palette.forOutput(noColor: true, environment: [:], fileDescriptor: terminal.descriptor) == .plain)
        #expect(Palette.forOutput(noColor: false, environment: ["TERM": "dumb"], fileDescriptor: terminal.descriptor) == .plain)
    }

    @Test func aPipeGetsNoColour() throws {
        var ends: [Int32] = [-1, -1]
        #expect(pipe(&ends) == 0)
        defer { ends.forEach { Glibc.close($0) } }
        #expect(Palette.forOutput(noColor: false, environment: [:], fileDescriptor: ends[1]) == .plain)
    }

    static func strip(_ line: String) -> String {
        var text = line
        for code in ["\u{1B}[31m", "\u{1B}[32m", "\u{1B}[33m", "\u{1B}[36m", "\u{1B}[0m"] {
            text = text.replacingOccurrences(of: code, with: "")
        }
        return text
    }
}

/// A pseudo-terminal's master side, opened from /dev/ptmx as posix_openpt(3) does (pts(4)):
/// a descriptor isatty(3) calls a terminal.
struct PseudoTerminal {
    let descriptor: Int32

    init() throws {
        descriptor = open("/dev/ptmx", O_RDWR | O_NOCTTY)
        try #require(descriptor >= 0, "open /dev/ptmx: \(String(cString: strerror(errno)))")
    }

    func close() { _ = Glibc.close(descriptor) }
}
