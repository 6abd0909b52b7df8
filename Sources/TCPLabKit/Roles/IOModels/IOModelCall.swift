/// The `call` names of the steps the io-models roles report beyond the socket calls (`recv`,
/// `poll`, `fcntl` …): what the scenario waits for and the claims look up, spelled once.
public enum IOModelCall {
    /// A note: the server starts waiting in its model's way (its wait call or its work loop comes next).
    public static let waiting = "waiting"
    /// A note: the non-blocking loop's further recv() calls that returned EAGAIN; `returnValue` is
    /// their count, the note's time that of the last one.
    public static let eagainLoop = "recv-eagain-loop"
    /// A note: the units of other work the main loop did while waiting; `returnValue` is their count.
    public static let work = "work"
    /// A note: the SIGIO handler ran; its time is when the handler began.
    public static let sigio = "SIGIO"
    /// The io_uring read queued and handed to the kernel (`io_uring_submit`).
    public static let submit = "io_uring_submit"
    /// A note: the io_uring completion taken from the completion queue; `returnValue` is its `res`.
    public static let completion = "io_uring_cqe"
    /// A note: the client pauses before sending.
    public static let pause = "pause"
}
