import Foundation

/// A concurrency model `tcplab bench concurrency` compares: which of the lean servers in
/// `Roles/Bench` serves the load. The raw value is the model's name on the command line, in the
/// table, the CSV, the JSON rows and the plot.
public enum BenchModel: String, CaseIterable, Codable, Sendable, CustomStringConvertible {
    /// One connection at a time (`BenchIterativeServer`).
    case iterative = "iterative"
    /// A child process per connection (`BenchForkServer`).
    case fork = "fork"
    /// A thread per connection (`BenchThreadServer`).
    case thread = "thread"
    /// One thread, one select() loop; descriptors >= FD_SETSIZE refused (`BenchSelectServer`).
    case select = "select"
    /// One thread, one poll() loop (`BenchPollServer`).
    case poll = "poll"
    /// One thread, level-triggered epoll (`BenchEpollServer`).
    case epoll = "epoll"
    /// One thread, edge-triggered epoll reading until EAGAIN (`BenchEpollServer`).
    case epollET = "epoll-et"

    /// The model's name (`epoll-et`), as in every line that mentions it.
    public var description: String { rawValue }

    /// The models named in `list`, comma-separated (`fork,epoll`), in the order given.
    /// Throws `LabError.usage`, one line naming the unknown ones (or none given) and the choices.
    public static func parse(list: String) throws(LabError) -> [BenchModel] {
        let choices = allCases.map(\.rawValue).joined(separator: ", ")
        let names = list.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        guard !names.isEmpty else { throw LabError.usage("no model given; models: \(choices)") }
        let unknown = names.filter { BenchModel(rawValue: $0) == nil }
        guard unknown.isEmpty else { throw LabError.usage("unknown model \(unknown.joined(separator: ", ")); models: \(choices)") }
        return names.compactMap(BenchModel.init(rawValue:))
    }
}
