import Foundation
import Glibc

/// Turns a watched program's strace lines into the timeline's steps, as the scenarios show
/// their roles' calls: `accept() = 4`, `send("hehe") = 4`, `recv() = 4 "HEHE"`, `close(4) = 0`,
/// `fork() = 1234`, `wait4(-1, …) = 1234`, and notes for signals received and process ends.
/// Each step's role is `pid N` (`WatchRoles` and `TracedCalls` name them `server`, `client`…).
///
/// Calls are shown only on descriptors that are TCP/IP sockets: the ones socket(2) (AF_INET,
/// AF_INET6; the C library's AF_UNIX ones to nscd are left out),
/// accept(2) and dup(2) returned in that process (a fork's child starts with its parent's),
/// until closed; a file's reads (a script being loaded) are left out. A call strace printed
/// as `<unfinished ...>` becomes a step with no end, completed by its `<... resumed>` line.
public struct StraceSteps: Sendable {
    public private(set) var steps: [RoleStep] = []
    /// Each write(2)/writev(2) on descriptor 1 or 2 (not a socket) that wrote something, in
    /// the order strace reported them (what the program may have printed: `WrittenOutput`).
    private(set) var terminalWrites: [WrittenOutput.Write] = []
    private var sockets: [Int32: Set<Int32>] = [:]
    private var unfinished: [Int32: (index: Int?, name: String, arguments: String, began: Int64)] = [:]
    /// Per strace (`feed`'s `stream`): the step of the last call it reported returning and what
    /// `-T` counted for it, until that strace's next line bounds the return.
    private var lastReturn: [String: (index: Int, counted: Int64)] = [:]

    public init() {}

    /// The steps `line` adds or completes, or whose return it places; indexes into `steps` that
    /// changed. `stream` names the strace the line came from (its FIFO), when several write.
    ///
    /// A call's return is placed where strace's `-T` counts it, which can fall up to ~200 µs
    /// before the real return (`StraceLine.returned`) — except for the calls that put segments on
    /// the wire (`wireCalls`): those are placed at an instant known to be after the return, so that
    /// the segments they sent sit inside them, as in a scenario: when the line was read, or, once
    /// that strace writes its next line, just before that line's stamp (strace handled the return
    /// before it stamped anything after it, and whatever the process did next comes after).
    @discardableResult
    public mutating func feed(_ line: StraceLine, stream: String = "") -> [Int] {
        var changed: [Int] = []
        if let last = lastReturn.removeValue(forKey: stream), let ended = steps[last.index].ended {
            let bound = max(last.counted, line.time - 1)
            if ended > bound {
                steps[last.index].ended = bound
                changed.append(last.index)
            }
        }
        let (indexes, counted) = decode(line)
        if let counted, let index = indexes.last { lastReturn[stream] = (index, counted) }
        return changed + indexes.filter { !changed.contains($0) }
    }

    /// The steps `line` adds or completes, and, for a call's return, what `-T` counted for it.
    private mutating func decode(_ line: StraceLine) -> (indexes: [Int], counted: Int64?) {
        let role = "pid \(line.pid)"
        switch line.event {
        case .call(let name, let arguments, let result, let duration):
            let counted = line.time + (duration ?? 0)
            return (add(pid: line.pid, name: name, arguments: arguments, result: result, began: line.time, counted: counted,
                        ended: line.returned(began: line.time, spent: duration), into: nil), counted)
        case .unfinished(let name, let arguments):
            // Shown at once (with no end yet) when it is a call the view shows; read/write on a
            // socket are judged when they return.
            var index: Int?
            if let text = Self.text(name: name, arguments: arguments, sockets: sockets[line.pid] ?? []) {
                steps.append(RoleStep(role: role, call: text.call, text: text.text, isNote: false, began: line.time))
                index = steps.count - 1
            }
            unfinished[line.pid] = (index, name, arguments, line.time)
            return (index.map { [$0] } ?? [], nil)
        case .resumed(let name, let arguments, let result, let duration):
            guard let pending = unfinished.removeValue(forKey: line.pid), pending.name == name else { return ([], nil) }
            // Without -T time, strace's own `<... resumed>` stamp (taken at the return) stands in.
            let counted = duration.map { pending.began + $0 } ?? line.time
            return (add(pid: line.pid, name: name, arguments: pending.arguments + arguments, result: result, began: pending.began,
                        counted: counted, ended: max(counted, line.returnedBy ?? counted), into: pending.index), counted)
        case .signal(let name):
            steps.append(RoleStep(role: role, call: "signal", text: "received \(name)", isNote: true, began: line.time))
        case .exited(let code):
            steps.append(RoleStep(role: role, call: "exit", text: "exited with status \(code)", isNote: true, began: line.time))
            sockets[line.pid] = nil
        case .killed(let name):
            if let pending = unfinished.removeValue(forKey: line.pid), let index = pending.index {
                steps[index].killedBy = SignalName.number(spelling: name).map(Termination.signaled)
                steps[index].killedAt = line.time
                if steps[index].killedBy != nil { sockets[line.pid] = nil; return ([index], nil) }
            }
            steps.append(RoleStep(role: role, call: "exit", text: "killed by \(name)", isNote: true, began: line.time))
            sockets[line.pid] = nil
        }
        return ([steps.count - 1], nil)
    }

