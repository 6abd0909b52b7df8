#include <pcap/pcap.h>
#include <sys/prctl.h>
#include <net/if.h>
#include <sys/ioctl.h>
#include <fcntl.h>

// prctl and ioctl are variadic in C, so Swift cannot call them directly.
// These fixed-signature wrappers are the only C this project needs besides libpcap.

/// Ask the kernel to send `signal` to the calling process when its parent dies,
/// so a role never outlives the lab run that started it.
static inline int tcplab_set_parent_death_signal(int signal) {
    return prctl(PR_SET_PDEATHSIG, (unsigned long)signal, 0, 0, 0);
}

/// Make the calling process a child subreaper (or stop being one, with 0): orphans among its
/// descendants are re-parented to it instead of to PID 1, and it must reap them.
static inline int tcplab_set_child_subreaper(int on) {
    return prctl(PR_SET_CHILD_SUBREAPER, (unsigned long)on, 0, 0, 0);
}

/// Bring an interface up (SIOCGIFFLAGS + SIOCSIFFLAGS), as `ip link set lo up` does;
/// a fresh network namespace starts with `lo` down.
static inline int tcplab_interface_up(int socket_fd, const char *name) {
    struct ifreq request = {0};
    for (int i = 0; name[i] != 0 && i < IFNAMSIZ - 1; i++) request.ifr_name[i] = name[i];
    if (ioctl(socket_fd, SIOCGIFFLAGS, &request) < 0) return -1;
    request.ifr_flags |= IFF_UP | IFF_RUNNING;
    return ioctl(socket_fd, SIOCSIFFLAGS, &request);
}

// unshare(2) and its flags are declared only under _GNU_SOURCE, which Swift's Glibc module
// does not define; the kernel ABI values are fixed (include/uapi/linux/sched.h).
extern int unshare(int flags);
#define TCPLAB_CLONE_NEWNET 0x40000000
#define TCPLAB_CLONE_NEWUSER 0x10000000

/// Moves the calling thread into new namespaces; for a single-threaded process, the whole process.
static inline int tcplab_unshare(int flags) {
    return unshare(flags);
}

// setns(2) likewise (_GNU_SOURCE only). `tcplab watch --join` uses it as nsenter(1) does.
extern int setns(int fd, int nstype);

/// Moves the calling thread into the namespace `fd` (an open /proc/PID/ns/* file) refers to;
/// for a user namespace the process must be single-threaded.
static inline int tcplab_setns(int fd, int nstype) {
    return setns(fd, nstype);
}

// Swift's Glibc module leaves out <sys/epoll.h>; including it here makes epoll_create1,
// epoll_ctl, epoll_wait, epoll_event and the EPOLL* flags importable (the concurrency roles).
#include <sys/epoll.h>

/// The terminal side of the pseudo-terminal whose controller (`/dev/ptmx`, pty(7)) is
/// `controller`: unlocked (TIOCSPTLCK) and opened (TIOCGPTPEER, Linux 4.13) read-write, not as a
/// controlling terminal, close-on-exec; -1 with errno on failure.
static inline int tcplab_open_pty_terminal(int controller) {
    int unlock = 0;
    if (ioctl(controller, TIOCSPTLCK, &unlock) < 0) return -1;
    return ioctl(controller, TIOCGPTPEER, O_RDWR | O_NOCTTY | O_CLOEXEC);
}
