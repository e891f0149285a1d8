/*
** stream.c -- writing sections as a stream.
**
** A section is `u32 id | u32 flags | u64 length | payload | u32 crc`, its
** length known before its payload.  The pieces of a section are gathered
** as iovecs and handed to the writer in batches: a 64 KiB memory page is
** one iovec pointing into linear memory, never copied by inro (a file
** write copies it once, into the kernel).  The CRC-32C of the payload is
** computed piece by piece on the way.
*/
#include <string.h>

#include "snapshot/snapshot.h"
#include "util/crc32c.h"

void snap_out_init(snap_out *o, inro_write_fn write, void *env) {
  memset(o, 0, sizeof *o);
  o->write = write;
  o->env = env;
}

int snap_out_flush(snap_out *o) {
  if (!o->failed && o->niov) {
    if (!o->write(o->env, o->iov, o->niov)) o->failed = 1;
    for (size_t i = 0; i < o->niov; i++) o->bytes += o->iov[i].len;
  }
  o->niov = 0;
  o->nscratch = 0;
  return o->failed ? -1 : 0;
}

/* Queue n bytes at p (which stay valid until the next flush). */
static void queue(snap_out *o, const void *p, size_t n) {
  if (n == 0) return;
  if (o->niov == SNAP_OUT_IOV) snap_out_flush(o);
  /* Adjacent scratch pieces make one iovec. */
  if (o->niov && (const uint8_t *)o->iov[o->niov - 1].base +
                         o->iov[o->niov - 1].len == (const uint8_t *)p) {
    o->iov[o->niov - 1].len += n;
    return;
  }
  o->iov[o->niov].base = p;
  o->iov[o->niov].len = n;
  o->niov++;
}

/* Copy small framing bytes to scratch and queue them (not counted in a
** section's CRC). */
static void frame_bytes(snap_out *o, const void *p, size_t n) {
  /* Flush first, so that queue() does not while at points into scratch. */
  if (n > SNAP_OUT_SCRATCH - o->nscratch || o->niov == SNAP_OUT_IOV)
    snap_out_flush(o);
  uint8_t *at = o->scratch + o->nscratch;
  memcpy(at, p, n);
  o->nscratch += n;
  queue(o, at, n);
}

static void put_u32(uint8_t *b, uint32_t v) {
  for (int i = 0; i < 4; i++) b[i] = (uint8_t)(v >> (8 * i));
}

void snap_out_header(snap_out *o, uint32_t version) {
  uint8_t h[16];
  memcpy(h, SNAP_MAGIC, 8);
  put_u32(h + 8, version);
  put_u32(h + 12, 0);
  frame_bytes(o, h, sizeof h);
}

void snap_out_begin(snap_out *o, uint32_t id, uint32_t flags, uint64_t len) {
  uint8_t h[16];
  put_u32(h, id);
  put_u32(h + 4, flags);
  put_u32(h + 8, (uint32_t)len);
  put_u32(h + 12, (uint32_t)(len >> 32));
  frame_bytes(o, h, sizeof h);
  o->crc = 0;
  o->left = len;
}

static int take(snap_out *o, size_t n) {
  if (n > o->left) { /* a caller's size computation is wrong */
    o->failed = 1;
    return 0;
  }
  o->left -= n;
  return 1;
}

void snap_out_copy(snap_out *o, const void *p, size_t n) {
  if (!take(o, n)) return;
  o->crc = crc32c(o->crc, p, n);
  for (const uint8_t *b = p; n > 0;) {
    size_t k = n < SNAP_OUT_SCRATCH ? n : SNAP_OUT_SCRATCH;
    frame_bytes(o, b, k);
    b += k;
    n -= k;
  }
}

void snap_out_ref(snap_out *o, const void *p, size_t n) {
  if (!take(o, n)) return;
  o->crc = crc32c(o->crc, p, n);
  queue(o, p, n);
}

void snap_out_u8(snap_out *o, uint8_t v) { snap_out_copy(o, &v, 1); }

void snap_out_u32(snap_out *o, uint32_t v) {
  uint8_t b[4];
  put_u32(b, v);
  snap_out_copy(o, b, 4);
}

void snap_out_u64(snap_out *o, uint64_t v) {
  uint8_t b[8];
  put_u32(b, (uint32_t)v);
  put_u32(b + 4, (uint32_t)(v >> 32));
  snap_out_copy(o, b, 8);
}

void snap_out_end(snap_out *o) {
  uint8_t b[4];
  if (o->left) o->failed = 1;
  put_u32(b, o->crc);
  frame_bytes(o, b, 4);
}

void snap_out_section(snap_out *o, uint32_t id, uint32_t flags,
                      const uint8_t *payload, size_t len) {
  snap_out_begin(o, id, flags, len);
  snap_out_ref(o, payload, len);
  snap_out_end(o);
}
