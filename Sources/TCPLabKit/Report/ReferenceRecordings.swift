import Foundation

/// Where the shipped reference recordings live (`captures/reference/NAME-VARIANT.json` and
/// `.pcap`, made by `scripts/record-references.sh`), so `--replay` works without any privilege.
public enum ReferenceRecordings {
    /// The directory inside the package.
    public static let directory = "captures/reference"

    /// `broken-pipe-default`: the file name of a variant's recording, without extension.
    public static func baseName(scenario: String, variant: String) -> String { "\(scenario)-\(variant)" }

    /// The directories searched, in order: `$TCPLAB_REFERENCES`, `captures/reference` under the
    /// current directory, then under each directory above the tcplab binary (a build in
    /// `.build/debug/` finds its package's recordings from anywhere).
    public static func searchPath(executable: String, environment: [String: String] = ProcessInfo.processInfo.environment,
                                  currentDirectory: String = FileManager.default.currentDirectoryPath) -> [String] {
        var directories: [String] = []
        if let given = environment["TCPLAB_REFERENCES"], !given.isEmpty { directories.append(given) }
        directories.append((currentDirectory as NSString).appendingPathComponent(directory))
        var parent = (executable as NSString).deletingLastPathComponent
        while !parent.isEmpty, parent != "/" {
            directories.append((parent as NSString).appendingPathComponent(directory))
            parent = (parent as NSString).deletingLastPathComponent
        }
        return directories
    }

    /// The recording's JSON path, or a message saying where it was looked for and how to make it.
    public static func locate(scenario: String, variant: String, searchPath: [String]) throws(LabError) -> String {
        let name = baseName(scenario: scenario, variant: variant) + ".json"
        for directory in searchPath {
            let path = (directory as NSString).appendingPathComponent(name)
            if FileManager.default.isReadableFile(atPath: path) { return path }
        }
        throw LabError.usage(
            "no reference recording \(name) found (looked in \(searchPath.prefix(3).joined(separator: ", "))…); "
                + "set TCPLAB_REFERENCES to the package's \(directory), or record them as root with scripts/record-references.sh")
    }
}
