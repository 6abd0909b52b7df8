import Foundation
import Testing
@testable import TCPLabKit

/// /proc/PID/stat and /proc/PID/wchan as the io-models readings parse them, from recorded text.
@Suite struct ProcessActivityTests {
    /// A `sleep 2` in recv-like sleep: pid 27332, state S, utime 0 (field 14), stime 0 (field 15).
    static let sleeping = "27332 (sleep) S 27319 27319 20863 0 -1 4194304 129 0 0 0 0 0 0 0 20 0 1 0 841797 2990080 414 18446744073709551615 0 0 0 0 0 0 0 0 0 0 0 0 17 1 0 0 0 0 0\n"
    /// A spinning process whose comm holds spaces and parentheses: utime 57, stime 12.
    static let spinning = "4242 (a b) c)) R 1 4242 4242 0 -1 4194304 10 0 0 0 57 12 0 0 20 0 1 0 100 2990080 414 18446744073709551615\n"

    @Test func readsStateWchanAndTicks() throws {
        let reading = try #require(ProcessActivity.parse(stat: Self.sleeping, wchan: "wait_woken", time: 7))
        #expect(reading == ProcessActivity(time: 7, pid: 27332, state: "S", wchan: "wait_woken", userTicks: 0, systemTicks: 0))
        #expect(reading.isAsleep && !reading.isRunning)
    }

    @Test func findsTheTicksAfterTheLastParenthesis() throws {
        let reading = try #require(ProcessActivity.parse(stat: Self.spinning, wchan: "0", time: 0))
        #expect(reading.pid == 4242 && reading.state == "R" && reading.userTicks == 57 && reading.systemTicks == 12)
        #expect(reading.cpuTicks == 69 && reading.wchan == "0")
    }

    @Test func refusesAShortLine() {
        #expect(ProcessActivity.parse(stat: "12 (x) S 1 12 12 0", wchan: "", time: 0) == nil)
    }

    @Test func cpuTimeOverReadingsIsInMilliseconds() {
        let readings = [
            ProcessActivity(time: 1_000_000, pid: 1, state: "R", wchan: "0", userTicks: 10, systemTicks: 2),
            ProcessActivity(time: 1_300_000, pid: 1, state: "R", wchan: "0", userTicks: 35, systemTicks: 4),
        ]
        let recording = WaitReadings(id: "x", moment: "x", role: "server", pid: 1, ticksPerSecond: 100, readings: readings)
        let cpu = recording.cpu(over: readings)
        #expect(cpu?.cpuMilliseconds == 270 && cpu?.wallMilliseconds == 300)
    }

    /// kernel.io_uring_disabled = 2 refuses the async variant in one line; 0, 1 and a kernel without the file do not.
    @Test func ioUringDisabledIsSaidInOneLine() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("proc-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        try FileManager.default.createDirectory(at: root.appendingPathComponent("sys/kernel"), withIntermediateDirectories: true)
        #expect(IOUringSupport.refusal(procRoot: root.path) == nil)
        let file = root.appendingPathComponent("sys/kernel/io_uring_disabled")
        for (value, refused) in [("0\n", false), ("1\n", false), ("2\n", true)] {
            try value.write(to: file, atomically: true, encoding: .utf8)
            let refusal = IOUringSupport.refusal(procRoot: root.path)
            #expect((refusal != nil) == refused, "io_uring_disabled = \(value)")
            if let refusal { #expect(refusal.contains("kernel.io_uring_disabled = 2") && !refusal.contains("\n")) }
        }
    }
}
