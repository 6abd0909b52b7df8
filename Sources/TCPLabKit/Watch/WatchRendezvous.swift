import Foundation
import Glibc

/// Where a running `tcplab watch` can be found by `tcplab watch --join` in another terminal:
/// a directory `watch-PID` (PID: the watch's own) under `$XDG_RUNTIME_DIR/tcplab`, or
/// `/tmp/tcplab-UID` without it, mode 0700 and owned by the user. It holds `trace`, a FIFO
/// (mkfifo(3)) the watch reads its program's strace lines from; a joined program's strace
/// writes into a FIFO of its own there, `trace-PID`.
/// The watch removes the directory when it ends; one left by a killed watch is skipped (and
/// removed) by the next join.
public struct WatchRendezvous: Sendable {
    /// The watch process's pid; its /proc/PID/ns/{user,net} are the namespaces to join.
    public let pid: Int32
    /// `…/watch-PID`.
    public let directory: String
    /// `…/watch-PID/trace`: the FIFO strace writes to (`strace -o`).
    public var traceFIFO: String { directory + "/" + Self.traceFIFOName }
    /// The name of `traceFIFO` in the directory.
    public static let traceFIFOName = "trace"

    /// The directory all of this user's watches are announced in; created (0700) if missing.
    /// Throws when it exists but is not a directory of this user's (someone else's /tmp entry).
    static func base() throws(LabError) -> String {
        let environment = ProcessInfo.processInfo.environment
        let base: String
        if let runtime = environment["XDG_RUNTIME_DIR"], !runtime.isEmpty, access(runtime, W_OK) == 0 {
            base = runtime + "/tcplab"
        } else {
            base = "/tmp/tcplab-\(geteuid())"
        }
        if mkdir(base, 0o700) != 0 && errno != EEXIST {
            throw LabError.system(call: "mkdir \(base)", errno: .current)
        }
        var info = stat()
        guard lstat(base, &info) == 0, info.st_mode & S_IFMT == S_IFDIR, info.st_uid == geteuid() else {
            throw LabError.usage("\(base) is not a directory of yours; remove it and try again")
        }
        return base
    }

    /// Announces this process (the watch): makes `watch-PID` and its FIFO. Call `remove()` at exit.
    public static func announce() throws(LabError) -> WatchRendezvous {
        let directory = try base() + "/watch-\(getpid())"
        if mkdir(directory, 0o700) != 0 { throw LabError.system(call: "mkdir \(directory)", errno: .current) }
        let rendezvous = WatchRendezvous(pid: getpid(), directory: directory)
        if mkfifo(rendezvous.traceFIFO, 0o600) != 0 {
            let failure = Errno.current
            rmdir(directory)
            throw LabError.system(call: "mkfifo \(rendezvous.traceFIFO)", errno: failure)
        }
        return rendezvous
    }

    /// Removes the FIFOs (this watch's and those joins made), the join markers, the directory,
    /// and the directory of watches above it when it is left empty (another watch may still use
    /// it: rmdir(2) then fails with ENOTEMPTY, which is ignored).
    ///
    /// A FIFO nobody has opened for writing yet is opened and closed once for reading first, so
    /// that a joined strace blocked in open(2) on it is let go instead of waiting for ever.
    public func remove() {
        for name in (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        where name.hasPrefix("trace") || name.hasPrefix(Self.joinMarkerPrefix) {
            let path = directory + "/" + name
            if name.hasPrefix("trace") {
                let fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)
                if fd >= 0 { close(fd) }
            }
            unlink(path)
        }
        rmdir(directory)
        Self.removeBaseIfEmpty(base: (directory as NSString).deletingLastPathComponent)
    }

    /// The name (up to the joined process's pid) of the file a join writes when its command runs
    /// without strace (no FIFO then tells the watch it runs).
    public static let joinMarkerPrefix = "join-"

    /// The pids of the joined programs still running: one per `trace-PID`, `trace-shell-PID`
    /// (the join's pid, which exec'd strace) and `join-PID` in the directory, alive and not a
    /// zombie (/proc/PID/stat). A marker whose process is gone is removed. The watch goes on
    /// while this is not empty: a joined program is part of the story watched.
    public func joinedPrograms() -> [Int32] {
        var running: [Int32] = []
        for name in (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? [] {
            let prefix = [StraceTrace.shellFIFOPrefix, "trace-", Self.joinMarkerPrefix].first { name.hasPrefix($0) }
            guard let prefix, let pid = Int32(name.dropFirst(prefix.count)) else { continue }
            if let stat = ProcessStat.read(pid: pid), !stat.isZombie {
                running.append(pid)
            } else if prefix == Self.joinMarkerPrefix {
                unlink(directory + "/" + name)
            }
        }
        return running.sorted()
    }

    /// rmdir(2) of the directory of watches; ENOTEMPTY (another watch's directory) is fine.
    static func removeBaseIfEmpty(base: String) {
        _ = rmdir(base)
    }

    /// The most recently started watch of this user that is still running; a one-line error
    /// when there is none. Directories of watches that are gone are removed on the way.
    public static func running() throws(LabError) -> WatchRendezvous {
        let base = try base()
        var found: [(started: Int, rendezvous: WatchRendezvous)] = []
        for name in (try? FileManager.default.contentsOfDirectory(atPath: base)) ?? [] {
            guard name.hasPrefix("watch-"), let pid = Int32(name.dropFirst(6)) else { continue }
            let rendezvous = WatchRendezvous(pid: pid, directory: base + "/" + name)
            guard let stat = ProcessStat.read(pid: pid), !stat.isZombie else {
                rendezvous.remove()  // left by a watch that was killed
                continue
            }
            guard isWatch(pid) else { continue }
            var info = Glibc.stat()
            _ = lstat(rendezvous.directory, &info)
            found.append((Int(info.st_mtim.tv_sec), rendezvous))
        }
        guard let newest = found.max(by: { ($0.started, $0.rendezvous.pid) < ($1.started, $1.rendezvous.pid) }) else {
            removeBaseIfEmpty(base: base)
            throw LabError.usage("no tcplab watch is running for you to join; start one first, e.g. `tcplab watch --port 7777 -- python3 server.py`")
        }
        return newest.rendezvous
    }

    /// Whether `pid` is a tcplab process (its pid may have been reused by anything else).
    private static func isWatch(_ pid: Int32) -> Bool {
        guard let ownPath = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe"),
              let path = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/\(pid)/exe")
        else {
            // Another user's process (no access to exe): not ours to join.
            return (try? String(contentsOfFile: "/proc/\(pid)/comm", encoding: .utf8))?.hasPrefix("tcplab") == true
        }
        return path == ownPath || (path as NSString).lastPathComponent == "tcplab"
    }
}
