import Foundation

/// Whether this kernel lets tcplab's processes use io_uring, from
/// /proc/sys/kernel/io_uring_disabled (Linux 6.6+): 0 allowed, 1 only for members of
/// kernel.io_uring_group (and CAP_SYS_ADMIN), 2 disabled for everyone. A kernel without the
/// file allows it; a seccomp filter that refuses io_uring_setup shows only when the server
/// tries (its `io_uring_queue_init` fails with EPERM or ENOSYS and it stops with that line).
enum IOUringSupport {
    /// The one line explaining why the async variant cannot run here, or nil when it may (with 1,
    /// the server tries, and a refusal ends it with io_uring_queue_init's EPERM).
    static func refusal(procRoot: String = "/proc") -> String? {
        guard case .success(let text) = ProcText.read(path: "\(procRoot)/sys/kernel/io_uring_disabled"),
              let value = Int(text.trimmingCharacters(in: .whitespacesAndNewlines)), value >= 2
        else { return nil }
        return "io_uring is disabled on this machine (kernel.io_uring_disabled = \(value)): the async variant of io-models cannot run here; the other four can"
    }
}