    /// The calls (as the view names them) that put segments on the wire while they run: a send's
    /// data, connect's SYN, close's and shutdown's FIN or RST. On lo the kernel sends them before
    /// the call returns. (A recv can send a window update too; it is not a lesson here.)
    static let wireCalls: Set<String> = ["send", "connect", "close", "shutdown"]

    /// `counted`: the return as `-T` counts it (a terminal write's output is placed there: a
    /// write to a terminal puts nothing on the wire); `ended`: where the step's return is placed.
    private mutating func add(pid: Int32, name: String, arguments: String, result: String, began: Int64, counted: Int64,
                              ended: Int64, into existing: Int?) -> [Int] {
        let fields = Self.arguments(arguments)
        let fd = fields.first.flatMap { Int32($0) }
        let value = Int(result.prefix { $0 != " " })
        let known = sockets[pid] ?? []
        let text = Self.text(name: name, arguments: arguments, sockets: known)
        // The descriptor table changes after the call is understood.
        switch name {
        case "socket":
            if let value, value >= 0, fields.first?.hasPrefix("AF_INET") == true { sockets[pid, default: []].insert(Int32(value)) }
        case "accept", "accept4":
            if let value, value >= 0, let fd, known.contains(fd) { sockets[pid, default: []].insert(Int32(value)) }
        case "dup", "dup2", "dup3":
            if let fd, known.contains(fd), let value, value >= 0 { sockets[pid, default: []].insert(Int32(value)) }
        case "close":
            if let fd { sockets[pid]?.remove(fd) }
        case "clone", "clone3", "fork", "vfork":
            if let value, value > 0 { sockets[Int32(value)] = known }
        case "write", "writev":
            if let fd, fd == 1 || fd == 2, !known.contains(fd), let value, value > 0 {
                let shown = name == "write" ? fields.dropFirst().first.flatMap(WrittenOutput.bytes(quoted:)) : nil
                terminalWrites.append(WrittenOutput.Write(pid: pid, returned: counted, bytes: value, shown: shown))
            }
        default: break
        }
        guard let text else { return [] }
        var step = existing.map { steps[$0] }
            ?? RoleStep(role: "pid \(pid)", call: text.call, text: text.text, isNote: false, began: began)
        step.ended = Self.wireCalls.contains(text.call) ? ended : counted
        if result.hasPrefix("-1 "), let errno = Errno(spelling: result.dropFirst(3).prefix { $0 != " " }) {
            step.errno = errno.rawValue
        } else if result != "?" {
            step.returnValue = value
        }
        if text.call == "recv", let data = text.data { step.data = data }
        if let existing {
            steps[existing] = step
            return [existing]
        }
        steps.append(step)
        return [steps.count - 1]
    }

