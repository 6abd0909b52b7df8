import ArgumentParser
import Foundation
import Glibc
import TCPLabKit

struct WatchCommand: ParsableCommand, InterruptibleCommand {
    static let configuration = CommandConfiguration(
        commandName: "watch",
        abstract: "Run your own program (any language) and watch its segments, socket states and processes live.",
        discussion: """
            Examples: `tcplab watch --port 7777 -- python3 server.py`, then in another terminal \
            `tcplab watch --join -- python3 client.py`; or `tcplab watch --port 7777` alone to watch whatever \
            uses the port until Ctrl-C. Your program runs in a private network namespace of its own (a user + \
            network namespace without root, where the kernel allows it: `tcplab doctor` says), so no root is \
            needed; `--join` runs a command (or, without one, your shell) inside the most recent watch's \
            namespace; the calls of what you run there (from that shell too) join the watch's timeline. With \
            `--host-loopback`, or where no namespace can be had, the host's loopback is \
            watched, which needs root (or CAP_NET_RAW). Your program's calls are shown from its first socket \
            call (a launcher's before it, such as a pyenv shim's, are left out), and what it prints as `output` lines \
            where its write returned; a segment is printed once strace has reported every call begun before it \
            (a busy machine delays the view, it does not reorder it). With --json, what your program prints \
            goes to standard error, so standard output is the JSON alone. The watch lasts until your program and every process \
            it started have exited, and every program joined to it too, and exits with your program's status (128 + the signal that killed it). \
            Ctrl-C is passed on to your program (its process group); what is still running 0.2 s later is \
            killed, the summary printed, and tcplab exits with 130 (143 for SIGTERM).
            """)

    @Option(help: "Only this port (the server's); without it, every TCP segment on loopback.")
    var port: UInt16?

    @Option(help: "Keep the capture in this pcap file.")
    var pcap: String?

    @Option(help: "Bytes kept of each packet (headers and a payload preview need 128; a whole loopback packet is up to 65 KiB).")
    var snaplen: Int32 = 2048

    @Flag(help: "Show raw sequence and acknowledgment numbers instead of relative ones.")
    var absolute = false

    @Flag(name: .customLong("no-color"), help: "No colour codes (RST, FIN and SYN are coloured on a terminal; never in a pipe or a file, nor when NO_COLOR is set).")
    var noColor = false

    @Flag(help: "At the end, print everything shown as JSON instead of the live text.")
    var json = false

    @Flag(help: "Watch the host's loopback instead of a private network namespace (needs root or CAP_NET_RAW).")
    var hostLoopback = false

    @Flag(help: "Join the running watch's namespace from another terminal: run the command after `--` there (or your shell).")
    var join = false

    @Argument(parsing: .postTerminator, help: "The program to run and its arguments, after `--`.")
    var command: [String] = []

    struct Result: Encodable {
        var command: [String]
        var port: UInt16?
        var segments: [SegmentRow]
        var calls: [RoleStep]
        var sockets: [RunReport.Snapshot]
        var processes: [ProcessSnapshot]
        /// The `why` lines: stories that differ from the textbook, from the evidence.
        var explanations: [String]
        var ended: String?
        var capture: CaptureStatistics?
    }

    var takesInterrupts: Bool { true }

    func validate() throws {
        if join && (port != nil || pcap != nil || json || hostLoopback) {
            throw ValidationError("--join takes only a command after `--` (the watch you join has the port and the capture)")
        }
    }

