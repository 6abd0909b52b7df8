#ifndef TCPLAB_SIGIO_H
#define TCPLAB_SIGIO_H

// The SIGIO handler of the io-models signal-driven server. It is C because a signal handler may
// only make async-signal-safe calls (signal-safety(7)): clock_gettime and recv are, Swift's runtime
// (allocation, lazy globals, reference counting) is not.

/// What the handler saw at its latest SIGIO: when the signal came, and the recv() it made then.
typedef struct {
    /// How many SIGIOs the handler has taken so far.
    int signals;
    /// CLOCK_REALTIME microseconds when the handler began.
    long long signal_time;
    /// CLOCK_REALTIME microseconds around the handler's recv(fd, …, MSG_DONTWAIT).
    long long recv_began;
    long long recv_ended;
    /// recv()'s result, and errno when it is -1.
    long result;
    int error;
    /// The bytes recv() returned (at most 63).
    unsigned char data[64];
} tcplab_sigio_record;

/// Installs the handler with sigaction(SIGIO) for socket `fd`: on each SIGIO it records the time
/// and reads what is there with recv(MSG_DONTWAIT). Returns sigaction's result (0, or -1 and errno).
int tcplab_sigio_install(int fd);

/// If the handler has run since the last take: copies its record to `out` and returns 1; else 0.
/// Signals are blocked while copying, so the record is never half-written.
int tcplab_sigio_take(tcplab_sigio_record *out);

#endif
