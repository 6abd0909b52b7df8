#ifndef TCPLAB_URING_H
#define TCPLAB_URING_H

// The few io_uring operations the io-models async server makes, through liburing. liburing.h
// defines most of its helpers as static inline functions (io_uring_get_sqe, io_uring_prep_read,
// io_uring_peek_cqe, io_uring_cqe_seen), which Swift cannot call reliably; this target compiles
// them in C behind plain functions, each prefixed tcplab_uring_.

/// An io_uring instance (a submission and a completion queue shared with the kernel).
typedef struct tcplab_uring tcplab_uring;

/// io_uring_queue_init(entries): a ring, or NULL with *error set to the positive errno
/// (EPERM when kernel.io_uring_disabled forbids it, ENOSYS when the kernel has no io_uring).
tcplab_uring *tcplab_uring_open(unsigned entries, int *error);

/// Queues one IORING_OP_READ of up to `length` bytes from `fd` into `buffer` (io_uring_prep_read)
/// and submits it (io_uring_submit): returns the number of entries submitted (1), or -errno.
/// The buffer must stay valid until the completion is taken.
int tcplab_uring_submit_read(tcplab_uring *ring, int fd, void *buffer, unsigned length);

/// Takes a completion if one is ready, without waiting (io_uring_peek_cqe + io_uring_cqe_seen):
/// 1 and *result = the operation's result (bytes read, or -errno), 0 when none is ready yet.
int tcplab_uring_peek(tcplab_uring *ring, int *result);

/// io_uring_queue_exit and frees the ring.
void tcplab_uring_close(tcplab_uring *ring);

#endif
