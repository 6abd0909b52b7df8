import Foundation
import Glibc
import Testing

/// `scripts/package.sh`: the .deb it builds holds the static binary, the recordings, the lab
/// sheets, the man page and the completions, and the binary extracted from it (dpkg -x into a
/// temporary root, never installed system-wide) replays and marks from any directory with no
/// `TCPLAB_REFERENCES`: it finds DIR/usr/share/tcplab from DIR/usr/bin/tcplab.
extension Live {
    @Suite(.timeLimit(.minutes(10)),
           .enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/dpkg-deb"), "dpkg-deb builds the package"))
    struct PackageLiveTests {
        /// A temporary directory holding the .deb (`out/`), its extracted tree (`root/`) and a
        /// directory the binary is run from (`elsewhere/`), away from the package checkout.
        struct Scratch {
            let directory: URL
            var out: URL { directory.appendingPathComponent("out") }
            var root: URL { directory.appendingPathComponent("root") }
            var elsewhere: URL { directory.appendingPathComponent("elsewhere") }

            init() throws {
                directory = FileManager.default.temporaryDirectory.appendingPathComponent("tcplab-package-\(UUID().uuidString)")
                for sub in ["out", "root", "elsewhere"] {
                    try FileManager.default.createDirectory(at: directory.appendingPathComponent(sub), withIntermediateDirectories: true)
                }
            }

            func remove() { try? FileManager.default.removeItem(at: directory) }
        }

        /// What a command printed and how it ended.
        struct Outcome {
            var status: Int32
            var stdout: String
            var stderr: String
            var description: String { "status \(status)\nstdout: \(stdout)\nstderr: \(stderr)" }
        }

        /// Runs `executable arguments…` in `directory` with `environment`, output to files (no pipe
        /// to fill); kills it and records an issue if it has not ended within `timeout` seconds.
        static func run(_ executable: String, _ arguments: [String], in directory: URL, environment: [String: String]? = nil,
                        timeout: Double) throws -> Outcome {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: executable)
            process.arguments = arguments
            process.currentDirectoryURL = directory
            if let environment { process.environment = environment }
            let outputs = FileManager.default.temporaryDirectory.appendingPathComponent("tcplab-package-out-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: outputs, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: outputs) }
            let stdout = outputs.appendingPathComponent("stdout"), stderr = outputs.appendingPathComponent("stderr")
            _ = FileManager.default.createFile(atPath: stdout.path, contents: nil)
            _ = FileManager.default.createFile(atPath: stderr.path, contents: nil)
            process.standardOutput = try FileHandle(forWritingTo: stdout)
            process.standardError = try FileHandle(forWritingTo: stderr)
            process.standardInput = FileHandle.nullDevice
            let ended = DispatchSemaphore(value: 0)
            process.terminationHandler = { _ in ended.signal() }
            try process.run()
            if ended.wait(timeout: .now() + timeout) == .timedOut {
                kill(process.processIdentifier, SIGKILL)
                ended.wait()
                Issue.record("\(executable) \(arguments.joined(separator: " ")) did not finish within \(timeout) s")
            }
            return Outcome(status: process.terminationStatus,
                           stdout: (try? String(contentsOf: stdout, encoding: .utf8)) ?? "",
                           stderr: (try? String(contentsOf: stderr, encoding: .utf8)) ?? "")
        }

        /// The environment of this test without `TCPLAB_REFERENCES` and `NO_COLOR`.
        static var cleanEnvironment: [String: String] {
            var environment = ProcessInfo.processInfo.environment
            environment["TCPLAB_REFERENCES"] = nil
            environment["NO_COLOR"] = nil
            return environment
        }

        @Test func packageInstallsAndReplaysFromAnyDirectory() throws {
            let scratch = try Scratch()
            defer { scratch.remove() }
            let script = LabSheet.packageRoot.appendingPathComponent("scripts/package.sh").path
            // The release build dominates; once built (.build-package/), the script takes seconds.
            let built = try Self.run(script, ["--out", scratch.out.path], in: LabSheet.packageRoot, timeout: 540)
            try #require(built.status == 0, "\(built.description)")
            let deb = try #require(built.stdout.split(separator: "\n").last.map(String.init))
            #expect(deb.hasPrefix(scratch.out.path + "/tcplab_") && deb.hasSuffix(".deb"), "last line: \(deb)")

            // What the archive holds.
            let listing = try Self.run("/usr/bin/dpkg-deb", ["--contents", deb], in: scratch.directory, timeout: 30)
            try #require(listing.status == 0, "\(listing.description)")
            for path in ["./usr/bin/tcplab", "./usr/share/man/man1/tcplab.1.gz",
                         "./usr/share/bash-completion/completions/tcplab", "./usr/share/zsh/vendor-completions/_tcplab",
                         "./usr/share/fish/vendor_completions.d/tcplab.fish",
                         "./usr/share/tcplab/captures/reference/broken-pipe-default.json",
                         "./usr/share/tcplab/captures/reference/broken-pipe-default.pcap",
                         "./usr/share/tcplab/captures/broken-pipe.expected.txt",
                         "./usr/share/tcplab/Labs/01-broken-pipe.md", "./usr/share/tcplab/Labs/answers/broken-pipe.txt"] {
                #expect(listing.stdout.split(separator: "\n").contains { $0.hasSuffix(" " + path) }, "\(path) is not in the package")
            }
            let depends = try Self.run("/usr/bin/dpkg-deb", ["--field", deb, "Depends", "Recommends"], in: scratch.directory, timeout: 30)
            #expect(depends.stdout.contains("Depends: ") && depends.stdout.contains("libpcap0.8"), "\(depends.description)")
            #expect(depends.stdout.contains("Recommends: ") && depends.stdout.contains("tcpdump"), "\(depends.description)")
            let maintainer = try Self.run("/usr/bin/dpkg-deb", ["--field", deb, "Maintainer"], in: scratch.directory, timeout: 30)
            let expected = ProcessInfo.processInfo.environment["DEBEMAIL"] == nil ? "tcplab maintainers <tcplab@localhost>" : "<"
            #expect(maintainer.stdout.contains(expected) && !maintainer.stdout.lowercased().contains("seed"), "\(maintainer.description)")

            // Installed into a temporary root, not the system.
            let extracted = try Self.run("/usr/bin/dpkg", ["-x", deb, scratch.root.path], in: scratch.directory, timeout: 30)
            try #require(extracted.status == 0, "\(extracted.description)")
            let binary = scratch.root.appendingPathComponent("usr/bin/tcplab").path
            let share = scratch.root.appendingPathComponent("usr/share").path

            // Swift's runtime is inside the binary: ldd names no libswift and nothing not found.
            let ldd = try Self.run("/usr/bin/ldd", [binary], in: scratch.elsewhere, timeout: 30)
            #expect(ldd.status == 0 && ldd.stdout.contains("libpcap"), "\(ldd.description)")
            #expect(!ldd.stdout.contains("libswift") && !ldd.stdout.contains("not found"), "\(ldd.description)")

            let replay = try Self.run(binary, ["scenario", "broken-pipe", "--replay"], in: scratch.elsewhere,
                                      environment: Self.cleanEnvironment, timeout: 60)
            #expect(replay.status == 0, "\(replay.description)")
            #expect(replay.stdout.contains("replayed from \(share)/tcplab/captures/reference/broken-pipe-default.json"),
                    "\(replay.description)")
            #expect(replay.stdout.contains("claims hold"), "\(replay.description)")
            // Standard output is a file here: no colour codes.
            #expect(!replay.stdout.contains("\u{1B}["), "\(replay.description)")

            // Lab sheet 01's `tcplab decode captures/broken-pipe.pcap`, from a directory without it.
            let decode = try Self.run(binary, ["decode", "captures/broken-pipe.pcap"], in: scratch.elsewhere,
                                      environment: Self.cleanEnvironment, timeout: 60)
            #expect(decode.status == 0 && decode.stdout.contains("C > S") && decode.stdout.contains("RST"), "\(decode.description)")
            #expect(decode.stderr.contains("\(share)/tcplab/captures/broken-pipe.pcap"), "\(decode.description)")

            let answers = "\(share)/tcplab/Labs/answers/broken-pipe.txt"
            let exercise = try Self.run(binary, ["exercise", "broken-pipe", "--replay", "--answers", answers],
                                        in: scratch.elsewhere, environment: Self.cleanEnvironment, timeout: 60)
            #expect(exercise.status == 0, "\(exercise.description)")
            let score = exercise.stdout.split(separator: "\n").first { $0.hasPrefix("score: ") }
                .map { $0.dropFirst("score: ".count).split(separator: " ")[0].split(separator: "/").map(String.init) }
            #expect(score != nil && score?.count == 2 && score?[0] == score?[1], "the key scores full marks: \(exercise.description)")

            // The man page, rendered by man(1) where it is installed, and its source otherwise.
            let page = "\(share)/man/man1/tcplab.1.gz"
            let source = try Self.run("/bin/sh", ["-c", "gzip -dc \"$0\"", page], in: scratch.elsewhere, timeout: 30)
            #expect(source.stdout.contains(".Dt TCPLAB 1"), "\(source.description)")
            #expect(source.stdout.contains("scenario") && source.stdout.contains("exercise"), "the man page lists the subcommands")
            if FileManager.default.isExecutableFile(atPath: "/usr/bin/man") {
                var environment = Self.cleanEnvironment
                environment["MANPAGER"] = "cat"
                environment["MANWIDTH"] = "100"
                let man = try Self.run("/usr/bin/man", ["-l", page], in: scratch.elsewhere, environment: environment, timeout: 60)
                #expect(man.status == 0 && man.stdout.contains("tcplab"), "\(man.description)")
            }

            let bash = try String(contentsOfFile: scratch.root.appendingPathComponent("usr/share/bash-completion/completions/tcplab").path,
                                  encoding: .utf8)
            #expect(bash.contains("complete") && bash.contains("scenario"), "bash completion: \(bash.prefix(200))")
            #expect(bash.contains("broken-pipe"), "bash completion offers the scenario names")
            let fish = try String(contentsOfFile: scratch.root.appendingPathComponent("usr/share/fish/vendor_completions.d/tcplab.fish").path,
                                  encoding: .utf8)
            #expect(fish.contains("complete -c 'tcplab'"), "fish completion: \(fish.prefix(200))")
        }
    }
}
