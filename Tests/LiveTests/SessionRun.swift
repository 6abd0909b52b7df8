import Foundation
import Glibc
import Testing

/// One `tcplab …` run started in a session of its own (posix_spawn with POSIX_SPAWN_SETSID), so
/// that everything the run creates — roles, the children they fork, a watched program — belongs
/// to that session whoever its parent is now, until it is gone from /proc. "What did this run
/// leave behind" is then a /proc scan for the session: it sees zombies and orphans re-parented to
/// PID 1, and never counts another tcplab run on the machine (another checkout's tests, a
/// student's run of the same build), whose processes are in sessions of their own.
///
/// The run's working directory is a fresh one that holds nothing but what the run writes there;
/// its standard output and error are pipes read by threads of the test.
final class SessionRun: @unchecked Sendable {
    /// A process of the run's session, as /proc/PID/stat shows it.
    struct Leftover: CustomStringConvertible {
        var pid: Int32
        var state: String
        var parent: Int32
        var command: String
        var description: String { "pid \(pid) (\(command)) state \(state) ppid \(parent)" }
    }

    /// How the run ended, as waitpid reported it.
    enum Ending: Equatable, CustomStringConvertible {
        case exited(Int32)
        case signaled(Int32)
        var description: String {
            switch self {
            case .exited(let code): return "exit status \(code)"
            case .signaled(let signal): return "killed by signal \(signal)"
            }
        }
    }

    let pid: pid_t
    let arguments: [String]
    /// The run's working directory (captures/runs/… lands here).
    let directory: URL
    private let ownsDirectory: Bool
    private var input: Int32 = -1
    private let ended = DispatchSemaphore(value: 0)
    private let lock = NSLock()
    private var ending: Ending?
    private var endedAt: ContinuousClock.Instant?
    private var blocked: Bool?
    /// What the run printed so far, and whether each stream reached end of file.
    private let printed = NSCondition()
    private var output: [UInt8] = []
    private var errors: [UInt8] = []
    private var closedStreams = 0
    /// Signalled once standard output may be read (see `holdingOutput`).
    private let outputReleased = DispatchSemaphore(value: 0)

