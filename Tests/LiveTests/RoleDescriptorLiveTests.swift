import Foundation
import Testing

extension Live {
    /// Roles run with only what they need: stdin, stdout, stderr, the report pipe and their own
    /// sockets — never the lab's capture handle (a packet socket) or anything else inherited.
    @Suite(.timeLimit(.minutes(1)))
    struct RoleDescriptorLiveTests {
        @Test func rolesHoldOnlyTheirOwnDescriptors() throws {
            let run = try PausedRun("broken-pipe")
            defer { _ = run.interrupt() }
            let pids = run.rolePIDs
            #expect(pids.count == 2)
            for pid in pids {
                let fds = try FileManager.default.contentsOfDirectory(atPath: "/proc/\(pid)/fd").compactMap { Int32($0) }.sorted()
                let links = Dictionary(uniqueKeysWithValues: fds.map { fd in
                    (fd, (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/\(pid)/fd/\(fd)")) ?? "?")
                })
                #expect(Array(fds.prefix(4)) == [0, 1, 2, 3], "pid \(pid) fds \(links)")
                #expect(links[0]?.hasPrefix("pipe:") == true && links[3]?.hasPrefix("pipe:") == true)
                let others = fds.filter { $0 > 3 }.compactMap { links[$0] }
                #expect(others.allSatisfy { $0.hasPrefix("socket:") }, "pid \(pid) holds more than sockets: \(links)")
                // Packet sockets of the run's namespace, as the role sees it: none may be the role's.
                let packetInodes = Set(((try? String(contentsOfFile: "/proc/\(pid)/net/packet", encoding: .utf8)) ?? "")
                    .split(separator: "\n").dropFirst().compactMap { $0.split(separator: " ").last.map(String.init) })
                #expect(!packetInodes.isEmpty, "the lab's capture should be visible in the namespace")
                let roleInodes = others.map { String($0.dropFirst("socket:[".count).dropLast()) }
                #expect(packetInodes.isDisjoint(with: roleInodes), "pid \(pid) inherited the capture handle")
            }
        }
    }
}