    func run() throws {
        // One line (not ArgumentParser's usage after it): a port a server can listen on.
        if port == 0 { throw fail("--port must be between 1 and 65535") }
        if join {
            do { try WatchJoin.run(command) } catch { throw fail(error.description) }
        }
        if command.isEmpty && port == nil {
            throw fail("give a program to run after `--`, or a --port to watch (or both)")
        }
        if !command.isEmpty {
            do { try WatchedProgram.checkRunnable(command[0]) } catch { throw fail(error.description) }
        }
        if let pcap {
            do { try LabRun.checkPcapPath(pcap) } catch { throw fail(error.description) }
        }
        // The main thread ends this run itself (it only waits meanwhile): the signal thread just
        // says which signal came. One that came earlier was pending and is taken now.
        // Announced before the namespace is entered: inside a user namespace the user is root.
        var announceError: LabError?
        let rendezvous: WatchRendezvous?
        do { rendezvous = try WatchRendezvous.announce() } catch {
            rendezvous = nil
            announceError = error
        }
        defer { rendezvous?.remove() }
        // While still single-threaded (see NetworkIsolation.enter).
        let isolation = hostLoopback ? NetworkIsolation.hostLoopback(reason: "--host-loopback") : NetworkIsolation.enter()
        let interrupt = InterruptFlag()
        Interrupts.watch { received in interrupt.set(received) }
        let quiet = json
        if !quiet, let announceError { emit("note: another terminal cannot join this watch: \(announceError.description)") }
        if !quiet, case .hostLoopback(let reason) = isolation, !hostLoopback {
            emit("note: no private namespace (\(reason)); watching the host loopback")
        }
        let watch: PortWatch
        do {
            watch = try PortWatch(port: port, pcap: pcap, absolute: absolute, snapshotLength: max(96, snaplen),
                                  palette: Palette.forOutput(noColor: noColor, environment: ProcessInfo.processInfo.environment)) { line in
                if !quiet { emit(line) }
            }
        } catch {
            if case .hostLoopback = isolation { throw fail(error.description + "; `tcplab doctor` says what works here") }
            throw fail(error.description)
        }
        // The programs' calls, from strace through the rendezvous FIFO (joined programs' too).
        let strace = StraceTrace.find()
        var reader: StraceTrace.Reader?
        if strace != nil, let rendezvous {
            reader = StraceTrace.Reader(directory: rendezvous.directory) { line, source in watch.add(line, from: source) }
        } else if !quiet, strace == nil {
            emit("note: strace is not installed, so your program's own calls are not shown (apt-get install strace); segments, states and processes are")
        }
        var program: WatchedProgram?
        var output: ProgramOutput?
        if !command.isEmpty {
            let tracer = reader == nil ? nil : strace.map { StraceTrace.arguments(strace: $0, output: rendezvous!.traceFIFO) }
            // The program's output goes on the timeline where its write returned (the live text
            // only: with --json it goes to standard error, which keeps standard output JSON).
            if !quiet {
                do { output = try ProgramOutput() } catch { emit("note: \(error.description); it is printed as it comes") }
            }
            do { program = try WatchedProgram(command, tracer: tracer, output: quiet ? STDERR_FILENO : output?.terminal) }
            catch { throw fail(error.description) }
            output?.spawned()
            if let program, program.traced { reader?.follow(tracer: program.pid, fifo: WatchRendezvous.traceFIFOName) }
        }
        if let reader { watch.callsKnownUntil = { reader.caughtUp() } }
        if !quiet {
            let place = isolation.isPrivate ? "in a \(isolation.description)" : "on the host loopback"
            emit("watching \(port.map { "port \($0)" } ?? "all TCP") \(place)"
                 + (program.map { "; program: \(command.joined(separator: " ")) (\($0.traced ? "run by strace, strace's pid \($0.pid)" : "pid \($0.pid)"))" } ?? "")
                 + "  (Ctrl-C to stop)")
            if rendezvous != nil {
                emit("another terminal joins it with: tcplab watch --join -- CMD  (or --join alone for a shell)")
            }
        }
        watch.start(program: program)
        output?.start { time, text, end in watch.printed(text, at: time, through: end) }

        // Wait for the program's tree and every joined program to end (a joined client is part of
        // the story: the server may end first), or for Ctrl-C (forwarded to the program, as a terminal would).
        let received = interrupt.wait { program?.termination != nil && rendezvous?.joinedPrograms().isEmpty != false }
        // What the interrupt found still running (said after the summary).
        let programRan = program != nil && program?.termination == nil
        let joinedRan = rendezvous.map { !$0.joinedPrograms().isEmpty } ?? false
        if let program, let received { program.stop(forwarding: received) }
        reader?.stop()
        output?.stop()
        let statistics = watch.stop()
        let ended = program?.termination.map { "your program \($0)" }
        if json {
            emitJSON(Result(command: command, port: port, segments: watch.rows, calls: watch.steps, sockets: watch.socketSnapshots,
                            processes: watch.processSnapshots, explanations: watch.explanations.map(\.story.line), ended: ended,
                            capture: statistics))
        } else {
            emit("")
            emit("\(watch.rows.count) segments" + (ended.map { "; \($0)" } ?? "")
                 + (statistics.map { "; \($0.dropped) dropped by the kernel" } ?? "")
                 + (pcap.map { "; capture saved to \($0)" } ?? ""))
        }
        if let received {
            let stopped = (programRan ? "; your program was stopped" : "")
                + (joinedRan ? "; the joined programs go on, no longer watched" : "")
            FileHandle.standardError.write(Data("\ntcplab: interrupted by \(SignalName.of(received))\(stopped)\n".utf8))
            throw ExitCode(128 + received)
        }
        if let ending = program?.termination, WatchedProgram.exitStatus(ending) != 0 {
            throw ExitCode(WatchedProgram.exitStatus(ending))
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
