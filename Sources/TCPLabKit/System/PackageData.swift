import Foundation

/// Where tcplab's shipped files are (the reference recordings in `captures/reference`, the lab
/// sheets in `Labs`), whichever directory tcplab is started from: one search for every command.
public enum PackageData {
    /// Where an installed tcplab keeps its files (`/usr/share/tcplab/captures/reference`, the .deb's layout).
    public static let installedRoots = ["/usr/share/tcplab", "/usr/local/share/tcplab"]

    /// The directories that may hold `relative` (e.g. `captures/reference`), in the order searched,
    /// without duplicates:
    /// 1. `override` (an environment variable such as `$TCPLAB_REFERENCES`, naming the directory itself);
    /// 2. `relative` under the current directory;
    /// 3. `relative` under each directory above the binary's real path (symbolic links resolved with
    ///    realpath(3)), so a build in `.build/debug/` finds its package from anywhere; and
    ///    `share/tcplab/relative` there, so `/usr/bin/tcplab` finds `/usr/share/tcplab`;
    /// 4. `relative` under each of `installedRoots`.
    public static func directories(_ relative: String, override: String?, executable: String,
                                   currentDirectory: String = FileManager.default.currentDirectoryPath) -> [String] {
        var found: [String] = []
        func add(_ path: String) { if !found.contains(path) { found.append(path) } }
        if let override, !override.isEmpty { add(override) }
        add((currentDirectory as NSString).appendingPathComponent(relative))
        var parent = (realPath(executable) as NSString).deletingLastPathComponent
        while !parent.isEmpty {
            add((parent as NSString).appendingPathComponent(relative))
            add((parent as NSString).appendingPathComponent("share/tcplab/" + relative))
            if parent == "/" { break }
            parent = (parent as NSString).deletingLastPathComponent
        }
        for root in installedRoots { add((root as NSString).appendingPathComponent(relative)) }
        return found
    }

    /// The first of `directories` holding a readable `name`, or nil.
    public static func first(_ name: String, in directories: [String]) -> String? {
        directories.lazy.map { ($0 as NSString).appendingPathComponent(name) }
            .first { FileManager.default.isReadableFile(atPath: $0) }
    }

    /// The shipped copy of a package file a student names by its path in the checkout
    /// (`captures/broken-pipe.pcap`, as the lab sheets write it) when that path is not there from
    /// the current directory: `relative`'s directory searched as `directories` does (beside the
    /// binary, its `share/tcplab`, then `installedRoots`). Nil for an absolute path, a path that
    /// exists, or one with no shipped copy.
    public static func shipped(_ path: String, executable: String,
                               currentDirectory: String = FileManager.default.currentDirectoryPath) -> String? {
        guard !path.hasPrefix("/"), path != "-",
              !FileManager.default.fileExists(atPath: (currentDirectory as NSString).appendingPathComponent(path)) else { return nil }
        let folder = (path as NSString).deletingLastPathComponent
        let name = (path as NSString).lastPathComponent
        guard !folder.isEmpty, !name.isEmpty else { return nil }
        return first(name, in: directories(folder, override: nil, executable: executable, currentDirectory: currentDirectory))
    }

    /// `path` with every symbolic link resolved (realpath(3)); `path` itself when that fails.
    static func realPath(_ path: String) -> String {
        guard let resolved = realpath(path, nil) else { return path }
        defer { free(resolved) }
        return String(cString: resolved)
    }
}
