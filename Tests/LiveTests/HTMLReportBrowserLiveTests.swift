import Foundation
import Testing

/// Debian's Chromium, where installed (`scripts/setup.sh` installs it).
private let chromium = ["/usr/bin/chromium", "/usr/bin/chromium-browser"].first { FileManager.default.isExecutableFile(atPath: $0) }

/// A live run turned into `tcplab report --html`, opened in a real headless browser: the page must
/// render (a screenshot that is not blank) and its DOM must hold one arrow per segment and every claim.
extension Live {
    @Suite(.timeLimit(.minutes(2)),
           .enabled(if: chromium != nil, "chromium is not installed (apt-get install chromium, or scripts/setup.sh)"))
    struct HTMLReportBrowserLiveTests {
        @Test func reportPageRendersInChromium() throws {
            let directory = FileManager.default.temporaryDirectory.appendingPathComponent("tcplab-html-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: directory) }
            let runFile = directory.appendingPathComponent("run.json"), page = directory.appendingPathComponent("report.html")

            let live = try TCPLabProcess.run(["scenario", "broken-pipe", "--json", "--pcap", directory.appendingPathComponent("run.pcap").path])
            #expect(live.status == 0, "stderr: \(live.stderr)")
            try Data(live.stdout.utf8).write(to: runFile)
            let run = try RunJSON.decode(live.stdout)
            let written = try TCPLabProcess.run(["report", runFile.path, "--html", page.path])
            #expect(written.status == 0, "stderr: \(written.stderr)")

            // The DOM as Chromium built it: the SVG and the claims list really parsed.
            let dom = try Browser.run(["--dump-dom", page.absoluteString], in: directory).stdout
            #expect(Browser.count("<g class=\"segment ", in: dom) == run.segments.count, "arrows in the DOM")
            #expect(Browser.count("<li class=\"claim ", in: dom) == run.claims.count, "claims in the DOM")
            #expect(dom.contains("</svg>") && dom.contains("FIN_WAIT2"))

            // The picture: much more drawn than on an empty page of the same size.
            let screenshot = directory.appendingPathComponent("report.png"), blank = directory.appendingPathComponent("blank.png")
            let blankPage = directory.appendingPathComponent("blank.html")
            try Data("<!DOCTYPE html><html><body></body></html>".utf8).write(to: blankPage)
            _ = try Browser.run(["--screenshot=\(screenshot.path)", "--window-size=1200,1600", page.absoluteString], in: directory)
            _ = try Browser.run(["--screenshot=\(blank.path)", "--window-size=1200,1600", blankPage.absoluteString], in: directory)
            let shot = try PNGSummary(Data(contentsOf: screenshot)), empty = try PNGSummary(Data(contentsOf: blank))
            #expect(shot.width == 1200 && shot.height == 1600)
            #expect(shot.imageDataBytes > 5 * empty.imageDataBytes,
                    "screenshot looks blank: \(shot.imageDataBytes) bytes of image data, an empty page has \(empty.imageDataBytes)")
        }
    }
}

/// Headless Chromium as a command.
enum Browser {
    /// Whether Chromium is there to run.
    static var installed: Bool { chromium != nil }

    static func run(_ arguments: [String], in directory: URL, timeout: Double = 60) throws -> (status: Int32, stdout: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: chromium!)
        // Root needs --no-sandbox; a profile of its own keeps runs apart and leaves nothing in $HOME.
        process.arguments = ["--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
                             "--user-data-dir=\(directory.appendingPathComponent("profile").path)"] + arguments
        let out = directory.appendingPathComponent("chromium.out")
        _ = FileManager.default.createFile(atPath: out.path, contents: nil)
        process.standardOutput = try FileHandle(forWritingTo: out)
        process.standardError = FileHandle.nullDevice
        process.standardInput = FileHandle.nullDevice
        let done = DispatchSemaphore(value: 0)
        process.terminationHandler = { _ in done.signal() }
        try process.run()
        if done.wait(timeout: .now() + timeout) == .timedOut {
            process.terminate()
            done.wait()
            Issue.record("chromium \(arguments.joined(separator: " ")) did not finish within \(timeout) s")
        }
        return (process.terminationStatus, (try? String(contentsOf: out, encoding: .utf8)) ?? "")
    }

    static func count(_ needle: String, in text: String) -> Int { text.components(separatedBy: needle).count - 1 }
}

/// What a PNG's chunks say without inflating them: its size (IHDR) and how many compressed bytes
/// of pixels it holds (IDAT). A blank page compresses to almost nothing; a drawn one does not.
struct PNGSummary {
    struct NotPNG: Error {}
    var width = 0, height = 0, imageDataBytes = 0

    init(_ data: Data) throws {
        let bytes = [UInt8](data)
        guard bytes.count > 8, bytes[0..<8] == [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A] else { throw NotPNG() }
        func word(_ at: Int) -> Int { bytes[at..<at + 4].reduce(0) { $0 << 8 | Int($1) } }
        var offset = 8
        // Each chunk: length (4), type (4), data, CRC (4).
        while offset + 8 <= bytes.count {
            let length = word(offset), type = String(decoding: bytes[offset + 4..<offset + 8], as: UTF8.self)
            guard offset + 12 + length <= bytes.count else { throw NotPNG() }
            if type == "IHDR" { width = word(offset + 8); height = word(offset + 12) }
            if type == "IDAT" { imageDataBytes += length }
            offset += 12 + length
        }
        guard width > 0 else { throw NotPNG() }
    }
}