    /// The step's call and text for strace's `name(arguments)`, nil for a call the view leaves
    /// out (a read or write on a descriptor that is not a socket).
    static func text(name: String, arguments: String, sockets: Set<Int32>) -> (call: String, text: String, data: String?)? {
        let fields = Self.arguments(arguments)
        let fd = fields.first.flatMap { Int32($0) }
        let onSocket = fd.map(sockets.contains) ?? false
        switch name {
        case "socket": return fields.first?.hasPrefix("AF_INET") == true ? ("socket", "socket()", nil) : nil
        case "bind", "connect": return onSocket ? (name, "\(name)(\(address(fields.dropFirst().first ?? "")))", nil) : nil
        case "listen": return onSocket ? ("listen", "listen(\(fields.dropFirst().first ?? ""))", nil) : nil
        case "accept", "accept4": return onSocket ? ("accept", "accept()", nil) : nil
        case "shutdown": return onSocket ? ("shutdown", "shutdown(\(fields.dropFirst().first ?? ""))", nil) : nil
        case "close": return onSocket ? ("close", "close(\(fd.map(String.init) ?? ""))", nil) : nil
        case "send", "sendto", "write", "sendmsg", "writev":
            guard onSocket || name.hasPrefix("send") else { return nil }
            return ("send", "send(\(fields.dropFirst().first ?? ""))", nil)
        case "recv", "recvfrom", "read", "recvmsg", "readv":
            guard onSocket || name.hasPrefix("recv") else { return nil }
            let buffer = fields.dropFirst().first ?? ""
            let data = buffer.hasPrefix("\"") ? String(buffer.dropFirst().prefix { $0 != "\"" }) : nil
            return ("recv", "recv()", data)
        case "clone", "clone3", "fork", "vfork":
            return arguments.contains("CLONE_THREAD") ? ("thread", "clone(CLONE_THREAD)", nil) : ("fork", "fork()", nil)
        case "wait4", "waitid", "waitpid": return (name, "\(name)(\(fields.prefix(2).joined(separator: ", ")))", nil)
        case "execve": return ("execve", "execve(\(fields.first ?? ""))", nil)
        case "kill", "tgkill": return (name, "\(name)(\(fields.joined(separator: ", ")))", nil)
        case "dup", "dup2", "dup3": return onSocket ? (name, "\(name)(\(fields.joined(separator: ", ")))", nil) : nil
        case "select", "pselect6", "poll", "ppoll", "epoll_wait", "epoll_pwait", "epoll_pwait2":
            // Traced only when asked (`StraceTrace.readinessCalls`); the descriptor sets are left out.
            return (name, name.hasPrefix("epoll") ? "\(name)(\(fields.first ?? ""))" : "\(name)()", nil)
        default: return nil
        }
    }

    /// `{sa_family=AF_INET, sin_port=htons(7777), sin_addr=inet_addr("127.0.0.1")}` → `127.0.0.1:7777`;
    /// other addresses as strace printed them.
    static func address(_ text: String) -> String {
        guard let portStart = text.range(of: "port=htons("),
              let portEnd = text[portStart.upperBound...].firstIndex(of: ")") else { return text }
        let port = text[portStart.upperBound..<portEnd]
        for marker in ["inet_addr(\"", "inet_pton(AF_INET6, \""] {
            if let start = text.range(of: marker), let end = text[start.upperBound...].firstIndex(of: "\"") {
                let host = text[start.upperBound..<end]
                return marker.hasPrefix("inet_addr") ? "\(host):\(port)" : "[\(host)]:\(port)"
            }
        }
        return text
    }

    /// strace's argument list split at its top-level commas.
    static func arguments(_ text: String) -> [String] {
        var fields: [String] = []
        var current = ""
        var depth = 0, inString = false, escaped = false
        for character in text {
            if inString {
                if escaped { escaped = false } else if character == "\\" { escaped = true } else if character == "\"" { inString = false }
            } else if character == "\"" {
                inString = true
            } else if "({[".contains(character) {
                depth += 1
            } else if ")}]".contains(character) {
                depth -= 1
            } else if character == ",", depth == 0 {
                fields.append(current.trimmingCharacters(in: .whitespaces))
                current = ""
                continue
            }
            current.append(character)
        }
        let last = current.trimmingCharacters(in: .whitespaces)
        if !last.isEmpty { fields.append(last) }
        return fields
    }
}
