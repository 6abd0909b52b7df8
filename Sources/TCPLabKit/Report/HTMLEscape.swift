/// Text made safe to put inside HTML or SVG, as element content or as a quoted attribute value:
/// payload previews, step texts and role names come from the programs under test, so every
/// `<`, `&` and quote in them must reach the page as a character, never as markup.
public enum HTMLEscape {
    /// `a < b & "c"` becomes `a &lt; b &amp; &quot;c&quot;`.
    public static func text(_ text: String) -> String {
        var result = ""
        result.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": result += "&amp;"
            case "<": result += "&lt;"
            case ">": result += "&gt;"
            case "\"": result += "&quot;"
            case "'": result += "&#39;"
            // Control characters are not allowed in XML (SVG); a preview may hold them.
            case "\u{0}"..."\u{8}", "\u{B}", "\u{C}", "\u{E}"..."\u{1F}", "\u{7F}": result += "\u{FFFD}"
            default: result.unicodeScalars.append(scalar)
            }
        }
        return result
    }
}
