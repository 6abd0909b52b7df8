#ifndef TCPLAB_FDSET_H
#define TCPLAB_FDSET_H

/// Adds descriptor `fd` to the fd_set at `set` with glibc's own FD_SET macro, as a C program
/// built with -O2 -D_FORTIFY_SOURCE=2 does: glibc then checks the descriptor (__fdelt_chk) and,
/// for one outside 0…FD_SETSIZE-1, prints "*** bit out of range 0 - FD_SETSIZE on fd_set ***"
/// and aborts the process (SIGABRT). Used by the select-unchecked server of the concurrency lab.
void tcplab_fd_set_fortified(int fd, void *set);

#endif
