import CPcap
import Foundation
import Glibc

/// A libpcap capture on an interface (the run's `lo`), in immediate mode so each segment reaches
/// the lab as it happens, optionally saved to a pcap file tcpdump and Wireshark open.
///
/// Frames are read on a thread of their own; `stop()` wakes it through a pipe rather than a
/// timeout, drains what the kernel already queued, and closes the file and the handle.
public final class LiveCapture: @unchecked Sendable {
    public let linkType: LinkType
    public let interface: String
    private let handle: OpaquePointer
    private var dumper: OpaquePointer?
    private let wake: (read: Int32, write: Int32)
    /// A byte here asks the capture thread to drain the ring and say when it has (`sync`).
    private let syncRequests: (read: Int32, write: Int32)
    /// When the capture thread last found the kernel ring empty (CLOCK_REALTIME µs).
    private var drainedAt: Int64 = 0
    private let finished = NSCondition()
    private let stopping = NSLock()
    private var running = false
    private var stopped = false
    /// libpcap's counts at `stop()`: packets that passed the filter, and packets the kernel dropped
    /// because the lab did not read them fast enough (they are missing from the timeline).
    public private(set) var statistics: CaptureStatistics?
    private var onFrame: (@Sendable (CapturedFrame) -> Void)?

    /// Opens and activates the capture; fails with a message that says what to do when it cannot.
    /// `snapshotLength` bytes of each packet are kept (headers and a payload preview need far less
    /// than a bulk transfer's 64 KiB loopback packets; keeping less is what lets the capture keep
    /// up without drops). `bufferMegabytes` is the kernel ring that absorbs bursts.
    public init(
        interface: String = "lo", filter: String, savingTo path: String?,
        snapshotLength: Int32 = 262_144, bufferMegabytes: Int32 = 32
    ) throws(LabError) {
        self.interface = interface
        var errorBuffer = [CChar](repeating: 0, count: Int(PCAP_ERRBUF_SIZE))
        guard let handle = pcap_create(interface, &errorBuffer) else {
            throw LabError.capture("cannot open \(interface) for capture: \(errorBuffer.withUnsafeBufferPointer { String(cString: $0.baseAddress!) })")
        }
        pcap_set_snaplen(handle, snapshotLength)
        pcap_set_immediate_mode(handle, 1)
        pcap_set_timeout(handle, 100)
        // The kernel ring holds buffer/snaplen frames: libpcap's default 2 MB with lo's 256 KB
        // frames is only 8, and a burst of segments while this thread waits for a CPU overflows
        // it (segments silently missing). 32 MB gives 128.
        pcap_set_buffer_size(handle, bufferMegabytes << 20)
        let status = pcap_activate(handle)
        if status < 0 {
            let detail = String(cString: pcap_geterr(handle))
            pcap_close(handle)
            throw LabError.capture(CaptureProblem.explain(status: status, interface: interface, detail: detail))
        }
        guard let linkType = LinkType(dataLinkType: pcap_datalink(handle)) else {
            let code = pcap_datalink(handle)
            pcap_close(handle)
            throw LabError.capture("capture on \(interface): link type \(code) is not one tcplab decodes")
        }
        var program = bpf_program()
        if pcap_compile(handle, &program, filter, 1, PCAP_NETMASK_UNKNOWN) != 0
            || pcap_setfilter(handle, &program) != 0
        {
            let detail = String(cString: pcap_geterr(handle))
            pcap_freecode(&program)
            pcap_close(handle)
            throw LabError.capture("capture filter \"\(filter)\": \(detail)")
        }
        pcap_freecode(&program)
        pcap_setnonblock(handle, 1, &errorBuffer)
        // libpcap's packet socket is not close-on-exec: without this every role would inherit it.
        _ = fcntl(pcap_get_selectable_fd(handle), F_SETFD, FD_CLOEXEC)
        if let path {
            guard let dumper = pcap_dump_open(handle, path) else {
                // libpcap's message names the file again: "PATH: No such file or directory".
                var detail = String(cString: pcap_geterr(handle))
                if detail.hasPrefix(path + ": ") { detail = String(detail.dropFirst(path.count + 2)).lowercased() }
                pcap_close(handle)
                throw LabError.capture("cannot write capture file \(path): \(detail)")
            }
            self.dumper = dumper
        }
        do {
            wake = try FileDescriptorIO.makePipe()
            syncRequests = try FileDescriptorIO.makePipe()
        } catch {
            pcap_close(handle)
            throw LabError.system(call: "pipe", errno: error)
        }
        self.handle = handle
        self.linkType = linkType
    }

    /// Starts delivering frames to `onFrame`, in capture order, on the capture thread.
    public func start(onFrame: @escaping @Sendable (CapturedFrame) -> Void) {
        self.onFrame = onFrame
        running = true
        Thread.detachNewThread { [self] in
            loop()
            finished.lock()
            running = false
            finished.broadcast()
            finished.unlock()
        }
    }

