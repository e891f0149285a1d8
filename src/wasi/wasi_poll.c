/*
** wasi_poll.c -- poll_oneoff: wait for clocks and descriptors.
**
** Clock subscriptions become deadlines on the monotonic clock; descriptor
** subscriptions go to plat_poll, except regular files, which are always
** ready (as POSIX poll says).  A subscription that is invalid (bad clock,
** bad descriptor, missing right) completes at once with its error in the
** event, so the call itself only fails for bad pointers or a bad tag.
*/
#include <stdlib.h>
#include <string.h>

#include "wasi/wasi_impl.h"

#define ARG(x) WASI_U32(a[x])

enum { WASI_EV_CLOCK = 0, WASI_EV_FD_READ = 1, WASI_EV_FD_WRITE = 2 };
#define WASI_SUB_SIZE 48
#define WASI_EVENT_SIZE 32
#define WASI_CLOCK_ABSTIME 1u
#define WASI_EV_HANGUP 1u
#define WASI_MONOTONIC 1u

typedef struct wasi_sub {
  uint64_t userdata;
  uint8_t tag;
  uint16_t error;    /* nonzero: completes at once with this error */
  int ready;         /* completes at once without error (a regular file) */
  uint64_t nbytes;   /* for ready */
  uint64_t deadline; /* clocks: monotonic nanoseconds */
  size_t poll;       /* descriptors: index into the plat_pollfd array */
} wasi_sub;

static uint64_t wasi_now(void) {
  uint64_t t = 0;
  plat_clock_time(WASI_MONOTONIC, &t);
  return t;
}

static void wasi_parse_clock(const uint8_t *s, uint64_t start, wasi_sub *sub) {
  uint32_t id = wasi_get32(s + 16);
  uint64_t timeout = wasi_get64(s + 24), now;
  uint16_t flags = (uint16_t)(s[40] | s[41] << 8);
  if (plat_clock_time(id, &now)) {
    sub->error = PLAT_EINVAL;
    return;
  }
  uint64_t rel = timeout;
  if (flags & WASI_CLOCK_ABSTIME) rel = timeout > now ? timeout - now : 0;
  sub->deadline = rel > UINT64_MAX - start ? UINT64_MAX : start + rel;
}

static void wasi_parse_fd(wasi_state *st, const uint8_t *s, wasi_sub *sub,
                          plat_pollfd *pfds, size_t *npoll) {
  wasi_fd *e;
  int rc = wasi_fd_get(st, wasi_get32(s + 16), WASI_R_POLL_FD_READWRITE, &e);
  if (rc) {
    sub->error = (uint16_t)rc;
    return;
  }
  plat_stat fst;
  if (!plat_fstat(e->host, &fst) && fst.type == PLAT_FT_FILE) {
    uint64_t pos = 0;
    sub->ready = 1;
    if (sub->tag == WASI_EV_FD_READ && !plat_seek(e->host, 0, 1, &pos) &&
        pos < fst.size)
      sub->nbytes = fst.size - pos;
    return;
  }
  sub->poll = *npoll;
  pfds[*npoll].fd = e->host;
  pfds[*npoll].want = sub->tag == WASI_EV_FD_READ ? PLAT_POLL_READ
                                                  : PLAT_POLL_WRITE;
  pfds[*npoll].got = 0;
  (*npoll)++;
}

static void wasi_put_event(uint8_t *ev, const wasi_sub *sub, uint16_t error,
                           uint64_t nbytes, uint16_t flags) {
  memset(ev, 0, WASI_EVENT_SIZE);
  wasi_le64(ev, sub->userdata);
  wasi_le16(ev + 8, error);
  ev[10] = sub->tag;
  wasi_le64(ev + 16, nbytes);
  wasi_le16(ev + 24, flags);
}

/* One round: the events that are due now, written to out; their count. */
static uint32_t wasi_collect(const wasi_sub *subs, uint32_t n,
                             const plat_pollfd *pfds, uint64_t now,
                             uint8_t *out) {
  uint32_t k = 0;
  for (uint32_t i = 0; i < n; i++) {
    const wasi_sub *s = &subs[i];
    uint8_t *ev = out + (size_t)k * WASI_EVENT_SIZE;
    if (s->error) {
      wasi_put_event(ev, s, s->error, 0, 0);
    } else if (s->tag == WASI_EV_CLOCK) {
      if (s->deadline > now) continue;
      wasi_put_event(ev, s, 0, 0, 0);
    } else if (s->ready) {
      wasi_put_event(ev, s, 0, s->nbytes, 0);
    } else {
      int got = pfds[s->poll].got;
      if (!got) continue;
      wasi_put_event(ev, s, (got & PLAT_POLL_ERR) ? PLAT_EIO : 0, 0,
                     (got & PLAT_POLL_HUP) ? WASI_EV_HANGUP : 0);
    }
    k++;
  }
  return k;
}

