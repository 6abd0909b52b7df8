import Foundation
import Glibc
import Testing

/// `tcplab states` against `ss -tano` on the same sockets, in a private network namespace of
/// their own: a veth pair `v0`/`v1` with fe80::1 and fe80::2, a listener bound to `lo` with
/// SO_BINDTODEVICE, one on fe80::1 with its scope (`%v0`), a dual-stack and an IPV6_V6ONLY
/// listener on `::`, and connections whose timers are in each of ss's duration ranges (a
/// keepalive at 1–10 s, a TIME_WAIT at ~60 s, a keepalive past a minute). Every row is compared
/// field by field; the namespace, the devices and the sockets end with the driver process.
extension Live {
    @Suite(.timeLimit(.minutes(2)))
    struct StatesLikeSSTests {
        /// One row of either tool, after the whitespace split.
        struct Row: CustomStringConvertible {
            var state: String, receiveQueue: String, sendQueue: String, local: String, peer: String
            /// `timer:(keepalive,8.912sec,0)`, or nil.
            var timer: String?
            var key: String { local + " " + peer }
            var description: String { [state, receiveQueue, sendQueue, local, peer, timer ?? ""].joined(separator: " ") }
        }

        /// What the driver saw, in the order it ran the tools.
        struct Seen: Decodable {
            var ssVersion: String
            var before: String
            var text: String
            var json: String
            var after: String
        }

