import Glibc

/// Whether and how tcplab colours its text: the one place that decides (ANSI SGR escape codes,
/// ECMA-48). A segment line is coloured by its most telling flag (RST red, FIN yellow, SYN cyan,
/// as the ladder's `Kind`), a claim's verdict by whether it holds (`ok` green, `FAIL` red).
/// `plain` leaves every string as it is: goldens, pipes and files see no escape codes.
public struct Palette: Sendable, Equatable {
    /// Whether escape codes are written at all.
    public let enabled: Bool

    /// No colour: every method returns its text unchanged.
    public static let plain = Palette(enabled: false)
    /// Colour whatever the output is (for tests, and for the decision of `forOutput`).
    public static let ansi = Palette(enabled: true)

    public init(enabled: Bool) { self.enabled = enabled }

    /// The palette for a text written to `fileDescriptor` (standard output by default): plain when
    /// `noColor` (`--no-color`), when `NO_COLOR` is set to anything but the empty string
    /// (https://no-color.org), when `TERM` is `dumb`, or when the descriptor is not a terminal
    /// (isatty(3): a pipe or a file); colour otherwise.
    public static func forOutput(noColor: Bool,
                                 environment: [String: String],
                                 fileDescriptor: Int32 = STDOUT_FILENO) -> Palette {
        if noColor { return .plain }
        if let value = environment["NO_COLOR"], !value.isEmpty { return .plain }
        if environment["TERM"] == "dumb" { return .plain }
        return Palette(enabled: isatty(fileDescriptor) == 1)
    }

    /// The SGR colours tcplab uses.
    public enum Colour: String, Sendable {
        case red = "31", green = "32", yellow = "33", cyan = "36"
    }

    /// `text` between the colour's escape code and the reset (`ESC[0m`), or `text` when plain.
    public func paint(_ text: String, _ colour: Colour) -> String {
        enabled ? "\u{1B}[\(colour.rawValue)m\(text)\u{1B}[0m" : text
    }

    /// The colour of a segment with these tcpdump flags (`R.`, `F.`, `S`, …): RST red, FIN yellow,
    /// SYN cyan; nil for data and bare ACKs. RST wins over FIN, FIN over SYN.
    public static func colour(flags: String) -> Colour? {
        if flags.contains("R") { return .red }
        if flags.contains("F") { return .yellow }
        if flags.contains("S") { return .cyan }
        return nil
    }

    /// A timeline line for a segment with these flags, coloured by `colour(flags:)`.
    public func segment(_ line: String, flags: String) -> String {
        guard let colour = Palette.colour(flags: flags) else { return line }
        return paint(line, colour)
    }

    /// A claim's verdict word, `ok  ` (green) or `FAIL` (red), padded to the same width.
    public func verdict(holds: Bool) -> String {
        holds ? paint("ok", .green) + "  " : paint("FAIL", .red)
    }
}
