import Foundation
import Glibc
import Testing

/// `tcplab check` with real programs in Tests/LiveTests/Programs (Python 3): each example of
/// issue 13 with a fixed program that passes and a broken one that fails with the evidence a
/// student needs; a program that cannot take its role gets one line and exit 2; `--junit` is
/// read by Python's xml.etree; one check runs as `nobody` in a user namespace. No program of a
/// check is left running afterwards.
extension Live {
    @Suite(.timeLimit(.minutes(3)))
    struct CheckLiveTests {
        static let programs = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Programs")
        static func program(_ name: String) -> String { programs.appendingPathComponent(name).path }

        /// The parts of `tcplab check --json` these tests read.
        struct CheckJSON: Decodable {
            struct Claim: Decodable { var id: String; var holds: Bool; var evidence: String }
            struct Replaced: Decodable { var claim: String; var by: [String] }
            var scenario: String
            var variant: String
            var role: String
            var traced: Bool
            var replaced: [Replaced]
            var claims: [Claim]
            var passed: Bool

            func claim(_ id: String) throws -> Claim { try #require(claims.first { $0.id == id }, "no claim \(id) in \(claims.map(\.id))") }
        }

        /// `tcplab check ARGS… --json -- python3 PROGRAM`, its exit status and its JSON.
        static func check(_ arguments: [String], _ program: String) throws -> (status: Int32, result: CheckJSON, stderr: String) {
            let outcome = try TCPLabProcess.run(["check"] + arguments + ["--json", "--", "python3", Self.program(program)], timeout: 60)
            let result = try JSONDecoder().decode(CheckJSON.self, from: Data(outcome.stdout.utf8))
            #expect(leftovers().isEmpty, "left running: \(leftovers())")
            return (outcome.status, result, outcome.stderr)
        }

