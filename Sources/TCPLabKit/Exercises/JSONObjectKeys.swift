import Foundation

/// The member names of a JSON object, in the order they are written and with repeats kept
/// (RFC 8259 §4: names "SHOULD be unique"; JSONSerialization keeps one of two equal names and
/// says nothing, so an answers file that answers a question twice needs this to be caught).
enum JSONObjectKeys {
    /// The names at the top level of the object `text` (nested objects' names are skipped), each
    /// decoded (`"a\u0062"` is `ab`); nil when `text` is not an object this scanner can follow.
    static func names(_ text: String) -> [String]? {
        let bytes = Array(text.utf8)
        var index = 0
        var depth = 0
        var names: [String] = []
        var expectingName = false
        while index < bytes.count {
            let byte = bytes[index]
            switch byte {
            case UInt8(ascii: "\""):
                let start = index
                index += 1
                while index < bytes.count, bytes[index] != UInt8(ascii: "\"") {
                    index += bytes[index] == UInt8(ascii: "\\") ? 2 : 1
                }
                guard index < bytes.count else { return nil }
                if depth == 1 && expectingName {
                    let literal = Data("[".utf8 + bytes[start...index] + "]".utf8)
                    guard let decoded = (try? JSONSerialization.jsonObject(with: literal)) as? [String], let name = decoded.first else {
                        return nil
                    }
                    names.append(name)
                    expectingName = false
                }
            case UInt8(ascii: "{"), UInt8(ascii: "["):
                depth += 1
                expectingName = depth == 1 && byte == UInt8(ascii: "{")
            case UInt8(ascii: "}"), UInt8(ascii: "]"):
                depth -= 1
            case UInt8(ascii: ","):
                if depth == 1 { expectingName = true }
            default: break
            }
            index += 1
        }
        return names
    }

    /// The first name written twice, if any.
    static func firstRepeat(_ text: String) -> String? {
        var seen: Set<String> = []
        for name in names(text) ?? [] where !seen.insert(name).inserted { return name }
        return nil
    }
}
