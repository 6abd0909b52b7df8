import TCPLabKit

/// Prints a ladder diagram after a timeline (`--ladder` on scenario, exercise and decode).
enum LadderPrinter {
    static func print(_ ladder: Ladder, style: LadderStyle) {
        emit("")
        emit("ladder")
        for line in LadderText(ladder, style: style).lines(ladder) { emit(line) }
    }
}
