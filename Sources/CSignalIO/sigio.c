#include "tcplab_sigio.h"
#include <errno.h>
#include <signal.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

static int watched_fd = -1;
static volatile sig_atomic_t pending = 0;
static tcplab_sigio_record latest;

static long long now_microseconds(void) {
    struct timespec now;
    clock_gettime(CLOCK_REALTIME, &now);
    return (long long)now.tv_sec * 1000000LL + now.tv_nsec / 1000;
}

static void on_sigio(int signal) {
    (void)signal;
    int saved = errno;
    latest.signals += 1;
    latest.signal_time = now_microseconds();
    latest.recv_began = now_microseconds();
    ssize_t count = recv(watched_fd, latest.data, sizeof latest.data - 1, MSG_DONTWAIT);
    latest.recv_ended = now_microseconds();
    latest.result = (long)count;
    latest.error = count < 0 ? errno : 0;
    latest.data[count > 0 ? count : 0] = 0;
    pending = 1;
    errno = saved;
}

int tcplab_sigio_install(int fd) {
    watched_fd = fd;
    struct sigaction action;
    memset(&action, 0, sizeof action);
    action.sa_handler = on_sigio;
    sigemptyset(&action.sa_mask);
    action.sa_flags = SA_RESTART;
    return sigaction(SIGIO, &action, NULL);
}

int tcplab_sigio_take(tcplab_sigio_record *out) {
    sigset_t block, previous;
    sigemptyset(&block);
    sigaddset(&block, SIGIO);
    sigprocmask(SIG_BLOCK, &block, &previous);
    int taken = pending;
    if (taken) {
        *out = latest;
        pending = 0;
    }
    sigprocmask(SIG_SETMASK, &previous, NULL);
    return taken;
}
