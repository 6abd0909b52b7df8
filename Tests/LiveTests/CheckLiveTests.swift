import Foundation
import Glibc
import Testing

/// `tcplab check` with the students' programs of Labs/programs (Python 3), each in the check its
/// lab sheet runs it under: every broken program fails with the claim and the evidence a student
/// needs, every fixed one passes, and the posts' once-server and line client pass the broken-pipe
/// stories they tell. Tests/LiveTests/Programs holds only what Labs/programs has not (a server
/// that ignores Ctrl-C, which the teardown must still end). A program that cannot take its role gets one line and exit 2; `--junit`
/// is read by Python's xml.etree; the issue's five example checks run as `nobody` in a user
/// namespace. No program of a check is left running afterwards.
extension Live {
    @Suite(.timeLimit(.minutes(3)))
    struct CheckLiveTests {
        static let programs = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Programs")
        static let labPrograms = LabSheet.packageRoot.appendingPathComponent("Labs/programs")
        /// `Labs/programs/NAME` when it is there, else `Tests/LiveTests/Programs/NAME`.
        static func program(_ name: String) -> String {
            let lab = labPrograms.appendingPathComponent(name)
            return FileManager.default.fileExists(atPath: lab.path) ? lab.path : programs.appendingPathComponent(name).path
        }

        /// The parts of `tcplab check --json` these tests read.
        struct CheckJSON: Decodable {
            struct Claim: Decodable { var id: String; var statement: String; var holds: Bool; var evidence: String }
            struct Replaced: Decodable { var claim: String; var by: [String] }
            var scenario: String
            var variant: String
            var role: String
            var traced: Bool
            var replaced: [Replaced]
            var claims: [Claim]
            var passed: Bool
            var notJudged: [String]

            func claim(_ id: String) throws -> Claim { try #require(claims.first { $0.id == id }, "no claim \(id) in \(claims.map(\.id))") }
        }

        /// `tcplab check ARGS… --json -- python3 PROGRAM`, its exit status and its JSON.
        static func check(_ arguments: [String], _ program: String) throws -> (status: Int32, result: CheckJSON, stderr: String) {
            let outcome = try TCPLabProcess.run(["check"] + arguments + ["--json", "--", "python3", Self.program(program)], timeout: 90)
            let result = try JSONDecoder().decode(CheckJSON.self, from: Data(outcome.stdout.utf8))
            #expect(leftovers().isEmpty, "left running: \(leftovers())")
            return (outcome.status, result, outcome.stderr)
        }

