import ArgumentParser
import Foundation
import Glibc
import TCPLabKit

struct WatchCommand: ParsableCommand, InterruptibleCommand {
    static let configuration = CommandConfiguration(
        commandName: "watch",
        abstract: "Run your own program (any language) and watch its segments, socket states and processes live.",
        discussion: """
            Examples: `tcplab watch --port 7777 -- python3 server.py`, then connect from another terminal; \
            or `tcplab watch --port 7777` alone to watch whatever uses the port until Ctrl-C. It watches the \
            host's loopback, so capturing needs root (or CAP_NET_RAW). Ctrl-C is passed on to your program \
            (its whole process group); what is still running 0.2 s later is killed, the summary printed, and \
            tcplab exits with 130 (143 for SIGTERM). Exit status 0 when your program ended by itself.
            """)

    @Option(help: "Only this port (the server's); without it, every TCP segment on loopback.")
    var port: UInt16?

    @Option(help: "Keep the capture in this pcap file.")
    var pcap: String?

    @Option(help: "Bytes kept of each packet (headers and a payload preview need 128; a whole loopback packet is up to 65 KiB).")
    var snaplen: Int32 = 2048

    @Flag(help: "Show raw sequence and acknowledgment numbers instead of relative ones.")
    var absolute = false

    @Flag(help: "At the end, print everything shown as JSON instead of the live text.")
    var json = false

    @Argument(parsing: .postTerminator, help: "The program to run and its arguments, after `--`.")
    var command: [String] = []

    struct Result: Encodable {
        var command: [String]
        var port: UInt16?
        var segments: [SegmentRow]
        var sockets: [RunReport.Snapshot]
        var processes: [ProcessSnapshot]
        var ended: String?
        var capture: CaptureStatistics?
    }

    var takesInterrupts: Bool { true }

    func run() throws {
        if command.isEmpty && port == nil {
            throw fail("give a program to run after `--`, or a --port to watch (or both)")
        }
        // The main thread ends this run itself (it only waits meanwhile): the signal thread just
        // says which signal came. One that came earlier was pending and is taken now.
        let interrupt = InterruptFlag()
        Interrupts.watch { received in interrupt.set(received) }
        let quiet = json
        let watch: PortWatch
        do {
            watch = try PortWatch(port: port, pcap: pcap, absolute: absolute, snapshotLength: max(96, snaplen)) { line in
                if !quiet { emit(line) }
            }
        } catch { throw fail(error.description) }
        var program: WatchedProgram?
        if !command.isEmpty {
            do { program = try WatchedProgram(command) } catch { throw fail(error.description) }
        }
        if !quiet {
            emit("watching \(port.map { "port \($0)" } ?? "all TCP") on the host loopback"
                 + (program.map { "; program pid \($0.pid): \(command.joined(separator: " "))" } ?? "") + "  (Ctrl-C to stop)")
        }
        watch.start(program: program?.pid)

        // Wait for the program to end, or for Ctrl-C (forwarded to the program, as a terminal would).
        let received = interrupt.wait { program?.termination != nil }
        if let program, let received { program.stop(forwarding: received) }
        let statistics = watch.stop()
        let ended = program?.termination.map { "your program \($0)" }
        if json {
            emitJSON(Result(command: command, port: port, segments: watch.rows, sockets: watch.socketSnapshots,
                            processes: watch.processSnapshots, ended: ended, capture: statistics))
        } else {
            emit("")
            emit("\(watch.rows.count) segments" + (ended.map { "; \($0)" } ?? "")
                 + (statistics.map { "; \($0.dropped) dropped by the kernel" } ?? "")
                 + (pcap.map { "; capture saved to \($0)" } ?? ""))
        }
        if let received {
            let stopped = program == nil ? "" : "; your program was stopped"
            FileHandle.standardError.write(Data("\ntcplab: interrupted by \(SignalName.of(received))\(stopped)\n".utf8))
            throw ExitCode(128 + received)
        }
    }
}

/// The signal Ctrl-C delivered, handed from the signal thread to the main thread.
final class InterruptFlag: @unchecked Sendable {
    private let condition = NSCondition()
    private var signal: Int32?

    func set(_ received: Int32) {
        condition.lock()
        signal = received
        condition.broadcast()
        condition.unlock()
    }

    /// Waits until a signal arrives or `done()` holds (checked every 50 ms: the program's end is
    /// noticed by another thread without telling this one); returns the signal, if any.
    func wait(until done: () -> Bool) -> Int32? {
        condition.lock()
        defer { condition.unlock() }
        while signal == nil, !done() {
            _ = condition.wait(until: Date(timeIntervalSinceNow: 0.05))
        }
        return signal
    }
}
