// Why C: FD_SET is a macro, and its bounds check exists only in glibc's fortified version of it
// (<bits/select2.h>, enabled by _FORTIFY_SOURCE with optimisation), which Swift cannot import.
// Package.swift compiles this file with -O2 -D_FORTIFY_SOURCE=2; the #error below makes sure.
#include <sys/select.h>
#include "tcplab_fdset.h"

#if !defined(__USE_FORTIFY_LEVEL) || __USE_FORTIFY_LEVEL < 1
#error "tcplab_fd_set_fortified must be compiled with -O2 -D_FORTIFY_SOURCE=2 (glibc's checked FD_SET)"
#endif

void tcplab_fd_set_fortified(int fd, void *set) {
    FD_SET(fd, (fd_set *)set);
}