        /// Processes still running one of the test programs or the lab's.
        static func leftovers() -> [String] {
            ((try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []).compactMap { entry in
                guard Int32(entry) != nil, let command = try? String(contentsOfFile: "/proc/\(entry)/cmdline", encoding: .utf8),
                      command.contains(programs.path) || command.contains(labPrograms.path) else { return nil }
                return "\(entry) " + command.replacingOccurrences(of: "\u{0}", with: " ")
            }
        }

        static func expectAllHold(_ result: CheckJSON, _ status: Int32, _ stderr: String) {
            #expect(status == 0, "stderr: \(stderr)")
            #expect(result.passed)
            for claim in result.claims { #expect(claim.holds, "\(claim.id): \(claim.evidence)") }
        }

        // MARK: every program of Labs/programs that a sheet checks

        /// One `tcplab check` line of a lab sheet's "Your own program", and what it must show.
        struct SheetCheck: Sendable, CustomTestStringConvertible {
            var arguments: [String]
            var program: String
            /// For a program that fails: the claim that fails, and words its evidence must hold.
            var failure: (claim: String, evidence: [String])?

            var testDescription: String { "\(arguments.joined(separator: " ")) -- \(program)" + (failure == nil ? " passes" : " fails") }

            static func passes(_ arguments: [String], _ program: String) -> SheetCheck { SheetCheck(arguments: arguments, program: program) }
            static func fails(_ arguments: [String], _ program: String, _ claim: String, _ evidence: String...) -> SheetCheck {
                SheetCheck(arguments: arguments, program: program, failure: (claim, evidence))
            }
        }

        static let sheetChecks: [SheetCheck] = [
            // 01 broken-pipe (and 09, 10): the posts' once-server and line client pass the stories they tell.
            .passes(["broken-pipe", "--server"], "once_server.py"),
            .passes(["broken-pipe", "--variant", "sigpipe-ignored", "--client"], "line_client.py"),
            .fails(["broken-pipe", "--variant", "fixed-client", "--client"], "line_client.py", "no-sigpipe", "RST #", "Broken pipe"),
            .passes(["broken-pipe", "--variant", "fixed-client", "--client"], "fixed_client.py"),
            // 02 close-states (and 07)
            .passes(["close-states", "--variant", "server-first", "--server"], "close_server_first.py"),
            .fails(["close-states", "--variant", "server-first", "--server"], "close_client_first.py", "server-closed-first",
                   "the server sent no FIN within 3 s of its reply", "the client closed first (#"),
            .passes(["close-states", "--variant", "server-first", "--server"], "once_server.py"),
            .passes(["close-states", "--variant", "client-first", "--client"], "fixed_client.py"),
            .fails(["close-states", "--variant", "client-first", "--client"], "linger_zero_client.py", "client-closed-first",
                   "no FIN from the client: its RST #", "SO_LINGER 0"),
            // 03 zombie
            .fails(["zombie", "--variant", "waitpid-handler", "--server"], "fork_server_no_reap.py", "no-zombie-after-clients-left", " Z ppid ", "<defunct>"),
            .passes(["zombie", "--variant", "waitpid-handler", "--server"], "fork_server_waitpid.py"),
            .passes(["zombie", "--variant", "sigchld-ignore", "--server"], "fork_server_sigchld_ignore.py"),
            .fails(["zombie", "--variant", "sigchld-ignore", "--server"], "fork_server_keeps_fd.py", "connections-closed", "no FIN from the server", "CLOSE_WAIT"),
            // 04 iterative (and 08), 05 concurrency
            .passes(["iterative", "--server"], "iterative_server.py"),
            .fails(["iterative", "--server"], "one_client_server.py", "b-answered-after-a-left",
                   "no answer to B: RST #", "while it waited in the accept queue"),
            .fails(["concurrency", "--variant", "fork", "--server"], "iterative_server.py", "overlap-observed", "outside client 1's idle time"),
            .passes(["concurrency", "--variant", "fork", "--server"], "fork_server_waitpid.py"),
            .passes(["concurrency", "--variant", "thread", "--server"], "thread_server.py"),
            .passes(["concurrency", "--variant", "thread", "--server"], "socketserver_server.py"),
            .passes(["concurrency", "--variant", "select", "--server"], "select_server.py"),
            .passes(["concurrency", "--variant", "poll", "--server"], "poll_server.py"),
            .passes(["concurrency", "--variant", "epoll", "--server"], "epoll_server.py"),
            .passes(["concurrency", "--variant", "epoll", "--server"], "selectors_server.py"),
            .passes(["concurrency", "--variant", "epoll", "--server"], "asyncio_server.py"),
            .passes(["concurrency", "--variant", "epoll-et", "--server"], "epoll_et_server.py"),
            .fails(["concurrency", "--variant", "epoll-et", "--server"], "epoll_et_once_server.py", "long-line-answered", "Recv-Q", "the rest waited unread"),
            // 06 refused
            .fails(["refused", "--client"], "line_client.py", "refusal-reported", "exited with status 0", "a script cannot tell"),
            .passes(["refused", "--client"], "fixed_client.py"),
            // 10 nagle: the keystrokes counted in the capture of the slowed loopback.
            .passes(["nagle", "--variant", "nodelay", "--client"], "nodelay_client.py"),
            .fails(["nagle", "--variant", "nodelay", "--client"], "keystroke_client.py", "one-segment-per-keystroke",
                   "9 keystrokes -> ", "Nagle's algorithm held its bytes back"),
            // 07 reuseaddr: the program started twice, the second time while TIME_WAIT holds the port.
            .passes(["reuseaddr", "--server"], "once_server.py"),
            .fails(["reuseaddr", "--server"], "no_reuse_server.py", "restart-listens", "was in TIME_WAIT: it exited with status 1",
                   "Address already in use"),
            // 11 io-models: the server's wait judged from its /proc readings, untraced.
            .passes(["io-models", "--variant", "blocking", "--server"], "io_blocking_server.py"),
            .fails(["io-models", "--variant", "blocking", "--server"], "io_nonblocking_server.py", "asleep", "/proc/", "R ×"),
            .passes(["io-models", "--variant", "nonblocking", "--server"], "io_nonblocking_server.py"),
            .passes(["io-models", "--variant", "multiplexing", "--server"], "io_poll_server.py"),
            .passes(["io-models", "--variant", "multiplexing", "--server"], "io_asyncio_server.py"),
            .fails(["io-models", "--variant", "blocking", "--server"], "io_asyncio_server.py", "sleeps-in", "S in do_epoll_wait"),
            // 13 flow-control: the receiver's window, judged from the capture and /proc.
            .passes(["flow-control", "--server"], "slow_receiver.py"),
            .fails(["flow-control", "--server"], "one_read_receiver.py", "all-data-read", "the server's RST #", "one recv() is not one message"),
            // 14 keepalive
            .passes(["keepalive", "--variant", "peer-vanished", "--client"], "keepalive_client.py"),
            .fails(["keepalive", "--variant", "peer-vanished", "--client"], "idle_client.py", "probes", "0 probes from the client"),
        ]

        @Test(arguments: sheetChecks)
        func labProgramGetsTheVerdictAndTheReasonItsSheetGives(_ check: SheetCheck) throws {
            let (status, result, stderr) = try Self.check(check.arguments, check.program)
            guard let failure = check.failure else { return Self.expectAllHold(result, status, stderr) }
            #expect(status == 1, "stderr: \(stderr)")
            #expect(!result.passed)
            let claim = try result.claim(failure.claim)
            #expect(!claim.holds && !claim.statement.isEmpty, "\(claim.id) holds: \(claim.evidence)")
            for words in failure.evidence { #expect(claim.evidence.contains(words), "\(claim.id): \(words) not in \(claim.evidence)") }
        }

        /// Every check line of every sheet's "Your own program" is one of `sheetChecks`, with the
        /// same verdict: the sheets and these tests cannot drift apart.
        @Test func everySheetCheckIsTestedHere() throws {
            for command in LabSheetTests.ownChecks {
                let options = Array(command.arguments.dropFirst().prefix { $0 != "--" })
                let program = URL(fileURLWithPath: command.arguments.last ?? "").lastPathComponent
                let found = Self.sheetChecks.first { $0.program == program && $0.arguments == options }
                #expect(found != nil, "\(command) has no case in CheckLiveTests.sheetChecks")
                if let found { #expect((found.failure == nil) == (command.verdict == .passes), "\(command): the sheet and sheetChecks disagree") }
            }
        }

        // MARK: zombie --variant waitpid-handler --server, in detail

        @Test func zombieCheckJudgesAReapingForkServerFromOutside() throws {
            let (status, result, stderr) = try Self.check(["zombie", "--variant", "waitpid-handler", "--server"], "fork_server_waitpid.py")
            Self.expectAllHold(result, status, stderr)
            #expect(result.claims.map(\.id) == ["each-client-answered", "fork-per-connection", "children-reaped", "no-zombie-after-clients-left", "connections-closed"])
            #expect(result.replaced.map(\.claim).sorted() == ["each-client-served", "handler-reaps-each", "no-zombie-remains"])
        }

        @Test func zombieCheckFailsANeverReapingForkServerWithItsZombieRows() throws {
            let (status, result, _) = try Self.check(["zombie", "--variant", "waitpid-handler", "--server"], "fork_server_no_reap.py")
            #expect(status == 1)
            #expect(try result.claim("fork-per-connection").holds)
            let zombies = try result.claim("no-zombie-after-clients-left")
            #expect(!zombies.holds)
            #expect(zombies.evidence.components(separatedBy: " Z ppid ").count - 1 == 3, "three zombie rows: \(zombies.evidence)")
            #expect(zombies.evidence.contains("[python3] <defunct>"), "\(zombies.evidence)")
        }

        /// Without strace (`--no-trace`) the process table alone still shows the zombies.
        @Test func zombieCheckWithoutStraceJudgesFromTheProcessTable() throws {
            let (status, result, _) = try Self.check(["zombie", "--variant", "waitpid-handler", "--server", "--no-trace"], "fork_server_no_reap.py")
            #expect(status == 1)
            #expect(!result.traced)
            #expect(try result.claim("fork-per-connection").holds)
            let zombies = try result.claim("no-zombie-after-clients-left")
            #expect(!zombies.holds && zombies.evidence.contains("<defunct>"), "\(zombies.evidence)")
        }

        // MARK: zombie --variant sigchld-ignore --server

        @Test func sigchldIgnoreCheckFailsANeverReapingServerAndPassesOneThatIgnoresSIGCHLD() throws {
            let (passing, fixed, stderr) = try Self.check(["zombie", "--variant", "sigchld-ignore", "--server"], "fork_server_sigchld_ignore.py")
            Self.expectAllHold(fixed, passing, stderr)
            #expect(fixed.replaced.map(\.claim).sorted() == ["each-client-served", "no-zombie-ever", "sigchld-ignored"])
            #expect(try fixed.claim("children-reaped").evidence.contains("gone"))
            let (failing, broken, _) = try Self.check(["zombie", "--variant", "sigchld-ignore", "--server"], "fork_server_no_reap.py")
            #expect(failing == 1)
            let reaped = try broken.claim("children-reaped")
            #expect(!reaped.holds && reaped.evidence.contains("still in /proc") && reaped.evidence.contains(" Z ppid "), "\(reaped.evidence)")
        }

        // MARK: broken-pipe --variant fixed-client --client: the posts' client in Python

        /// Python ignores SIGPIPE: the posts' client gets EPIPE instead of dying. The reason a
        /// student reads names the RST that answered hehe and the failed send with the signal.
        @Test func fixedClientCheckFailsThePostsClientNamingTheRSTAndTheEPIPE() throws {
            let (status, result, _) = try Self.check(["broken-pipe", "--variant", "fixed-client", "--client"], "line_client.py")
            #expect(status == 1)
            let reset = try result.claim("no-rst")
            #expect(!reset.holds && reset.evidence.contains("RST #"), "\(reset.evidence)")
            let pipe = try result.claim("no-sigpipe")
            #expect(!pipe.holds)
            #expect(pipe.evidence.contains("its kernel answered \"hehe\"") && pipe.evidence.contains("with RST #"), "\(pipe.evidence)")
            if result.traced {
                #expect(pipe.evidence.contains("send(\"wawa\") = -1 EPIPE (Broken pipe)"), "\(pipe.evidence)")
                #expect(pipe.evidence.contains("SIGPIPE was raised and ignored (as Python does)"), "\(pipe.evidence)")
            }
            #expect(pipe.evidence.contains("then it exited with status 0"), "\(pipe.evidence)")
            #expect(!(try result.claim("clean-close").holds))
        }

        // MARK: other servers than Labs/programs has

        @Test func brokenPipeServerCheckFailsAServerThatKeepsTheConnection() throws {
            let (status, result, _) = try Self.check(["broken-pipe", "--server"], "iterative_server.py")
            #expect(status == 1)
            let reset = try result.claim("rst-to-hehe")
            #expect(!reset.holds && reset.evidence.contains("its socket was still open"), "\(reset.evidence)")
        }

        @Test func epollCheckSeesOverlapWithOneProcessAndOneThread() throws {
            let (status, result, stderr) = try Self.check(["concurrency", "--variant", "epoll", "--server"], "epoll_server.py")
            Self.expectAllHold(result, status, stderr)
            #expect(try result.claim("overlap-observed").evidence.contains("meanwhile client 2 answered"))
            #expect(try result.claim("single-thread").evidence.contains("1 thread, no children"))
        }

        @Test func epollCheckFailsAnIterativeServer() throws {
            let (status, result, _) = try Self.check(["concurrency", "--variant", "epoll", "--server"], "iterative_server.py")
            #expect(status == 1)
            let overlap = try result.claim("overlap-observed")
            #expect(!overlap.holds && overlap.evidence.contains("outside client 1's idle time"), "\(overlap.evidence)")
        }

        /// A select server serves every client at once, but not with epoll: strace shows which call
        /// it waits in. Untraced, that is not judged, and the check says so.
        @Test func epollCheckFailsASelectServerByItsCalls() throws {
            let (failing, select, _) = try Self.check(["concurrency", "--variant", "epoll", "--server"], "select_server.py")
            #expect(failing == 1)
            #expect(try select.claim("overlap-observed").holds)
            let waits = try select.claim("waits-in-epoll_wait")
            #expect(!waits.holds && waits.evidence.contains("no epoll_wait()/epoll_pwait()") && (waits.evidence.contains("; select() ×") || waits.evidence.contains("; pselect6() ×")), "\(waits.evidence)")
            let (passing, untraced, stderr) = try Self.check(["concurrency", "--variant", "epoll", "--server", "--no-trace"], "select_server.py")
            Self.expectAllHold(untraced, passing, stderr)
            #expect(!untraced.claims.contains { $0.id == "waits-in-epoll_wait" })
            #expect(untraced.notJudged.contains { $0.contains("epoll_wait()/epoll_pwait() could not be checked") }, "\(untraced.notJudged)")
        }

        @Test func pollCheckPassesAPollServerAndFailsAThreadedOne() throws {
            let (passing, fixed, stderr) = try Self.check(["concurrency", "--variant", "poll", "--server"], "poll_server.py")
            Self.expectAllHold(fixed, passing, stderr)
            #expect(try fixed.claim("single-thread").evidence.contains("1 thread, no children"))
            let (failing, threaded, _) = try Self.check(["concurrency", "--variant", "poll", "--server"], "thread_server.py")
            #expect(failing == 1)
            #expect(try threaded.claim("overlap-observed").holds)
            let single = try threaded.claim("single-thread")
            #expect(!single.holds && single.evidence.contains("4 threads"), "\(single.evidence)")
        }

        /// The lab never stops the server to make it close: a server that closes on its own after
        /// its reply passes, one that closes only after the client (post 003's echo) fails, and the
        /// states say the client closed first; the teardown ends it without the lab's kill before.
        @Test func serverFirstCheckTakesOnlyAServerThatClosesOnItsOwn() throws {
            let (passing, closes, stderr) = try Self.check(["close-states", "--variant", "server-first", "--server"], "close_server_first.py")
            Self.expectAllHold(closes, passing, stderr)
            #expect(try closes.claim("fin-wait2-close-wait").evidence.contains("server FIN_WAIT2"))
            #expect(try closes.claim("time-wait-first-closer").evidence.contains("server TIME_WAIT"))
            let (failing, waits, _) = try Self.check(["close-states", "--variant", "server-first", "--server"], "close_client_first.py")
            #expect(failing == 1)
            let first = try waits.claim("server-closed-first")
            #expect(!first.holds && first.evidence.contains("the server sent no FIN within 3 s of its reply") && first.evidence.contains("the client closed first (#"),
                    "\(first.evidence)")
            #expect(try !waits.claim("time-wait-first-closer").holds)
        }

        /// The program's standard output and error share one pipe: the timeline calls its lines
        /// `output:`, never `stderr:`.
        @Test func programLinesAreLabelledOutput() throws {
            let outcome = try TCPLabProcess.run(["check", "close-states", "--variant", "server-first", "--server", "--no-color", "--",
                                                 "python3", Self.program("close_server_first.py")], timeout: 90)
            #expect(outcome.status == 0, "stderr: \(outcome.stderr)")
            #expect(outcome.stdout.contains("server  output: listening on 127.0.0.1:7777"), "\(outcome.stdout)")
            #expect(!outcome.stdout.contains("server  stderr:"), "\(outcome.stdout)")
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
                                                 "python3", Self.program("line_client.py")], timeout: 60)
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
            #expect(lines.first == "8 4", "cases and failures: \(lines.first ?? "none")")
            #expect(lines.contains { $0.hasPrefix("no-rst | seen instead: RST #") }, "\(text)")
        }

        /// A report that cannot be written: a missing directory is one line and exit 2 before
        /// anything runs; a write that fails at the end (procfs takes no new files) prints the
        /// verdicts, then the line, and exits 2 too.
        @Test func junitPathThatCannotBeWrittenIsExit2() throws {
            let missing = try TCPLabProcess.run(["check", "close-states", "--variant", "server-first", "--server", "--junit", "/missing/dir/r.xml", "--",
                                                 "python3", Self.program("close_server_first.py")], timeout: 30)
            #expect(missing.status == 2)
            #expect(missing.stdout.isEmpty, "it ran: \(missing.stdout)")
            let lines = missing.stderr.split(separator: "\n")
            #expect(lines.count == 1 && lines.first?.contains("--junit /missing/dir/r.xml: no such directory /missing/dir") == true, "\(missing.stderr)")
            let late = try TCPLabProcess.run(["check", "close-states", "--variant", "server-first", "--server", "--no-color", "--junit", "/proc/tcplab-r.xml", "--",
                                              "python3", Self.program("close_server_first.py")], timeout: 90)
            #expect(late.status == 2)
            #expect(late.stdout.contains("claims"), "\(late.stdout)")
            #expect(late.stderr.contains("cannot write the JUnit report to /proc/tcplab-r.xml"), "\(late.stderr)")
            #expect(Self.leftovers().isEmpty, "left running: \(Self.leftovers())")
        }

        @Test func listSaysWhichVariantsTakeWhichRole() throws {
            let outcome = try TCPLabProcess.run(["check", "--list"])
            #expect(outcome.status == 0)
            for line in ["tcplab check zombie --variant waitpid-handler --server -- CMD",
                         "tcplab check broken-pipe --variant fixed-client --client -- CMD",
                         "tcplab check broken-pipe --variant default --server -- CMD",
                         "tcplab check concurrency --variant epoll --server -- CMD",
                         "tcplab check close-states --variant server-first --server -- CMD",
                         "tcplab check broken-pipe --variant sigpipe-ignored --client -- CMD",
                         "tcplab check zombie --variant sigchld-ignore --server -- CMD",
                         "tcplab check concurrency --variant fork --server -- CMD",
                         "tcplab check concurrency --variant thread --server -- CMD",
                         "tcplab check concurrency --variant select --server -- CMD",
                         "tcplab check concurrency --variant poll --server -- CMD",
                         "tcplab check concurrency --variant epoll-et --server -- CMD",
                         "tcplab check refused --variant default --client -- CMD",
                         "tcplab check io-models --variant blocking --server -- CMD",
                         "tcplab check io-models --variant nonblocking --server -- CMD",
                         "tcplab check io-models --variant multiplexing --server -- CMD",
                         "tcplab check keepalive --variant peer-vanished --client -- CMD",
                         "tcplab check iterative --variant default --server -- CMD",
                         "tcplab check close-states --variant client-first --client -- CMD",
                         "tcplab check nagle --variant nodelay --client -- CMD",
                         "tcplab check reuseaddr --variant both --server -- CMD",
                         "tcplab check flow-control --variant blocking --server -- CMD",
                         "claim handler-reaps-each is judged from outside as children-reaped"] {
                #expect(outcome.stdout.contains(line), "missing: \(line)")
            }
            let wrong = try TCPLabProcess.run(["check", "broken-pipe", "--client", "--", "true"])
            #expect(wrong.status == 2)
            #expect(wrong.stderr.contains("variants of broken-pipe that take your client: sigpipe-ignored, fixed-client"), "\(wrong.stderr)")
        }

        // MARK: as nobody

        /// The issue's five example checks, each with a fixed and a broken program.
        static let examples: [SheetCheck] = [
            .passes(["zombie", "--variant", "waitpid-handler", "--server"], "fork_server_waitpid.py"),
            .fails(["zombie", "--variant", "waitpid-handler", "--server"], "fork_server_no_reap.py", "no-zombie-after-clients-left", "<defunct>"),
            .passes(["broken-pipe", "--variant", "fixed-client", "--client"], "fixed_client.py"),
            .fails(["broken-pipe", "--variant", "fixed-client", "--client"], "line_client.py", "no-sigpipe", "RST #", "Broken pipe"),
            .passes(["broken-pipe", "--server"], "once_server.py"),
            .fails(["broken-pipe", "--server"], "iterative_server.py", "rst-to-hehe", "its socket was still open"),
            .passes(["concurrency", "--variant", "epoll", "--server"], "epoll_server.py"),
            .fails(["concurrency", "--variant", "epoll", "--server"], "iterative_server.py", "overlap-observed", "outside client 1's idle time"),
            .passes(["close-states", "--variant", "server-first", "--server"], "close_server_first.py"),
            // It never closes and ignores SIGINT: the claims say so, and the teardown still ends it (`check` sees no leftovers).
            .fails(["close-states", "--variant", "server-first", "--server"], "echoserver_ignores_ctrl_c.py", "server-closed-first", "the client closed first (#"),
        ]

        /// A plain user in a user + network namespace of its own (setpriv to nobody, the program
        /// copied where nobody can read it): the same verdict and reason as root gets.
        @Test(.enabled(if: getuid() == 0, "switching to nobody needs root"), arguments: examples)
        func nobodyGetsTheExampleChecksVerdictInAUserNamespace(_ check: SheetCheck) throws {
            let sandbox = try UnprivilegedLiveTests.Sandbox()
            defer { sandbox.remove() }
            let copy = sandbox.directory.appendingPathComponent(check.program).path
            try FileManager.default.copyItem(atPath: Self.program(check.program), toPath: copy)
            try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: copy)
            let outcome = try sandbox.runAsNobody(["check"] + check.arguments + ["--json", "--", "python3", copy])
            let result = try JSONDecoder().decode(CheckJSON.self, from: Data(outcome.stdout.utf8))
            guard let failure = check.failure else { return Self.expectAllHold(result, outcome.status, outcome.stderr) }
            #expect(outcome.status == 1, "stderr: \(outcome.stderr)")
            let claim = try result.claim(failure.claim)
            #expect(!claim.holds, "\(claim.id) holds: \(claim.evidence)")
            for words in failure.evidence { #expect(claim.evidence.contains(words), "\(claim.id): \(words) not in \(claim.evidence)") }
        }
    }
}