        /// Runs in `unshare -n` as root: sets up the devices and sockets, runs ss, `tcplab states`
        /// (text, then `--json`) and ss again, prints what they printed as one JSON object.
        static let driver = #"""
        import json, socket, subprocess, sys, time
        tcplab = sys.argv[1]
        def run(*command):
            done = subprocess.run(command, capture_output=True, text=True, timeout=30)
            if done.returncode != 0: sys.exit(f"{command}: exit {done.returncode}: {done.stderr}")
            return done.stdout
        for step in ["link set lo up", "link add v0 type veth peer name v1", "link set v0 up", "link set v1 up",
                     "-6 addr add fe80::1/64 dev v0 nodad", "-6 addr add fe80::2/64 dev v1 nodad"]:
            run("ip", *step.split())
        def listener(family, address, bind_options=()):
            s = socket.socket(family, socket.SOCK_STREAM)
            for level, name, value in bind_options: s.setsockopt(level, name, value)
            s.bind(address); s.listen(5)
            return s
        held = [
            listener(socket.AF_INET, ("0.0.0.0", 6002), [(socket.SOL_SOCKET, socket.SO_BINDTODEVICE, b"lo")]),
            listener(socket.AF_INET6, ("fe80::1", 6001, 0, socket.if_nametoindex("v0"))),
            listener(socket.AF_INET6, ("::", 6003), [(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 0)]),
            listener(socket.AF_INET6, ("::", 6004), [(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 1)]),
        ]
        def connect(address, port, family=socket.AF_INET):
            client = socket.create_connection((address, port), timeout=10)
            accepted, _ = next(s for s in held if s.getsockname()[1] == port).accept()
            held.extend([client, accepted])
            return client, accepted
        connect("127.0.0.1", 6002)           # accepted on the lo-bound listener: 127.0.0.1%lo:6002
        connect("fe80::1%v1", 6001)          # both ends bound by scope: %v1 and %v0
        for port, idle in [(6003, 9), (6004, 75)]:  # keepalive at 1-10 s, and past a minute
            client, _ = connect("::ffff:127.0.0.1" if port == 6003 else "::1", port)
            client.setsockopt(socket.SOL_SOCKET, socket.SO_KEEPALIVE, 1)
            client.setsockopt(socket.IPPROTO_TCP, socket.TCP_KEEPIDLE, idle)
        client, accepted = connect("127.0.0.1", 6002)
        client.close(); accepted.recv(1); accepted.close()  # the client's side goes to TIME_WAIT
        deadline = time.monotonic() + 20
        while "TIME-WAIT" not in run("ss", "-tanH"):
            if time.monotonic() > deadline: sys.exit("no TIME_WAIT socket within 20 s")
            time.sleep(0.05)
        version = run("ss", "-V").strip()
        before = run("ss", "-tanoH")
        text = run(tcplab, "states", "--no-processes")
        as_json = run(tcplab, "states", "--no-processes", "--json")
        after = run("ss", "-tanoH")
        print(json.dumps({"ssVersion": version, "before": before, "text": text, "json": as_json, "after": after}))
        """#

        /// Runs the driver in a new network namespace; fails the test if it takes over 90 s.
        static func observe() throws -> Seen {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/unshare")
            process.arguments = ["--net", "--", "python3", "-c", driver, TCPLabProcess.binary]
            let output = Pipe(), errors = Pipe()
            process.standardOutput = output
            process.standardError = errors
            let ended = DispatchSemaphore(value: 0)
            process.terminationHandler = { _ in ended.signal() }
            try process.run()
            // Read both pipes while it runs, so a full pipe never stalls it.
            final class Collected: @unchecked Sendable {
                let lock = NSLock()
                var data = [Data(), Data()]
            }
            let collected = Collected()
            let readers = DispatchGroup()
            for (index, pipe) in [output, errors].enumerated() {
                DispatchQueue.global().async(group: readers) {
                    let data = pipe.fileHandleForReading.readDataToEndOfFile()
                    collected.lock.withLock { collected.data[index] = data }
                }
            }
            if ended.wait(timeout: .now() + 90) == .timedOut {
                kill(process.processIdentifier, SIGKILL)
                ended.wait()
                Issue.record("the namespace driver did not finish within 90 s")
            }
            readers.wait()
            let (stdout, stderr) = collected.lock.withLock { (collected.data[0], collected.data[1]) }
            try #require(process.terminationStatus == 0, "driver failed: \(String(decoding: stderr, as: UTF8.self))")
            return try JSONDecoder().decode(Seen.self, from: stdout)
        }

        /// `ss -tanoH` lines: State Recv-Q Send-Q Local:Port Peer:Port [timer:(…)].
        static func ssRows(_ text: String) -> [String: Row] {
            rows(text, skipping: 0) { fields in fields.count > 5 ? String(fields[5]) : nil }
        }

        /// `tcplab states --no-processes` lines after the header: … Peer:Port [Timer] (no Process
        /// column, as `ss -tan`).
        static func tcplabRows(_ text: String) -> [String: Row] {
            rows(text, skipping: 1) { fields in fields.count > 5 ? String(fields[5]) : nil }
        }

        private static func rows(_ text: String, skipping: Int, timer: ([Substring]) -> String?) -> [String: Row] {
            var found: [String: Row] = [:]
            for line in text.split(separator: "\n").dropFirst(skipping) {
                let fields = line.split(separator: " ")
                guard fields.count >= 5 else { continue }
                let row = Row(state: String(fields[0]), receiveQueue: String(fields[1]), sendQueue: String(fields[2]),
                              local: String(fields[3]), peer: String(fields[4]), timer: timer(fields))
                found[row.key] = row
            }
            return found
        }

        /// `(kind, milliseconds, count)` of `timer:(keepalive,8.912sec,0)`. ss before 6.11 wrote
        /// 1–10 s as `8.912ms` (`oldSS`): those digits are seconds, as the 2024 fix says.
        static func timer(_ text: String, oldSS: Bool) -> (kind: String, milliseconds: Int, count: String)? {
            guard text.hasPrefix("timer:("), text.hasSuffix(")") else { return nil }
            let parts = text.dropFirst(7).dropLast().split(separator: ",", omittingEmptySubsequences: false)
            guard parts.count == 3 else { return nil }
            var rest = Substring(parts[1]), total = 0
            func number() -> Int? {
                let digits = rest.prefix { $0.isNumber }
                rest = rest.dropFirst(digits.count)
                return Int(digits)
            }
            while !rest.isEmpty {
                guard let value = number() else { return nil }
                if rest.hasPrefix("min") { total += value * 60_000; rest = rest.dropFirst(3) }
                else if rest.hasPrefix("sec") { total += value * 1000; rest = rest.dropFirst(3) }
                else if rest.hasPrefix(".") {
                    rest = rest.dropFirst()
                    guard let millis = number() else { return nil }
                    guard rest == "sec" || (oldSS && rest == "ms") else { return nil }
                    total += value * 1000 + millis; rest = ""
                } else if rest.hasPrefix("ms") { total += value; rest = rest.dropFirst(2) }
                else { return nil }
            }
            return (String(parts[0]), total, String(parts[2]))
        }

        /// iproute2 6.11 is the first with the 1–10 s fix (commit 3e807112).
        static func isOldSS(_ version: String) -> Bool {
            guard let range = version.range(of: #"iproute2-(\d+)\.(\d+)"#, options: .regularExpression) else { return false }
            let numbers = version[range].dropFirst("iproute2-".count).split(separator: ".").compactMap { Int($0) }
            return numbers.count == 2 && (numbers[0], numbers[1]) < (6, 11)
        }

        @Test func everyRowMatchesSSFieldByField() throws {
            let seen = try Self.observe()
            let old = Self.isOldSS(seen.ssVersion)
            let before = Self.ssRows(seen.before), after = Self.ssRows(seen.after), ours = Self.tcplabRows(seen.text)
            #expect(Set(ours.keys) == Set(before.keys), "tcplab:\n\(seen.text)\nss:\n\(seen.before)")
            #expect(Set(before.keys) == Set(after.keys), "the sockets changed between the two ss runs")

            // The addresses as ss prints them, the device cases and both wildcard kinds included.
            for endpoint in ["0.0.0.0%lo:6002 0.0.0.0:*", "[fe80::1]%v0:6001 [::]:*", "*:6003 *:*", "[::]:6004 [::]:*",
                             "127.0.0.1%lo:6002"] {
                #expect(before.keys.contains { $0.hasPrefix(endpoint) }, "ss shows no \(endpoint): \(seen.before)")
                #expect(ours.keys.contains { $0.hasPrefix(endpoint) }, "tcplab shows no \(endpoint): \(seen.text)")
            }
            #expect(ours.keys.contains { $0.hasPrefix("[fe80::2]%v1:") && $0.hasSuffix(" [fe80::1]:6001") })

            var ranges: Set<String> = []
            for (key, ss) in before.sorted(by: { $0.key < $1.key }) {
                guard let row = ours[key], let later = after[key] else { continue }
                #expect(row.state == ss.state, "\(key)")
                #expect(row.receiveQueue == ss.receiveQueue && row.sendQueue == ss.sendQueue, "\(row) vs ss \(ss)")
                #expect((row.timer == nil) == (ss.timer == nil), "\(row) vs ss \(ss)")
                guard let ourText = row.timer, let ssText = ss.timer, let laterText = later.timer else { continue }
                let mine = try #require(Self.timer(ourText, oldSS: false), "tcplab's timer \(ourText) is not in ss's current format")
                let first = try #require(Self.timer(ssText, oldSS: old)), last = try #require(Self.timer(laterText, oldSS: old))
                #expect(mine.kind == first.kind && mine.count == first.count, "\(row) vs ss \(ss)")
                // A countdown read between two ss runs lies between their readings.
                #expect(first.milliseconds >= mine.milliseconds && mine.milliseconds >= last.milliseconds,
                        "ss \(ssText), then tcplab \(ourText), then ss \(laterText)")
                switch mine.milliseconds {
                case 1000..<10_000:
                    ranges.insert("1-10 s")
                    #expect(ourText.wholeMatch(of: #/timer:\(keepalive,[1-9](\.\d{3})?sec,0\)/#) != nil, "\(ourText)")
                case 10_000..<60_000: ranges.insert("seconds")
                case 60_000...: ranges.insert("minutes")
                default: break
                }
            }
            #expect(ranges == ["1-10 s", "seconds", "minutes"], "timers seen: \(ours.values.compactMap(\.timer))")
        }

        @Test func jsonCarriesTheInterfaceAndTheSameText() throws {
            let seen = try Self.observe()
            struct Socket: Decodable {
                var local: String, remote: String, timer: String, interface: String?
                struct Kernel: Decodable { var expiresInMilliseconds: Int? }
                var kernelTimer: Kernel
            }
            let sockets = try JSONDecoder().decode([Socket].self, from: Data(seen.json.utf8))
            let before = Self.ssRows(seen.before)
            #expect(Set(sockets.map { $0.local + " " + $0.remote }) == Set(before.keys), "\(seen.json)")
            for socket in sockets {
                let expected: String? = socket.local.contains("%") ? String(socket.local.split(separator: "%")[1].split(separator: ":")[0]) : nil
                #expect(socket.interface == expected, "\(socket.local): interface \(socket.interface ?? "none")")
                // The text and the number say the same time (the bug: `7.210ms` beside 721 hundredths).
                if !socket.timer.isEmpty {
                    let parsed = try #require(Self.timer(socket.timer, oldSS: false), "\(socket.timer)")
                    let exact = try #require(socket.kernelTimer.expiresInMilliseconds)
                    #expect(parsed.milliseconds <= exact && exact - parsed.milliseconds < (exact >= 600_000 ? 60_000 : 1000),
                            "\(socket.timer) beside \(exact) ms")
                }
            }
            #expect(sockets.contains { $0.interface == "lo" } && sockets.contains { $0.interface == "v0" }
                && sockets.contains { $0.interface == "v1" })
        }
    }
}
