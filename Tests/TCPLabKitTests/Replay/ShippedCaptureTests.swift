import Foundation
import Testing
@testable import TCPLabKit

/// `tcplab decode captures/broken-pipe.pcap` from any directory: the path as the lab sheets write
/// it is looked up the way `--replay` finds the recordings (`PackageData.directories`), in a
/// temporary tree laid out as the .deb installs it.
@Suite struct ShippedCaptureTests {
    /// `ROOT/usr/bin/tcplab`, `ROOT/usr/share/tcplab/captures/broken-pipe.pcap`, `ROOT/elsewhere/`.
    struct Tree {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("shipped-\(UUID().uuidString)")
        var binary: String { root.appendingPathComponent("usr/bin/tcplab").path }
        var capture: String { root.appendingPathComponent("usr/share/tcplab/captures/broken-pipe.pcap").path }
        var elsewhere: String { root.appendingPathComponent("elsewhere").path }

        init() throws {
            let files = FileManager.default
            for directory in ["usr/bin", "usr/share/tcplab/captures", "elsewhere"] {
                try files.createDirectory(at: root.appendingPathComponent(directory), withIntermediateDirectories: true)
            }
            #expect(files.createFile(atPath: binary, contents: Data()))
            #expect(files.createFile(atPath: capture, contents: Data([0xd4, 0xc3, 0xb2, 0xa1])))
        }

        func remove() { try? FileManager.default.removeItem(at: root) }
    }

    @Test func aCheckoutPathIsFoundBesideTheInstalledBinary() throws {
        let tree = try Tree()
        defer { tree.remove() }
        let found = PackageData.shipped("captures/broken-pipe.pcap", executable: tree.binary, currentDirectory: tree.elsewhere)
        #expect(found.map(PackageData.realPath) == PackageData.realPath(tree.capture))
    }

    @Test func aPathThatExistsAnAbsoluteOneOrAnUnknownOneIsLeftAlone() throws {
        let tree = try Tree()
        defer { tree.remove() }
        let here = (tree.elsewhere as NSString).appendingPathComponent("captures")
        try FileManager.default.createDirectory(atPath: here, withIntermediateDirectories: true)
        #expect(FileManager.default.createFile(atPath: here + "/broken-pipe.pcap", contents: Data()))
        #expect(PackageData.shipped("captures/broken-pipe.pcap", executable: tree.binary, currentDirectory: tree.elsewhere) == nil,
                "the student's own file in the current directory comes first")
        #expect(PackageData.shipped("/nonexistent/captures/broken-pipe.pcap", executable: tree.binary, currentDirectory: tree.root.path) == nil)
        #expect(PackageData.shipped("captures/no-such.pcap", executable: tree.binary, currentDirectory: tree.root.path) == nil)
        #expect(PackageData.shipped("broken-pipe.pcap", executable: tree.binary, currentDirectory: tree.root.path) == nil,
                "a bare name is no package path")
        #expect(PackageData.shipped("-", executable: tree.binary, currentDirectory: tree.root.path) == nil)
    }
}
