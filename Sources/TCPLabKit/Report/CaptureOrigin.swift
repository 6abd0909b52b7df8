/// Where a capture comes from, which decides how much an annotation may say about who made a
/// segment.
public enum CaptureOrigin: Sendable, Equatable {
    /// A tcplab run (a scenario, its replay, `watch`): both ends are Linux kernels on this
    /// machine, the client and server are the lab's own roles, so an RST is the kernel's answer
    /// and a FIN is a role's close() (`RST: server's kernel resets the connection`).
    case labRun
    /// Any other capture (`tcplab decode FILE`): a segment may come from another operating system,
    /// a middlebox or a crafted packet, and client and server may only be guessed. Annotations
    /// say what the segment is (`RST: connection reset`), not who made it.
    case foreign
}
