import Foundation
import Glibc

/// What Ctrl-C does to a live run (`tcplab scenario`, `exercise`, `bench`): the signal thread
/// takes the run over and ends the process itself, whatever the main thread is doing.
///
/// On the first SIGINT, SIGTERM, SIGHUP or SIGQUIT:
/// 1. the main thread's side of the process closes: its output lines are dropped (a role killed
///    by the teardown is not reported as a failure of the run), nothing new is registered (a lab
///    that was about to start roles waits instead), and it cannot end the process with a status
///    of its own (`exit` waits for the signal thread);
/// 2. every registered stop runs on the signal thread (`LabRun.abort`: SIGKILL to every role's
///    process group, all reaped, the capture closed);
/// 3. `tcplab: interrupted by SIGINT; roles stopped and cleaned up` goes to standard error and
///    the process ends with `_exit(128 + signal)`: 130 for SIGINT, 143 for SIGTERM.
///
/// A signal that comes after the main thread has started to end the process (every lab torn
/// down, its results being printed: `beginEnding`) changes nothing: the run was over, and what it
/// prints is its verdict, never half a verdict under an "interrupted" line.
public final class Interruption: @unchecked Sendable {
    /// The process's one interruption.
    public static let shared = Interruption()

    /// A registered stop, to release once what it stops has been torn down.
    public struct Registration: Sendable {
        fileprivate let id: Int
    }

    private let state = NSLock()
    private var signal: Int32?
    private var ending = false
    private var stops: [Int: @Sendable () -> Void] = [:]
    private var nextID = 0
    /// Held while the main thread writes a line, so the interrupt thread's message comes after it.
    private let output = NSLock()

    private init() {}

    /// Starts taking interrupts this way. Call once, after `Interrupts.block()` and after
    /// `NetworkIsolation.enter()` (which needs the process single-threaded). Signals that came
    /// before are pending and are taken now.
    public func takeOver() {
        Interrupts.watch { [self] signal in interrupt(by: signal) }
    }

    /// The signal taken, once there is one.
    public var received: Int32? { state.withLock { signal } }

    /// Registers `stop` to run on the signal thread if an interrupt comes; release it once what it
    /// stops is torn down. If an interrupt has already been taken this never returns: the process
    /// is being ended, and whatever the caller was about to start must not start.
    public func register(_ stop: @escaping @Sendable () -> Void) -> Registration {
        state.lock()
        guard signal == nil else {
            state.unlock()
            Self.waitForTheEnd()
        }
        nextID += 1
        let id = nextID
        stops[id] = stop
        state.unlock()
        return Registration(id: id)
    }

    /// Forgets a registered stop.
    public func release(_ registration: Registration) {
        state.withLock { _ = stops.removeValue(forKey: registration.id) }
    }

    /// Runs `body`, a side effect of the main thread (printing a line, writing a result file),
    /// unless an interrupt has been taken: then it is skipped.
    public func unlessInterrupted(_ body: () -> Void) {
        output.lock()
        defer { output.unlock() }
        guard received == nil else { return }
        body()
    }

    /// The run is over (every lab torn down) and its results are about to be printed: from here a
    /// signal changes nothing, so a printed verdict always comes with the exit status it gives.
    /// If an interrupt was taken before, this never returns: the signal thread is ending the
    /// process with 128 + signal, and no result of the aborted run may be printed.
    public func beginEnding() {
        state.lock()
        if signal != nil {
            state.unlock()
            Self.waitForTheEnd()
        }
        ending = true
        state.unlock()
    }

    /// Ends the process with `end`, unless an interrupt has been taken: then waits for the
    /// signal thread, which is tearing the run down and will end the process with 128 + signal.
    public func exit(_ end: () -> Never) -> Never {
        beginEnding()
        end()
    }

    private func interrupt(by received: Int32) {
        let stops: [@Sendable () -> Void]
        state.lock()
        if ending {
            state.unlock()
            return
        }
        signal = received
        stops = Array(self.stops.values)
        state.unlock()
        // A line the main thread is writing is finished first; a write stuck on a full pipe
        // does not hold the teardown up for more than this.
        if output.lock(before: Date(timeIntervalSinceNow: 0.1)) { output.unlock() }
        for stop in stops { stop() }
        let message = Array("\ntcplab: \(LabError.interrupted(received))\n".utf8)
        message.withUnsafeBytes { _ = Glibc.write(2, $0.baseAddress, $0.count) }
        // _exit, not exit: the main thread may hold stdio's locks, and nothing is left to flush
        // (every line is flushed when printed; the capture file was closed by its stop).
        _exit(128 + received)
    }

    private static func waitForTheEnd() -> Never {
        while true { DispatchSemaphore(value: 0).wait() }
    }
}
