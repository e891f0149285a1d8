/*
** net.c -- TCP connections for live migration: connect to HOST:PORT,
** listen on a port and accept one connection.
**
** POSIX sockets natively.  WASI preview 1 can neither connect nor listen
** (a host may hand over an accepted socket, nothing more), so inro.wasm
** reports sockets as not supported and migrates through pipes instead.
*/
#include "platform/platform.h"

#ifndef __wasi__
#include <errno.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

/* A connection sends small messages (the handover, its answer) that must
** not wait for more data.  Either side may wait long for the other (a
** guest blocked in a host function reaches no point where its migration
** goes on), so there is no time-out; keep-alive probes tell a peer that
** is gone (after about a minute where the host lets us say so). */
static void tune(int fd) {
  int on = 1;
  setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &on, sizeof on);
  setsockopt(fd, SOL_SOCKET, SO_KEEPALIVE, &on, sizeof on);
#if defined(TCP_KEEPIDLE) && defined(TCP_KEEPINTVL) && defined(TCP_KEEPCNT)
  int idle = 30, every = 10, count = 3;
  setsockopt(fd, IPPROTO_TCP, TCP_KEEPIDLE, &idle, sizeof idle);
  setsockopt(fd, IPPROTO_TCP, TCP_KEEPINTVL, &every, sizeof every);
  setsockopt(fd, IPPROTO_TCP, TCP_KEEPCNT, &count, sizeof count);
#endif
}

/* Try each address of host:port with `attempt` until one works. */
static int each_address(const char *host, const char *port, int passive,
                        int (*attempt)(const struct addrinfo *, int *),
                        plat_fd *out, char *why, size_t whylen) {
  struct addrinfo hints, *list = NULL;
  memset(&hints, 0, sizeof hints);
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = passive ? AI_PASSIVE : 0;
  int g = getaddrinfo(host && host[0] ? host : NULL, port, &hints, &list);
  if (g != 0) {
    snprintf(why, whylen, "%s", gai_strerror(g));
    return PLAT_EHOSTUNREACH;
  }
  int e = EADDRNOTAVAIL;
  *out = PLAT_NO_FD;
  for (const struct addrinfo *a = list; a; a = a->ai_next) {
    int fd = socket(a->ai_family, a->ai_socktype, a->ai_protocol);
    if (fd < 0) {
      e = errno;
      continue;
    }
    if (attempt(a, &fd) == 0) {
      *out = fd;
      break;
    }
    e = errno;
    close(fd);
  }
  freeaddrinfo(list);
  if (*out != PLAT_NO_FD) return 0;
  snprintf(why, whylen, "%s", strerror(e));
  return plat_error(e);
}

static int do_connect(const struct addrinfo *a, int *fd) {
  int rc;
  do rc = connect(*fd, a->ai_addr, a->ai_addrlen);
  while (rc < 0 && errno == EINTR);
  if (rc == 0) tune(*fd);
  return rc;
}

static int do_listen(const struct addrinfo *a, int *fd) {
  int on = 1;
  setsockopt(*fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on);
  if (bind(*fd, a->ai_addr, a->ai_addrlen) != 0) return -1;
  return listen(*fd, 1);
}

int plat_tcp_connect(const char *host, const char *port, plat_fd *out,
                     char *why, size_t whylen) {
  return each_address(host, port, 0, do_connect, out, why, whylen);
}

int plat_tcp_listen(const char *host, const char *port, plat_fd *out,
                    char *why, size_t whylen) {
  return each_address(host, port, 1, do_listen, out, why, whylen);
}

int plat_tcp_port(plat_fd sock, unsigned *port) {
  struct sockaddr_storage a;
  socklen_t len = sizeof a;
  if (getsockname(sock, (struct sockaddr *)&a, &len) != 0) return plat_error(errno);
  if (a.ss_family == AF_INET) *port = ntohs(((struct sockaddr_in *)&a)->sin_port);
  else if (a.ss_family == AF_INET6) *port = ntohs(((struct sockaddr_in6 *)&a)->sin6_port);
  else return PLAT_EAFNOSUPPORT;
  return 0;
}

int plat_tcp_accept(plat_fd listener, plat_fd *out) {
  int fd;
  do fd = accept(listener, NULL, NULL);
  while (fd < 0 && errno == EINTR);
  *out = fd;
  if (fd < 0) return plat_error(errno);
  tune(fd);
  return 0;
}
#else
#include <stdio.h>

static int unsupported(plat_fd *out, char *why, size_t whylen) {
  *out = PLAT_NO_FD;
  snprintf(why, whylen, "this build of inro has no sockets (WASI): use a pipe");
  return PLAT_ENOTSUP;
}

int plat_tcp_connect(const char *host, const char *port, plat_fd *out,
                     char *why, size_t whylen) {
  (void)host, (void)port;
  return unsupported(out, why, whylen);
}

int plat_tcp_listen(const char *host, const char *port, plat_fd *out,
                    char *why, size_t whylen) {
  (void)host, (void)port;
  return unsupported(out, why, whylen);
}

int plat_tcp_port(plat_fd sock, unsigned *port) {
  (void)sock, (void)port;
  return PLAT_ENOTSUP;
}

int plat_tcp_accept(plat_fd listener, plat_fd *out) {
  (void)listener;
  *out = PLAT_NO_FD;
  return PLAT_ENOTSUP;
}
#endif
