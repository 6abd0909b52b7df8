import Foundation
import Glibc
import Testing

/// `tcplab decode` reads what `tcpdump -r` reads: standard input (`-`), a pipe, a FIFO; and a
/// file it may not read says so (`cannot open: permission denied`), not "not a capture file".
extension Live {
    @Suite(.timeLimit(.minutes(1)))
    struct DecodeInputLiveTests {
        static let capture = URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("captures/broken-pipe.pcap").path

        /// Runs a shell command line (bounded by coreutils' `timeout`, so a read that never ends fails loudly).
        private func shell(_ line: String) throws -> TCPLabProcess.Outcome {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/timeout")
            process.arguments = ["30", "/bin/sh", "-c", line]
            let stdout = Pipe(), stderr = Pipe()
            process.standardOutput = stdout
            process.standardError = stderr
            try process.run()
            let out = stdout.fileHandleForReading.readDataToEndOfFile()
            let err = stderr.fileHandleForReading.readDataToEndOfFile()
            process.waitUntilExit()
            return .init(status: process.terminationStatus, stdout: String(decoding: out, as: UTF8.self),
                         stderr: String(decoding: err, as: UTF8.self))
        }

        private var fromFile: TCPLabProcess.Outcome {
            get throws { try TCPLabProcess.run(["decode", "--json", Self.capture]) }
        }

        @Test func standardInputThroughAPipe() throws {
            let piped = try shell("cat '\(Self.capture)' | '\(TCPLabProcess.binary)' decode --json -")
            #expect(piped.status == 0, "stderr: \(piped.stderr)")
            let direct = try fromFile
            #expect(direct.status == 0)
            #expect(piped.stdout == direct.stdout)
            #expect(piped.stdout.contains("handshake done"))
        }

        @Test func aFIFO() throws {
            let fifo = FileManager.default.temporaryDirectory.appendingPathComponent("tcplab-fifo-\(UUID().uuidString)").path
            #expect(mkfifo(fifo, 0o600) == 0)
            defer { unlink(fifo) }
            let read = try shell("cat '\(Self.capture)' > '\(fifo)' & '\(TCPLabProcess.binary)' decode --json '\(fifo)'; wait")
            #expect(read.status == 0, "stderr: \(read.stderr)")
            #expect(read.stdout == (try fromFile).stdout)
        }

        @Test func emptyStandardInputIsNotACapture() throws {
            let empty = try shell("'\(TCPLabProcess.binary)' decode - < /dev/null")
            #expect(empty.status == 2)
            #expect(empty.stderr == "tcplab: standard input: not a capture file: it ends at byte 0, before the 24-byte pcap file header does\n")
        }

        @Test(.enabled(if: getuid() == 0, "switching to nobody needs root"))
        func aFileTheUserMayNotReadIsPermissionDenied() throws {
            let sandbox = try Live.UnprivilegedLiveTests.Sandbox()
            defer { sandbox.remove() }
            let secret = sandbox.directory.appendingPathComponent("secret.pcap").path
            try FileManager.default.copyItem(atPath: Self.capture, toPath: secret)
            try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: secret)
            let outcome = try sandbox.runAsNobody(["decode", secret])
            #expect(outcome.status == 2)
            #expect(outcome.stderr == "tcplab: \(secret): cannot open: permission denied\n")
        }
    }
}