/* A wait for ever with no descriptor, when no wait_fn listens, is a
** sleep that never ends: taken in slices this long. */
#define WASI_IDLE_SLICE_NS ((int64_t)3600 * 1000000000)

uint32_t wasi_wait(wasi_state *st, plat_pollfd *fds, size_t n,
                   int64_t timeout_ns) {
  uint64_t start = wasi_now();
  for (;;) {
    int64_t left = timeout_ns;
    if (timeout_ns > 0) {
      uint64_t spent = wasi_now() - start;
      left = spent >= (uint64_t)timeout_ns ? 0 : timeout_ns - (int64_t)spent;
    }
    int64_t slice = left;
    int64_t most = st->wait_fn ? (int64_t)WASI_WAIT_SLICE_NS
                   : n ? -1 : WASI_IDLE_SLICE_NS;
    if (most >= 0 && (slice < 0 || slice > most)) slice = most;
    for (size_t i = 0; i < n; i++) fds[i].got = 0;
    int rc = n ? plat_poll(fds, n, slice) : plat_sleep((uint64_t)slice);
    if (rc) return (uint32_t)rc;
    for (size_t i = 0; i < n; i++)
      if (fds[i].got) return 0;
    if (slice == left) return 0; /* the timeout, not a slice, has passed */
    if (st->wait_fn && !st->wait_fn(st->ctx, st->wait_env))
      return WASI_STOPPED;
  }
}

/* poll_oneoff(in, out, nsubscriptions, nevents_out) */
static uint32_t wasi_poll_oneoff(wasi_state *st, const wasi_mem *m,
                                 const uint64_t *a) {
  uint32_t n = ARG(2);
  if (n == 0) return PLAT_EINVAL;
  const uint8_t *in = wasi_ptr(m, ARG(0), (uint64_t)n * WASI_SUB_SIZE);
  uint8_t *out = wasi_ptr(m, ARG(1), (uint64_t)n * WASI_EVENT_SIZE);
  if (!in || !out || !wasi_ptr(m, ARG(3), 4)) return PLAT_EFAULT;
  wasi_sub *subs = calloc(n, sizeof *subs);
  plat_pollfd *pfds = calloc(n, sizeof *pfds);
  if (!subs || !pfds) {
    free(subs);
    free(pfds);
    return PLAT_ENOMEM;
  }
  uint64_t start = wasi_now(), first = UINT64_MAX;
  size_t npoll = 0;
  uint32_t rc = 0;
  int immediate = 0;
  for (uint32_t i = 0; i < n && !rc; i++) {
    const uint8_t *s = in + (size_t)i * WASI_SUB_SIZE;
    wasi_sub *sub = &subs[i];
    sub->userdata = wasi_get64(s);
    sub->tag = s[8];
    if (sub->tag == WASI_EV_CLOCK) wasi_parse_clock(s, start, sub);
    else if (sub->tag <= WASI_EV_FD_WRITE)
      wasi_parse_fd(st, s, sub, pfds, &npoll);
    else rc = PLAT_EINVAL;
    if (sub->error || sub->ready) immediate = 1;
    else if (sub->tag == WASI_EV_CLOCK && sub->deadline < first)
      first = sub->deadline;
  }
  uint32_t k = 0;
  while (!rc) {
    uint64_t now = wasi_now();
    /* A deadline that saturated (UINT64_MAX) never comes: with only such
    ** clocks the wait is for ever, as a sleep, never a spin. */
    int64_t wait = immediate ? 0
                   : first == UINT64_MAX ? -1
                   : first <= now ? 0
                   : first - now > INT64_MAX ? INT64_MAX
                                             : (int64_t)(first - now);
    for (size_t i = 0; i < npoll; i++) pfds[i].got = 0;
    if (npoll || wait != 0) rc = wasi_wait(st, pfds, npoll, wait);
    if (rc) break;
    if ((k = wasi_collect(subs, n, pfds, wasi_now(), out))) break;
  }
  free(subs);
  free(pfds);
  return rc ? rc : (uint32_t)wasi_put32(m, ARG(3), k);
}

const wasi_entry wasi_poll_entries[] = {
  {"poll_oneoff", "iiii", wasi_poll_oneoff},
};
const size_t wasi_poll_nentries = WASI_COUNT(wasi_poll_entries);
