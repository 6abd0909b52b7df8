/// The text `tcplab decode` prints for a capture's segments: a header, then one line per
/// segment, with a line naming a connection's endpoints before its first segment, so `C2 > S`
/// can be read even when the capture holds several servers; the header is printed again where a
/// column widens:
///
/// ```
///    #  t ms      who     flags     seq         ack        len  win    what
///       connection 1: C = 127.0.0.1:40000, S = 127.0.0.1:5003
///    1  0.000     C > S   S         0                        0  65495  SYN  mss 65495, …
/// ```
///
/// It keeps only the column widths and the last connection it named: rows stream through it.
public struct DecodeTextView: Sendable {
    public private(set) var columns: SegmentColumns
    private var headerWritten = false
    /// Connections are numbered in order of first appearance, so a row numbered higher than
    /// this is the first of a new connection.
    private var namedConnections = 0

    public init(absolute: Bool) { columns = .capture(absolute: absolute) }

    /// Appends `row`'s line, and before it the header and the connection's line when due, each
    /// ending in a newline.
    public mutating func append(_ row: SegmentRow, to buffer: inout [UInt8]) { append(source: row, to: &buffer) }

    /// The same for a segment still in parts, its options and preview never made into Strings:
    /// what `tcplab decode` does for every segment.
    public mutating func append(_ segment: DescribedSegment, to buffer: inout [UInt8]) { append(source: segment, to: &buffer) }

    /// The lines of `segments`, in order, as `append(_:to:)` writes them one by one: each
    /// segment is read where it lies in the array, not copied out of it (a copy retains each of
    /// its Strings), which a caller in another module cannot promise.
    public mutating func append(contentsOf segments: [DescribedSegment], to buffer: inout [UInt8]) {
        for index in segments.indices { append(source: segments[index], to: &buffer) }
    }

    private mutating func append<Source: SegmentLineSource>(source: Source, to buffer: inout [UInt8]) {
        let before = columns
        columns.fit(source: source)
        // The header again when a column widened (`C100 > S`, a time past 99999 ms): the lines
        // from here sit under it, as the first lines sit under the first.
        if !headerWritten || columns != before {
            headerWritten = true
            buffer.append(contentsOf: columns.header.utf8)
            buffer.append(UInt8(ascii: "\n"))
        }
        if source.row.connection > namedConnections {
            namedConnections = source.row.connection
            buffer.append(contentsOf: Self.connectionLine(source.row).utf8)
            buffer.append(UInt8(ascii: "\n"))
        }
        TimelinePrinter.appendLine(source: source, to: &buffer, columns: columns)
    }

    /// The lines for `rows` as one string: for tests and small captures.
    public static func text(_ rows: [SegmentRow], absolute: Bool) -> String {
        var view = DecodeTextView(absolute: absolute)
        var buffer: [UInt8] = []
        for row in rows { view.append(row, to: &buffer) }
        return String(decoding: buffer, as: UTF8.self)
    }

    /// `      connection 2: C2 = 10.0.0.1:40000, S = 10.0.0.9:80`, from the connection's first row.
    static func connectionLine(_ row: SegmentRow) -> String {
        let (client, server) = row.direction == .clientToServer ? (row.source, row.destination) : (row.destination, row.source)
        let clientName = row.connection > 1 ? "C\(row.connection)" : "C"
        return "      connection \(row.connection): \(clientName) = \(client), S = \(server)"
    }
}
