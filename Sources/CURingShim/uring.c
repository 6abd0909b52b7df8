#include "tcplab_uring.h"
#include <liburing.h>
#include <stdlib.h>

struct tcplab_uring {
    struct io_uring ring;
};

tcplab_uring *tcplab_uring_open(unsigned entries, int *error) {
    tcplab_uring *ring = calloc(1, sizeof *ring);
    if (ring == NULL) {
        *error = 12; // ENOMEM
        return NULL;
    }
    int result = io_uring_queue_init(entries, &ring->ring, 0);
    if (result < 0) {
        *error = -result;
        free(ring);
        return NULL;
    }
    return ring;
}

int tcplab_uring_submit_read(tcplab_uring *ring, int fd, void *buffer, unsigned length) {
    struct io_uring_sqe *sqe = io_uring_get_sqe(&ring->ring);
    if (sqe == NULL) return -16; // EBUSY: the submission queue is full
    io_uring_prep_read(sqe, fd, buffer, length, 0);
    return io_uring_submit(&ring->ring);
}

int tcplab_uring_peek(tcplab_uring *ring, int *result) {
    struct io_uring_cqe *cqe = NULL;
    if (io_uring_peek_cqe(&ring->ring, &cqe) != 0 || cqe == NULL) return 0;
    *result = cqe->res;
    io_uring_cqe_seen(&ring->ring, cqe);
    return 1;
}

void tcplab_uring_close(tcplab_uring *ring) {
    io_uring_queue_exit(&ring->ring);
    free(ring);
}
