/// `--step` inside a role: before a call the role makes on its own (a server's answer, its
/// close(), a client's recv() after its send), a held role waits for one line on its standard
/// input, which the lab writes once the teacher has pressed Enter (`LabRun.release(_:_:)`). So the
/// pause that announces the call is printed before the call is made.
///
/// Only roles spawned `heldInSteps` in a `--step` run wait; every other run goes straight through.
/// At end of input (the lab is tearing the run down) the role goes on.
public enum RoleGate {
    /// The line the lab writes to let a held role make its next call.
    public static let go = "go"

    /// Whether this role process is held, set once by `RoleCatalog` before the program starts
    /// (before it makes any thread or child), read-only afterwards.
    nonisolated(unsafe) static var active = false

    /// Waits for the lab's line on `input` (the role's standard input) when the role is held.
    static func wait(_ input: inout LineReader) {
        guard active else { return }
        _ = input.nextLine()
    }
}
