/// Where each line the watched program printed goes on `tcplab watch`'s timeline: where the
/// write(2) that completed it returned, as strace reported it, not where the lab read it from
/// the program's terminal (later, under load).
///
/// strace reports every write on descriptors 1 and 2, but not every one reaches the terminal (a
/// launcher's `$(…)` subshells write into pipes): a write counts when what strace shows of its
/// buffer (`-s 64`, octal escapes) is what the terminal received next, and is passed over when
/// it is not. A line is placed at the write that brought the terminal's bytes past its end.
/// Pure: fed the terminal's lines and strace's writes, tested on literal ones.
struct WrittenOutput: Sendable {
    /// A write strace reported: its process, when it returned (CLOCK_REALTIME µs), the bytes it
    /// wrote, and the start of its buffer as strace showed it (nil: not shown, `writev`).
    struct Write: Sendable, Equatable {
        var pid: Int32
        var returned: Int64
        var bytes: Int
        var shown: [UInt8]?
    }

    /// The bytes the terminal received so far.
    private var output: [UInt8] = []
    /// How many writes were looked at, and how far the writes counted so far reach.
    private var looked = 0
    private var reached = 0
    private var ends: [(end: Int, returned: Int64)] = []

    /// Notes a line the terminal received (its newline implied, `end` bytes in all with it).
    mutating func received(_ line: String, through end: Int) {
        output.append(contentsOf: line.utf8)
        if output.count < end { output.append(UInt8(ascii: "\n")) }
    }

    /// Counts or passes over the writes not looked at yet (`writes` grows; earlier ones are kept
    /// as they were); stops at one the terminal's bytes cannot tell yet.
    mutating func match(_ writes: [Write]) {
        while looked < writes.count {
            let write = writes[looked]
            let shown = write.shown ?? []
            let available = output[min(reached, output.count)...].prefix(shown.count)
            guard available.elementsEqual(shown.prefix(available.count)) else {
                looked += 1
                continue
            }
            guard available.count == shown.count else { return }
            looked += 1
            reached += write.bytes
            ends.append((reached, write.returned))
        }
    }

    /// When the write that brought the terminal's bytes through `end` returned; nil when no
    /// counted write reaches it yet.
    func returned(through end: Int) -> Int64? {
        ends.first { $0.end >= end }?.returned
    }

    /// The bytes strace shows for a quoted buffer argument (`"hehe\n"`, `"\303\251t\351"...`):
    /// its escapes (`\n \t \r \v \f \" \\` and octal `\NNN`) undone, a `...` truncation dropped;
    /// nil for anything else.
    static func bytes(quoted text: String) -> [UInt8]? {
        var characters = Array(text.utf8)
        if characters.count >= 3, characters.suffix(3).elementsEqual("...".utf8) { characters.removeLast(3) }
        guard characters.count >= 2, characters.first == UInt8(ascii: "\""), characters.last == UInt8(ascii: "\"") else { return nil }
        var result: [UInt8] = []
        var index = 1
        let end = characters.count - 1
        while index < end {
            let character = characters[index]
            index += 1
            guard character == UInt8(ascii: "\\"), index < end else {
                result.append(character)
                continue
            }
            let escaped = characters[index]
            index += 1
            switch escaped {
            case UInt8(ascii: "n"): result.append(10)
            case UInt8(ascii: "t"): result.append(9)
            case UInt8(ascii: "r"): result.append(13)
            case UInt8(ascii: "v"): result.append(11)
            case UInt8(ascii: "f"): result.append(12)
            case UInt8(ascii: "0")...UInt8(ascii: "7"):
                var value = Int(escaped - UInt8(ascii: "0"))
                var digits = 1
                while digits < 3, index < end, (UInt8(ascii: "0")...UInt8(ascii: "7")).contains(characters[index]) {
                    value = value * 8 + Int(characters[index] - UInt8(ascii: "0"))
                    index += 1
                    digits += 1
                }
                result.append(UInt8(truncatingIfNeeded: value))
            default: result.append(escaped)
            }
        }
        return result
    }
}
