import Foundation

/// Where the shipped reference recordings live (`captures/reference/NAME-VARIANT.json` and
/// `.pcap`, made by `scripts/record-references.sh`), so `--replay` works without any privilege.
public enum ReferenceRecordings {
    /// The directory inside the package.
    public static let directory = "captures/reference"

    /// `broken-pipe-default`: the file name of a variant's recording, without extension.
    public static func baseName(scenario: String, variant: String) -> String { "\(scenario)-\(variant)" }

    /// The directories searched, in order (`PackageData.directories`): `$TCPLAB_REFERENCES`,
    /// `captures/reference` under the current directory, under each directory above the tcplab
    /// binary's real path (a build in `.build/debug/` finds its package's recordings from
    /// anywhere) and its `share/tcplab/`, then under /usr/share/tcplab and /usr/local/share/tcplab.
    public static func searchPath(executable: String, environment: [String: String] = ProcessInfo.processInfo.environment,
                                  currentDirectory: String = FileManager.default.currentDirectoryPath) -> [String] {
        PackageData.directories(directory, override: environment["TCPLAB_REFERENCES"], executable: executable,
                                currentDirectory: currentDirectory)
    }

    /// The recording's JSON path, or a message saying where it was looked for and how to make it.
    public static func locate(scenario: String, variant: String, searchPath: [String]) throws(LabError) -> String {
        let name = baseName(scenario: scenario, variant: variant) + ".json"
        if let path = PackageData.first(name, in: searchPath) { return path }
        throw LabError.usage(
            "no reference recording \(name) found (looked in \(searchPath.prefix(3).joined(separator: ", "))…); "
                + "set TCPLAB_REFERENCES to the package's \(directory), or record them as root with scripts/record-references.sh")
    }
}