        /// Processes still running one of the test programs.
        static func leftovers() -> [String] {
            ((try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []).compactMap { entry in
                guard Int32(entry) != nil, let command = try? String(contentsOfFile: "/proc/\(entry)/cmdline", encoding: .utf8),
                      command.contains(programs.path) else { return nil }
                return "\(entry) " + command.replacingOccurrences(of: "\u{0}", with: " ")
            }
        }

        static func expectAllHold(_ result: CheckJSON, _ status: Int32, _ stderr: String) {
            #expect(status == 0, "stderr: \(stderr)")
            #expect(result.passed)
            for claim in result.claims { #expect(claim.holds, "\(claim.id): \(claim.evidence)") }
        }

        // MARK: zombie --variant waitpid-handler --server

        @Test func zombieCheckPassesAReapingForkServer() throws {
            let (status, result, stderr) = try Self.check(["zombie", "--variant", "waitpid-handler", "--server"], "forkserver_reaps.py")
            Self.expectAllHold(result, status, stderr)
            #expect(result.claims.map(\.id) == ["each-client-answered", "fork-per-connection", "children-reaped", "no-zombie-after-clients-left"])
            #expect(result.replaced.map(\.claim).sorted() == ["each-client-served", "handler-reaps-each", "no-zombie-remains"])
        }

        @Test func zombieCheckFailsANeverReapingForkServerWithItsZombieRows() throws {
            let (status, result, _) = try Self.check(["zombie", "--variant", "waitpid-handler", "--server"], "forkserver_noreap.py")
            #expect(status == 1)
            #expect(try result.claim("fork-per-connection").holds)
            let zombies = try result.claim("no-zombie-after-clients-left")
            #expect(!zombies.holds)
            #expect(zombies.evidence.components(separatedBy: " Z ppid ").count - 1 == 3, "three zombie rows: \(zombies.evidence)")
            #expect(zombies.evidence.contains("[python3] <defunct>"), "\(zombies.evidence)")
        }

        /// Without strace (`--no-trace`) the process table alone still shows the zombies.
        @Test func zombieCheckWithoutStraceJudgesFromTheProcessTable() throws {
            let (status, result, _) = try Self.check(["zombie", "--variant", "waitpid-handler", "--server", "--no-trace"], "forkserver_noreap.py")
            #expect(status == 1)
            #expect(!result.traced)
            #expect(try result.claim("fork-per-connection").holds)
            let zombies = try result.claim("no-zombie-after-clients-left")
            #expect(!zombies.holds && zombies.evidence.contains("<defunct>"), "\(zombies.evidence)")
        }

        // MARK: broken-pipe --variant fixed-client --client

        @Test func fixedClientCheckPassesAClientThatReadsTheEOFFirst() throws {
            let (status, result, stderr) = try Self.check(["broken-pipe", "--variant", "fixed-client", "--client"], "fixedclient.py")
            Self.expectAllHold(result, status, stderr)
            #expect(result.role == "client")
            #expect(result.claims.map(\.id).contains("no-sigpipe"))
        }

        @Test func fixedClientCheckFailsThePostsClientNamingTheRSTAndTheSignal() throws {
            let (status, result, _) = try Self.check(["broken-pipe", "--variant", "fixed-client", "--client"], "postsclient.py")
            #expect(status == 1)
            let reset = try result.claim("no-rst")
            #expect(!reset.holds && reset.evidence.contains("RST #"), "\(reset.evidence)")
            let pipe = try result.claim("no-sigpipe")
            #expect(!pipe.holds)
            #expect(pipe.evidence.contains("RST #"), "\(pipe.evidence)")
            // Python ignores SIGPIPE, so its send fails with EPIPE; strace still shows the signal raised.
            #expect(pipe.evidence.contains(result.traced ? "received SIGPIPE" : "exited with status 1"), "\(pipe.evidence)")
            #expect(!(try result.claim("clean-close").holds))
        }

        // MARK: broken-pipe --server

        @Test func brokenPipeServerCheckPassesThePostsOnceServer() throws {
            let (status, result, stderr) = try Self.check(["broken-pipe", "--server"], "onceserver.py")
            Self.expectAllHold(result, status, stderr)
            #expect(try result.claim("rst-to-hehe").evidence.contains("RST #"))
            #expect(try result.claim("sigpipe-kills").evidence.contains("SIGPIPE"))
        }

        @Test func brokenPipeServerCheckFailsAServerThatKeepsTheConnection() throws {
            let (status, result, _) = try Self.check(["broken-pipe", "--server"], "echoserver.py")
            #expect(status == 1)
            let reset = try result.claim("rst-to-hehe")
            #expect(!reset.holds && reset.evidence.contains("its socket was still open"), "\(reset.evidence)")
        }

        // MARK: concurrency --variant epoll --server

        @Test func epollCheckSeesOverlapWithOneProcessAndOneThread() throws {
            let (status, result, stderr) = try Self.check(["concurrency", "--variant", "epoll", "--server"], "epollserver.py")
            Self.expectAllHold(result, status, stderr)
            #expect(try result.claim("overlap-observed").evidence.contains("meanwhile client 2 answered"))
            #expect(try result.claim("single-thread").evidence.contains("1 thread, no children"))
        }

        @Test func epollCheckFailsAnIterativeServer() throws {
            let (status, result, _) = try Self.check(["concurrency", "--variant", "epoll", "--server"], "echoserver.py")
            #expect(status == 1)
            let overlap = try result.claim("overlap-observed")
            #expect(!overlap.holds && overlap.evidence.contains("outside client 1's idle time"), "\(overlap.evidence)")
        }

        // MARK: close-states --variant server-first --server

        @Test func serverFirstCheckPassesAnEchoServerStoppedByCtrlC() throws {
            let (status, result, stderr) = try Self.check(["close-states", "--variant", "server-first", "--server"], "echoserver.py")
            Self.expectAllHold(result, status, stderr)
            #expect(try result.claim("fin-wait2-close-wait").evidence.contains("server FIN_WAIT2"))
            #expect(try result.claim("time-wait-first-closer").evidence.contains("server TIME_WAIT"))
        }

        @Test func serverFirstCheckFailsAServerThatIgnoresCtrlC() throws {
            let (status, result, _) = try Self.check(["close-states", "--variant", "server-first", "--server"], "echoserver_ignores_ctrl_c.py")
            #expect(status == 1)
            let states = try result.claim("fin-wait2-close-wait")
            #expect(!states.holds && states.evidence.contains("server ESTABLISHED"), "\(states.evidence)")
        }

        // MARK: a program that cannot take its role

        @Test(arguments: [
            (["python3", "-c", "import sys; print('oops', file=sys.stderr); sys.exit(3)"], "your program exited with status 3 before listening on 127.0.0.1:7777 (its last line: oops)"),
            (["python3", "-c", "import socket, time; s = socket.socket(); s.bind(('127.0.0.1', 8080)); s.listen(); time.sleep(30)"],
             "your program listens on 127.0.0.1:8080, not on 127.0.0.1:7777"),
            (["no-such-program-here"], "cannot run no-such-program-here: not found on PATH"),
        ])
        func aProgramThatCannotTakeItsRoleGetsOneLine(command: [String], line: String) throws {
            let outcome = try TCPLabProcess.run(["check", "broken-pipe", "--server", "--start-timeout", "5", "--"] + command, timeout: 30)
            #expect(outcome.status == 2)
            #expect(outcome.stdout.isEmpty, "stdout: \(outcome.stdout)")
            let lines = outcome.stderr.split(separator: "\n")
            #expect(lines.count == 1 && lines.first?.contains(line) == true, "stderr: \(outcome.stderr)")
        }

        // MARK: results for a course

        /// The JUnit XML as Python's xml.etree reads it: the schema's required fields, one test case per claim.
        @Test func junitReportIsReadByPythonsXMLParser() throws {
            let directory = FileManager.default.temporaryDirectory.appendingPathComponent("tcplab-junit-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: directory) }
            let report = directory.appendingPathComponent("report.xml").path
            let outcome = try TCPLabProcess.run(["check", "broken-pipe", "--variant", "fixed-client", "--client", "--junit", report, "--",
                                                 "python3", Self.program("postsclient.py")], timeout: 60)
            #expect(outcome.status == 1, "stderr: \(outcome.stderr)")
            let reader = """
                import sys, xml.etree.ElementTree as ET
                root = ET.parse(sys.argv[1]).getroot()
                assert root.tag == "testsuites", root.tag
                for key in ("name", "tests", "failures"): assert key in root.attrib, key
                suites = root.findall("testsuite"); assert len(suites) == 1
                suite = suites[0]
                for key in ("name", "tests", "failures"): assert key in suite.attrib, key
                cases = suite.findall("testcase")
                assert int(suite.get("tests")) == len(cases), (suite.get("tests"), len(cases))
                for case in cases:
                    for key in ("name", "classname"): assert key in case.attrib, key
                failed = [case for case in cases if case.find("failure") is not None]
                assert int(suite.get("failures")) == len(failed)
                for case in failed: assert case.find("failure").get("message"), case.get("name")
                print(len(cases), len(failed))
                for case in failed: print(case.get("name").split(":")[0], "|", case.find("failure").get("message"))
                """
            let python = Process()
            python.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            python.arguments = ["python3", "-c", reader, report]
            let pipe = Pipe()
            python.standardOutput = pipe
            try python.run()
            let text = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            python.waitUntilExit()
            #expect(python.terminationStatus == 0, "python3 could not read the report: \(text)")
            let lines = text.split(separator: "\n")
            #expect(lines.first == "8 5", "cases and failures: \(lines.first ?? "none")")
            #expect(lines.contains { $0.hasPrefix("no-rst | seen instead: RST #") }, "\(text)")
        }

        @Test func listSaysWhichVariantsTakeWhichRole() throws {
            let outcome = try TCPLabProcess.run(["check", "--list"])
            #expect(outcome.status == 0)
            for line in ["tcplab check zombie --variant waitpid-handler --server -- CMD",
                         "tcplab check broken-pipe --variant fixed-client --client -- CMD",
                         "tcplab check broken-pipe --variant default --server -- CMD",
                         "tcplab check concurrency --variant epoll --server -- CMD",
                         "tcplab check close-states --variant server-first --server -- CMD",
                         "claim handler-reaps-each is judged from outside as children-reaped"] {
                #expect(outcome.stdout.contains(line), "missing: \(line)")
            }
            let wrong = try TCPLabProcess.run(["check", "broken-pipe", "--client", "--", "true"])
            #expect(wrong.status == 2)
            #expect(wrong.stderr.contains("variants of broken-pipe that take your client: fixed-client"), "\(wrong.stderr)")
        }

        // MARK: as nobody

        /// A plain user in a user + network namespace of its own: the fixed and the broken fork server.
        @Test(.enabled(if: getuid() == 0, "switching to nobody needs root"))
        func nobodyChecksAForkServerInAUserNamespace() throws {
            let sandbox = try UnprivilegedLiveTests.Sandbox()
            defer { sandbox.remove() }
            for name in ["forkserver_reaps.py", "forkserver_noreap.py"] {
                let copy = sandbox.directory.appendingPathComponent(name).path
                try FileManager.default.copyItem(atPath: Self.program(name), toPath: copy)
                try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: copy)
            }
            func run(_ name: String) throws -> (Int32, CheckJSON) {
                let outcome = try sandbox.runAsNobody(["check", "zombie", "--variant", "waitpid-handler", "--server", "--json", "--",
                                                       "python3", sandbox.directory.appendingPathComponent(name).path])
                return (outcome.status, try JSONDecoder().decode(CheckJSON.self, from: Data(outcome.stdout.utf8)))
            }
            let (passing, fixed) = try run("forkserver_reaps.py")
            #expect(passing == 0, "\(fixed.claims.filter { !$0.holds }.map { "\($0.id): \($0.evidence)" })")
            let (failing, broken) = try run("forkserver_noreap.py")
            #expect(failing == 1)
            #expect(try broken.claim("no-zombie-after-clients-left").evidence.contains("<defunct>"))
        }
    }
}
