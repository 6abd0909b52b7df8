/// Padding options as `tcplab decode` shows them: tcpdump prints every nop (`nop,nop,TS val …`);
/// tcplab prints a run of N consecutive equal padding options once, `nop` or `nop xN`
/// (`nop x14, sack 1 {…}`), so a header padded with fourteen NOPs stays one readable line.
extension TCPOption {
    /// Kind 1 (nop) and kind 0 (eol): they align or end the list and carry no data.
    public var isPadding: Bool {
        switch self {
        case .noOperation, .endOfOptions: return true
        default: return false
        }
    }

    /// `options` in tcpdump's words (`tcpdumpText(sackBase:)`), each run of equal padding
    /// options as one entry: `[nop, nop, TS]` gives `["nop x2", "TS val 1 ecr 2"]`.
    public static func texts(_ options: [TCPOption], sackBase: UInt32) -> [String] {
        var texts: [String] = []
        texts.reserveCapacity(options.count)
        var index = options.startIndex
        while index < options.endIndex {
            let option = options[index]
            guard option.isPadding else {
                texts.append(option.tcpdumpText(sackBase: sackBase))
                index += 1
                continue
            }
            var run = 1
            while index + run < options.endIndex, options[index + run] == option { run += 1 }
            texts.append(paddingText(option, count: run))
            index += run
        }
        return texts
    }

    /// `nop`, `nop x2` … `eol`: `count` consecutive padding options like `option`.
    static func paddingText(_ option: TCPOption, count: Int) -> String {
        let name = option == .endOfOptions ? "eol" : "nop"
        return count == 1 ? name : "\(name) x\(count)"
    }

    /// Whether `text` is one of `texts(_:sackBase:)`'s padding entries (`nop`, `nop x3`, `eol`):
    /// the scenario timeline and ladder leave them out, as a lab's own segments are padded the
    /// same way every time and the padding teaches nothing there.
    public static func isPaddingText(_ text: String) -> Bool {
        text == "nop" || text == "eol" || text.hasPrefix("nop x") || text.hasPrefix("eol x")
    }
}