    /// Starts `tcplab arguments…`; with `input`, its standard input is a pipe the test writes to
    /// (`type`, `closeInput`), else /dev/null.
    /// With `directory`, the run starts there (the lab sheets' commands name files relative to the
    /// package root) and the directory is left as it is; otherwise in a fresh one, removed after.
    /// With `holdingOutput`, standard output is a one-page pipe the test does not read until
    /// `releaseOutput()`: a run that prints more than 4096 bytes blocks in write(2) until then.
    init(_ arguments: [String], input withInput: Bool = false, directory given: URL? = nil, holdingOutput: Bool = false) throws {
        self.arguments = arguments
        ownsDirectory = given == nil
        directory = given ?? FileManager.default.temporaryDirectory.appendingPathComponent("tcplab-session-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)

        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        let stdin = withInput ? try Self.pipeEnds() : nil
        let stdout = try Self.pipeEnds(), stderr = try Self.pipeEnds()
        // F_SETPIPE_SZ (fcntl(2)): one page, the smallest a pipe can be.
        if holdingOutput { _ = fcntl(stdout.read, 1031, 4096) }
        if let stdin {
            posix_spawn_file_actions_adddup2(&actions, stdin.read, 0)
        } else {
            posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        }
        posix_spawn_file_actions_adddup2(&actions, stdout.write, 1)
        posix_spawn_file_actions_adddup2(&actions, stderr.write, 2)
        guard Self.addChangeDirectory(&actions, directory.path) == 0 else { throw POSIXError(.ENOSYS) }

        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        // POSIX_SPAWN_SETSID (glibc 2.26), hidden behind _GNU_SOURCE; SETSIGDEF and SETSIGMASK so
        // the run starts with the signal state a shell gives a foreground job.
        let setSession: Int32 = 0x80
        posix_spawnattr_setflags(&attributes, Int16(setSession | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK))
        var defaults = sigset_t()
        sigemptyset(&defaults)
        for signal in [SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGPIPE, SIGCHLD] { sigaddset(&defaults, signal) }
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        var empty = sigset_t()
        sigemptyset(&empty)
        posix_spawnattr_setsigmask(&attributes, &empty)

        let argv = ([TCPLabProcess.binary] + arguments).map { strdup($0) }
        defer { argv.forEach { free($0) } }
        var child: pid_t = 0
        let status = posix_spawn(&child, TCPLabProcess.binary, &actions, &attributes, argv + [nil], environ)
        for end in [stdin?.read, stdout.write, stderr.write].compactMap({ $0 }) { close(end) }
        input = stdin?.write ?? -1
        guard status == 0 else { throw POSIXError(POSIXErrorCode(rawValue: status) ?? .EPERM) }
        pid = child
        _ = TCPLabProcess.startedSessions.withLock { $0.insert(child) }
        let spawned = child
        if !holdingOutput { outputReleased.signal() }
        collect(stdout.read, after: outputReleased) { $0.output += $1 }
        collect(stderr.read, after: nil) { $0.errors += $1 }
        Thread.detachNewThread { [self] in
            // Wait for the end without reaping (WNOWAIT), then reap under the lock: `send` never
            // signals a pid that was freed and perhaps reused.
            var info = siginfo_t()
            while waitid(P_PID, id_t(spawned), &info, WEXITED | WNOWAIT) == -1 && errno == EINTR {}
            let now = ContinuousClock.now
            lock.withLock {
                var raw: Int32 = 0
                while waitpid(spawned, &raw, 0) == -1 && errno == EINTR {}
                ending = (raw & 0x7f) == 0 ? .exited((raw >> 8) & 0xff) : .signaled(raw & 0x7f)
                endedAt = now
            }
            ended.signal()
        }
    }

    deinit {
        if input >= 0 { close(input) }
        if ownsDirectory { try? FileManager.default.removeItem(at: directory) }
    }

    /// posix_spawn_file_actions_addchdir_np (glibc 2.29), hidden behind _GNU_SOURCE: the run
    /// starts in its own directory without the test process changing its own.
    private static let addChangeDirectory: @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, UnsafePointer<CChar>) -> Int32 = {
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "posix_spawn_file_actions_addchdir_np") else {
            return { _, _ in ENOSYS }
        }
        return unsafeBitCast(symbol, to: (@convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, UnsafePointer<CChar>) -> Int32).self)
    }()

    /// A close-on-exec pipe: runs started at the same time must not inherit each other's ends
    /// (a stream would then reach end of file only when the other run ends).
    private static func pipeEnds() throws -> (read: Int32, write: Int32) {
        var ends: [Int32] = [-1, -1]
        guard pipe(&ends) == 0 else { throw POSIXError(.EMFILE) }
        for end in ends { _ = fcntl(end, F_SETFD, FD_CLOEXEC) }
        return (ends[0], ends[1])
    }

    /// Reads `fd` to end of file on a thread of its own, appending with `append`; with `released`,
    /// only once it is signalled.
    private func collect(_ fd: Int32, after released: DispatchSemaphore?, _ append: @escaping @Sendable (SessionRun, [UInt8]) -> Void) {
        Thread.detachNewThread { [self] in
            released?.wait()
            var chunk = [UInt8](repeating: 0, count: 65536)
            while true {
                let count = read(fd, &chunk, chunk.count)
                if count < 0 && errno == EINTR { continue }
                printed.lock()
                if count > 0 { append(self, Array(chunk[..<count])) } else { closedStreams += 1 }
                printed.broadcast()
                printed.unlock()
                if count <= 0 { break }
            }
            close(fd)
        }
    }

    /// Waits until the run has printed `lines` lines on standard output (or closed it, or
    /// `timeout` seconds passed); returns what it printed so far.
    @discardableResult
    func waitForOutput(lines: Int, timeout: Double = 10) -> String {
        let deadline = Date(timeIntervalSinceNow: timeout)
        printed.lock()
        defer { printed.unlock() }
        while output.filter({ $0 == UInt8(ascii: "\n") }).count < lines, closedStreams < 2, printed.wait(until: deadline) {}
        return String(decoding: output, as: UTF8.self)
    }

    /// Waits until what the run printed on standard output satisfies `done` (or it closed its
    /// output, or `timeout` seconds passed); returns what it printed so far.
    @discardableResult
    func waitForOutput(timeout: Double = 10, until done: (String) -> Bool) -> String {
        let deadline = Date(timeIntervalSinceNow: timeout)
        printed.lock()
        defer { printed.unlock() }
        while !done(String(decoding: output, as: UTF8.self)), closedStreams < 2, printed.wait(until: deadline) {}
        return String(decoding: output, as: UTF8.self)
    }

    /// Waits until the run has printed `text` on standard output (or closed it, or `timeout`
    /// seconds passed); returns what it printed so far.
    @discardableResult
    func waitForOutput(containing text: String, timeout: Double = 10) -> String {
        let deadline = Date(timeIntervalSinceNow: timeout)
        printed.lock()
        defer { printed.unlock() }
        while !String(decoding: output, as: UTF8.self).contains(text), closedStreams < 2, printed.wait(until: deadline) {}
        return String(decoding: output, as: UTF8.self)
    }

    /// Lets the test read standard output of a run started `holdingOutput`.
    func releaseOutput() { outputReleased.signal() }

    /// The kernel function the run's main thread sleeps in (/proc/PID/wchan: `pipe_write`, or
    /// `anon_pipe_write` on newer kernels, while it writes to a full pipe),
    /// or nil once it has ended.
    var sleepingIn: String? {
        lock.withLock { ending == nil ? (try? String(contentsOfFile: "/proc/\(pid)/wchan", encoding: .utf8)) : nil }
    }

    /// Whether `signal` is pending for the run, not yet taken by any of its threads
    /// (ShdPnd and SigPnd in /proc/PID/status); false once it has ended.
    func hasPending(_ signal: Int32) -> Bool {
        lock.withLock {
            guard ending == nil else { return false }
            let status = (try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8)) ?? ""
            return status.split(separator: "\n").contains { line in
                guard line.hasPrefix("ShdPnd:") || line.hasPrefix("SigPnd:"),
                      let mask = UInt64(line.drop { $0 != ":" }.dropFirst().trimmingCharacters(in: .whitespaces), radix: 16)
                else { return false }
                return mask & (1 << UInt64(signal - 1)) != 0
            }
        }
    }

    /// How the run ended, if it has.
    var outcome: Ending? { lock.withLock { ending } }

    /// Writes `text` to the run's standard input.
    func type(_ text: String) {
        let bytes = Array(text.utf8)
        _ = bytes.withUnsafeBytes { write(input, $0.baseAddress, $0.count) }
    }

    /// Closes the run's standard input (end of file for it).
    func closeInput() {
        if input >= 0 { close(input) }
        input = -1
    }

    /// Sends `signal` if the run has not ended; returns when it was sent, or nil if the run had
    /// already ended (then nothing is sent).
    func send(_ signal: Int32) -> ContinuousClock.Instant? {
        lock.lock()
        defer { lock.unlock() }
        // Under the lock: the run is alive or a zombie not yet reaped, so its pid is still its own.
        guard ending == nil else { return nil }
        blocked = Self.blocks(pid, signal)
        let sent = ContinuousClock.now
        kill(pid, signal)
        return sent
    }

    /// Whether the run's main thread had `signal` blocked just before it was sent: tcplab blocks
    /// the interrupt signals on the first line of `main`, so false means it had not got there
    /// (the dynamic loader was still at work) and the kernel's default action applies.
    var signalWasBlocked: Bool? { lock.withLock { blocked } }

    /// Reads SigBlk, the blocked-signal mask in hex, from /proc/PID/status (the main thread's).
    private static func blocks(_ pid: pid_t, _ signal: Int32) -> Bool {
        let status = (try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8)) ?? ""
        guard let line = status.split(separator: "\n").first(where: { $0.hasPrefix("SigBlk:") }),
              let mask = UInt64(line.dropFirst("SigBlk:".count).trimmingCharacters(in: .whitespaces), radix: 16)
        else { return false }
        return mask & (1 << UInt64(signal - 1)) != 0
    }

    /// Waits for the run to end; records an issue and returns nil after `timeout` seconds.
    @discardableResult
    func wait(timeout: Double = 30) -> Ending? {
        if ended.wait(timeout: .now() + timeout) == .timedOut {
            Issue.record("tcplab \(arguments.joined(separator: " ")) did not end within \(timeout) s")
            kill(pid, SIGKILL)
            ended.wait()
        }
        ended.signal()  // later waits return at once
        return outcome
    }

    /// Seconds from `instant` to the run's end (once it has ended).
    func seconds(since instant: ContinuousClock.Instant) -> Double? {
        guard let end = lock.withLock({ endedAt }) else { return nil }
        let elapsed = (end - instant).components
        return Double(elapsed.seconds) + Double(elapsed.attoseconds) / 1e18
    }

    /// Everything printed on standard output; once the run has ended, waits (5 s at most) for the
    /// streams to close, which they do when the last process holding them is gone.
    var stdout: String { streams().output }
    /// Everything printed on standard error, likewise.
    var stderr: String { streams().errors }

    private func streams() -> (output: String, errors: String) {
        let deadline = Date(timeIntervalSinceNow: 5)
        printed.lock()
        defer { printed.unlock() }
        if outcome != nil { while closedStreams < 2, printed.wait(until: deadline) {} }
        return (String(decoding: output, as: UTF8.self), String(decoding: errors, as: UTF8.self))
    }

    /// Every process of the run's session still in /proc (the run itself excluded once reaped).
    func leftovers() -> [Leftover] {
        ((try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []).compactMap { entry -> Leftover? in
            guard let pid = Int32(entry), let stat = try? String(contentsOfFile: "/proc/\(entry)/stat", encoding: .utf8),
                  let open = stat.firstIndex(of: "("), let close = stat.lastIndex(of: ")")
            else { return nil }
            // "pid (comm) state ppid pgrp session …", comm found up to the last ')'.
            let fields = stat[stat.index(after: close)...].split(separator: " ")
            guard fields.count > 3, Int32(fields[3]) == self.pid, let parent = Int32(fields[1]) else { return nil }
            return Leftover(pid: pid, state: String(fields[0]), parent: parent,
                            command: String(stat[stat.index(after: open)..<close]))
        }
    }

    /// Checks that the run left nothing: no process of its session, not even a zombie. Zombies
    /// that PID 1 adopted (an orphan's end the scenario shows) are PID 1's to reap, which some
    /// inits do only every second or two: those must be gone within `initGrace` seconds, and
    /// nothing else may be there at all.
    func expectNothingLeft(_ context: String, initGrace: Double = 5, sourceLocation: SourceLocation = #_sourceLocation) {
        let now = leftovers()
        let notInits = now.filter { !($0.state == "Z" && $0.parent == 1) }
        #expect(notInits.isEmpty, "\(context): left running or unreaped: \(notInits)", sourceLocation: sourceLocation)
        guard !now.isEmpty else { return }
        let deadline = ContinuousClock.now + .milliseconds(Int(initGrace * 1000))
        var left = now
        while !left.isEmpty, ContinuousClock.now < deadline {
            // allowed: /proc has no change events; PID 1 reaps on its own schedule, re-read every 20 ms.
            usleep(20_000)
            left = leftovers()
        }
        #expect(left.isEmpty, "\(context): still there after \(initGrace) s: \(left)", sourceLocation: sourceLocation)
    }

    /// Re-reads `condition` every 2 ms until it holds (true) or `timeout` seconds pass (false):
    /// for states /proc shows but sends no event for (a thread asleep in a kernel function, a
    /// signal still pending).
    static func poll(timeout: Double, _ condition: () -> Bool) -> Bool {
        let deadline = ContinuousClock.now + .milliseconds(Int(timeout * 1000))
        while !condition() {
            guard ContinuousClock.now < deadline else { return false }
            // allowed: /proc has no change events for these; re-read every 2 ms.
            usleep(2_000)
        }
        return true
    }

    /// Returns at `instant`: when a test sends a signal at a chosen moment of a run, as
    /// `timeout -s INT T` does.
    static func pause(until instant: ContinuousClock.Instant) {
        // allowed: the moment of the signal is what such a test varies; nothing to wait on.
        while ContinuousClock.now < instant { usleep(500) }
    }

    /// Files in the working directory, as paths relative to it.
    func files() -> [String] {
        let root = directory.path
        let enumerator = FileManager.default.enumerator(atPath: root)
        var found: [String] = []
        while let path = enumerator?.nextObject() as? String {
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: root + "/" + path, isDirectory: &isDirectory), !isDirectory.boolValue {
                found.append(path)
            }
        }
        return found.sorted()
    }
}