    /// Stops the capture after delivering every frame already captured, then closes the file and handle.
    /// Safe to call more than once and from two threads at once (a run's end and Ctrl-C): every
    /// caller returns only once the file is closed.
    public func stop() {
        stopping.lock()
        defer { stopping.unlock() }
        finished.lock()
        defer { finished.unlock() }
        guard !stopped else { return }
        stopped = true
        if running {
            try? FileDescriptorIO.writeAll(wake.write, [1])
            while running { finished.wait() }
        }
        if let dumper { pcap_dump_close(dumper) }
        dumper = nil
        onFrame = nil
        var counts = pcap_stat()
        if pcap_stats(handle, &counts) == 0 {
            statistics = CaptureStatistics(received: UInt64(counts.ps_recv), dropped: UInt64(counts.ps_drop))
        }
        pcap_close(handle)
        close(wake.read)
        close(wake.write)
        close(syncRequests.read)
        close(syncRequests.write)
    }

    /// Returns once every frame the kernel captured before this call has been handed to the
    /// handler: the capture thread drains the ring (until pcap_dispatch finds it empty) after the
    /// request. So a timeline printed afterwards misses no segment that came before. Gives up after
    /// `timeout` seconds (a capture thread that cannot run), returning false.
    @discardableResult
    public func sync(timeout: Double = 0.5) -> Bool {
        let asked = WallClock.nowMicroseconds()
        finished.lock()
        defer { finished.unlock() }
        guard running, !stopped else { return true }
        try? FileDescriptorIO.writeAll(syncRequests.write, [1])
        let deadline = Date(timeIntervalSinceNow: timeout)
        while drainedAt < asked, running {
            if !finished.wait(until: deadline) { return drainedAt >= asked }
        }
        return true
    }

    private func loop() {
        let pcapFD = pcap_get_selectable_fd(handle)
        var fds = [pollfd(fd: pcapFD, events: Int16(POLLIN), revents: 0),
                   pollfd(fd: wake.read, events: Int16(POLLIN), revents: 0),
                   pollfd(fd: syncRequests.read, events: Int16(POLLIN), revents: 0)]
        while true {
            let ready = poll(&fds, 3, -1)
            if ready < 0 && errno == EINTR { continue }
            if fds[2].revents != 0 {
                var bytes = [UInt8](repeating: 0, count: 64)
                _ = read(syncRequests.read, &bytes, bytes.count)
            }
            // Every frame the kernel captured before `start` is in the ring now; drain() empties it.
            let start = WallClock.nowMicroseconds()
            drain()
            finished.lock()
            drainedAt = start
            finished.broadcast()
            finished.unlock()
            if ready < 0 || fds[1].revents != 0 { return }
        }
    }

    /// Hands every frame libpcap has buffered to the handler.
    private func drain() {
        let context = Unmanaged.passUnretained(self).toOpaque().assumingMemoryBound(to: UInt8.self)
        while pcap_dispatch(handle, -1, { context, header, bytes in
            guard let context, let header, let bytes else { return }
            let capture = Unmanaged<LiveCapture>.fromOpaque(UnsafeRawPointer(context)).takeUnretainedValue()
            capture.deliver(header: header, bytes: bytes)
        }, context) > 0 {}
    }

    private func deliver(header: UnsafePointer<pcap_pkthdr>, bytes: UnsafePointer<UInt8>) {
        if let dumper {
            pcap_dump(UnsafeMutableRawPointer(dumper).assumingMemoryBound(to: UInt8.self), header, bytes)
        }
        let stamp = header.pointee.ts
        let frame = CapturedFrame(
            time: Int64(stamp.tv_sec) * 1_000_000 + Int64(stamp.tv_usec),
            bytes: Array(UnsafeBufferPointer(start: bytes, count: Int(header.pointee.caplen))),
            originalLength: Int(header.pointee.len))
        onFrame?(frame)
    }
}

/// Turns libpcap's activation errors into what a student should do about them.
public enum CaptureProblem {
    /// The end of the message for a capture not permitted: where to learn what works here.
    /// (`tcplab doctor` itself shows the message without it.)
    public static let doctorAdvice = "; see `tcplab doctor`"

    /// The message for a failed pcap_activate, with what to do about it.
    public static func explain(status: Int32, interface: String, detail: String) -> String {
        switch status {
        case PCAP_ERROR_PERM_DENIED:
            return "not permitted to capture on \(interface): capturing needs CAP_NET_RAW. "
                + "Run as root (sudo tcplab …), or where user namespaces are allowed tcplab creates its own"
                + doctorAdvice
        case PCAP_ERROR_NO_SUCH_DEVICE:
            return "no interface \(interface) to capture on (\(detail))"
        default:
            return "cannot capture on \(interface): \(detail.isEmpty ? String(cString: pcap_statustostr(status)) : detail)"
        }
    }
}

/// How many packets a capture saw and how many the kernel had to drop (pcap_stats).
public struct CaptureStatistics: Sendable, Codable, Equatable {
    public var received: UInt64
    public var dropped: UInt64
}
