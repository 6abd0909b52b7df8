import Foundation
import Glibc

/// What /proc says about a server process at one moment: how many threads it runs
/// (/proc/PID/task) and which processes are its children (/proc/*/stat with that parent),
/// how many of them defunct (state Z, exited and not yet reaped).
///
/// The census goes into the run's record as a lab note, so the claims read it from the
/// observation like everything else; `init?(note:)` reads back what `note(_:)` wrote.
public struct ProcessCensus: Sendable, Equatable {
    public var pid: Int32
    public var threads: Int
    public var children: [Int32]
    public var defunct: Int

    public init(pid: Int32, threads: Int, children: [Int32], defunct: Int) {
        self.pid = pid
        self.threads = threads
        self.children = children
        self.defunct = defunct
    }

    /// Reads the census of `pid` now; nil if the process is gone.
    public static func read(pid: Int32) -> ProcessCensus? {
        guard let tasks = try? FileManager.default.contentsOfDirectory(atPath: "/proc/\(pid)/task") else { return nil }
        var children: [Int32] = []
        var defunct = 0
        for entry in (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? [] {
            guard let child = Int32(entry), let stat = ProcessStat.read(pid: child), stat.parentPID == pid else { continue }
            children.append(child)
            if stat.isZombie { defunct += 1 }
        }
        return ProcessCensus(pid: pid, threads: tasks.count, children: children.sorted(), defunct: defunct)
    }

    /// `lab     /proc with all 3 clients connected: server pid 311 has 1 thread(s) and 3 child process(es) (312 313 314), 0 defunct`.
    public func note(_ moment: String) -> String {
        let pids = children.map(String.init).joined(separator: " ")
        return "lab     /proc \(moment): server pid \(pid) has \(threads) thread(s) and \(children.count) child process(es)"
            + " (\(pids.isEmpty ? "none" : pids)), \(defunct) defunct"
    }

    /// Reads a census back from the text of its note; nil for any other note.
    public init?(note text: String) {
        guard text.hasPrefix("lab     /proc "), let colon = text.range(of: ": server pid ") else { return nil }
        let words = text[colon.upperBound...].split(separator: " ")
        guard words.count >= 11, let pid = Int32(words[0]), let threads = Int(words[2]), let count = Int(words[5]),
              let defunct = Int(words[words.count - 2]), let open = text.range(of: "(es) (")
        else { return nil }
        let pids = text[open.upperBound...].prefix { $0 != ")" }
        let children = pids.split(separator: " ").compactMap { Int32($0) }
        guard children.count == count else { return nil }
        self.init(pid: pid, threads: threads, children: children, defunct: defunct)
    }

    /// The moment a census note was taken: the words between `/proc ` and `: server pid`.
    public static func moment(ofNote text: String) -> String? {
        guard text.hasPrefix("lab     /proc "), let colon = text.range(of: ": server pid ") else { return nil }
        return String(text[text.index(text.startIndex, offsetBy: 14)..<colon.lowerBound])
    }
}
