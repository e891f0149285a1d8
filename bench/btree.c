/*
** btree.c -- benchmark: a database engine's storage layer.  A B+tree
** key-value store on 4 KiB pages, reached through a page cache of 512
** frames with clock eviction in front of a simulated disk (a growing array
** of pages).  Leaves are slotted pages (a sorted array of 16-bit record
** offsets, records packed from the end of the page); interior pages hold
** sorted (key, child) entries.  Records move with memcpy/memmove: slot
** arrays shift on every insert and delete, pages compact and split by
** copying records, and dirty pages are copied to the disk on eviction and
** read back on a miss.
**
**   btree [N]             (default 30000)
**
** Inserts N keys (8 bytes, random order) with values of 8 to 120 bytes,
** then: 2N lookups (mostly of a hot set, some absent keys), N/4 updates to
** values of another length, N/3 deletes, N/100 range scans of 100
** records, N lookups again, and a full scan.  Prints the counts, the
** cache's hits, misses and write-backs, and a hash of everything read
** (the checksum).  Page bytes are written with explicit byte order, so
** the output is the same on every host.
*/
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum {
  PAGE = 4096,
  HDR = 16,              /* type, count, heap start, fragments, link */
  KEY = 8,               /* keys: 8 bytes, big-endian, compared by memcmp */
  REC = 2 + KEY,         /* leaf record: value length, key, value */
  ENTRY = KEY + 4,       /* interior entry: key, child page */
  MAXVAL = 120,
  FRAMES = 512,
  BUCKETS = 1024,
  MAXDEPTH = 16,
};
enum { LEAF = 1, INNER = 2 };

static uint32_t get16(const uint8_t *p) { return (uint32_t)p[0] | (uint32_t)p[1] << 8; }
static void put16(uint8_t *p, uint32_t v) { p[0] = (uint8_t)v; p[1] = (uint8_t)(v >> 8); }
static uint32_t get32(const uint8_t *p) { return get16(p) | get16(p + 2) << 16; }
static void put32(uint8_t *p, uint32_t v) { put16(p, v & 0xffff); put16(p + 2, v >> 16); }

static uint64_t mix64(uint64_t x) {
  x ^= x >> 31; x *= 0x7fb5d329728ea185ull;
  x ^= x >> 27; x *= 0x81dadef4bc2dd44dull;
  return x ^ (x >> 33);
}

/* ---------------------------------------------------------------- disk */
static uint8_t *disk;
static uint32_t disk_pages, disk_cap;

/* ---------------------------------------------------------- page cache */
typedef struct {
  uint32_t pgno;
  int pins, dirty, ref, next; /* next: the hash chain, -1 at its end */
  uint8_t *data;
} frame;
static frame frames[FRAMES];
static int bucket[BUCKETS], hand, used;
static uint64_t hits, misses, writes;

static _Noreturn void die(const char *why) { fprintf(stderr, "btree: %s\n", why); exit(1); }

static void unchain(int f) {
  int *at = &bucket[frames[f].pgno % BUCKETS];
  while (*at != f) at = &frames[*at].next;
  *at = frames[f].next;
}

/* A frame to reuse: a free one, or the clock's victim (written back if
   dirty).  Pinned frames are never evicted. */
static int victim(void) {
  if (used < FRAMES) return used++;
  for (int spins = 0; spins < 3 * FRAMES; spins++) {
    frame *fr = &frames[hand];
    int f = hand;
    hand = (hand + 1) % FRAMES;
    if (fr->pins) continue;
    if (fr->ref) { fr->ref = 0; continue; }
    if (fr->dirty) {
      memcpy(disk + (size_t)fr->pgno * PAGE, fr->data, PAGE);
      writes++;
    }
    unchain(f);
    return f;
  }
  die("every frame is pinned");
}

static int install(uint32_t pgno, int f) {
  frame *fr = &frames[f];
  fr->pgno = pgno, fr->pins = 1, fr->dirty = 0, fr->ref = 1;
  fr->next = bucket[pgno % BUCKETS];
  bucket[pgno % BUCKETS] = f;
  return f;
}

/* Pins page PGNO in a frame and returns the frame. */
static int fetch(uint32_t pgno) {
  for (int f = bucket[pgno % BUCKETS]; f >= 0; f = frames[f].next)
    if (frames[f].pgno == pgno) {
      frames[f].pins++, frames[f].ref = 1;
      hits++;
      return f;
    }
  misses++;
  int f = victim();
  memcpy(frames[f].data, disk + (size_t)pgno * PAGE, PAGE);
  return install(pgno, f);
}

/* A new page, pinned, dirty, of type TYPE with nothing in it. */
static int allocate(int type) {
  if (disk_pages >= disk_cap) {
    disk_cap = disk_cap ? disk_cap * 2 : 64;
    disk = realloc(disk, (size_t)disk_cap * PAGE);
    if (!disk) die("out of memory");
  }
  int f = install(disk_pages++, victim());
  uint8_t *p = frames[f].data;
  memset(p, 0, PAGE);
  p[0] = (uint8_t)type;
  put16(p + 4, PAGE);
  frames[f].dirty = 1;
  return f;
}

static void unpin(int f, int dirty) { frames[f].pins--; frames[f].dirty |= dirty; }
#define DATA(f) (frames[f].data)

/* ----------------------------------------------------------- page format */
#define COUNT(p) get16((p) + 2)
#define HEAP(p) get16((p) + 4)
#define FRAG(p) get16((p) + 6)
#define LINK(p) get32((p) + 8) /* leaf: next leaf (0: none); inner: child 0 */
#define SLOT(p, i) get16((p) + HDR + 2 * (i))
#define RECORD(p, i) ((p) + SLOT(p, i))
#define ENTRY_AT(p, i) ((p) + HDR + ENTRY * (i))

static uint32_t rec_size(const uint8_t *rec) { return REC + get16(rec); }
static uint32_t leaf_free(const uint8_t *p) { return HEAP(p) - (HDR + 2 * COUNT(p)); }

/* The first slot of leaf P whose key is >= KEY; *found if equal. */
static uint32_t leaf_search(const uint8_t *p, const uint8_t *key, int *found) {
  uint32_t lo = 0, hi = COUNT(p);
  *found = 0;
  while (lo < hi) {
    uint32_t mid = (lo + hi) / 2;
    int c = memcmp(RECORD(p, mid) + 2, key, KEY);
    if (c == 0) { *found = 1; return mid; }
    if (c < 0) lo = mid + 1; else hi = mid;
  }
  return lo;
}

/* The child of inner page P that may hold KEY: the last entry whose key is
   <= KEY (entry -1 is child 0).  Returns the entry's index + 1. */
static uint32_t inner_search(const uint8_t *p, const uint8_t *key) {
  uint32_t lo = 0, hi = COUNT(p);
  while (lo < hi) {
    uint32_t mid = (lo + hi) / 2;
    if (memcmp(ENTRY_AT(p, mid), key, KEY) <= 0) lo = mid + 1; else hi = mid;
  }
  return lo;
}
static uint32_t inner_child(const uint8_t *p, uint32_t at) {
  return at == 0 ? LINK(p) : get32(ENTRY_AT(p, at - 1) + KEY);
}

/* Rewrites leaf P with its records packed at the end, in slot order. */
static void leaf_compact(uint8_t *p) {
  static uint8_t tmp[PAGE];
  memcpy(tmp, p, PAGE);
  uint32_t heap = PAGE, n = COUNT(p);
  for (uint32_t i = 0; i < n; i++) {
    const uint8_t *rec = RECORD(tmp, i);
    uint32_t size = rec_size(rec);
    heap -= size;
    memcpy(p + heap, rec, size);
    put16(p + HDR + 2 * i, heap);
  }
  put16(p + 4, heap);
  put16(p + 6, 0);
}

/* Places a record in leaf P at slot AT (the caller made room). */
static void leaf_put(uint8_t *p, uint32_t at, const uint8_t *key, const uint8_t *val, uint32_t len) {
  uint32_t n = COUNT(p), heap = HEAP(p) - (REC + len);
  memmove(p + HDR + 2 * (at + 1), p + HDR + 2 * at, 2 * (n - at));
  put16(p + HDR + 2 * at, heap);
  put16(p + heap, len);
  memcpy(p + heap + 2, key, KEY);
  memcpy(p + heap + REC, val, len);
  put16(p + 2, n + 1);
  put16(p + 4, heap);
}

static void leaf_remove(uint8_t *p, uint32_t at) {
  uint32_t n = COUNT(p);
  put16(p + 6, FRAG(p) + rec_size(RECORD(p, at)));
  memmove(p + HDR + 2 * at, p + HDR + 2 * (at + 1), 2 * (n - at - 1));
  put16(p + 2, n - 1);
}

/* Inserts (KEY, CHILD) as entry AT of inner page P, which has room. */
static void inner_put(uint8_t *p, uint32_t at, const uint8_t *key, uint32_t child) {
  uint32_t n = COUNT(p);
  memmove(ENTRY_AT(p, at + 1), ENTRY_AT(p, at), ENTRY * (n - at));
  memcpy(ENTRY_AT(p, at), key, KEY);
  put32(ENTRY_AT(p, at) + KEY, child);
  put16(p + 2, n + 1);
}

/* ------------------------------------------------------------------ tree */
static uint32_t root;
static uint64_t nrecords;

typedef struct { uint32_t pgno[MAXDEPTH], at[MAXDEPTH]; int depth; } path;

/* Pins and returns the leaf that may hold KEY; with P, records the way. */
static int descend(const uint8_t *key, path *pt) {
  int f = fetch(root), d = 0;
  while (DATA(f)[0] == INNER) {
    uint32_t at = inner_search(DATA(f), key), child = inner_child(DATA(f), at);
    if (pt) { pt->pgno[d] = frames[f].pgno, pt->at[d] = at; }
    if (++d == MAXDEPTH) die("tree too deep");
    unpin(f, 0);
    f = fetch(child);
  }
  if (pt) pt->depth = d;
  return f;
}

/* Adds (KEY, CHILD) to the inner page at level D of PT, splitting upward
   as needed; a split of the root grows the tree by one level. */
static void insert_up(path *pt, int d, const uint8_t *key, uint32_t child) {
  uint8_t sep[KEY], up[KEY];
  memcpy(sep, key, KEY);
  for (; d >= 0; d--) {
    int f = fetch(pt->pgno[d]);
    uint8_t *p = DATA(f);
    uint32_t at = pt->at[d], n = COUNT(p);
    if (HDR + ENTRY * (n + 1) <= PAGE) {
      inner_put(p, at, sep, child);
      unpin(f, 1);
      return;
    }
    /* Split: the middle entry's key moves up, its child becomes the new
       right page's child 0. */
    int g = allocate(INNER);
    uint8_t *q = DATA(g);
    uint32_t mid = n / 2;
    memcpy(up, ENTRY_AT(p, mid), KEY);
    put32(q + 8, get32(ENTRY_AT(p, mid) + KEY));
    memcpy(ENTRY_AT(q, 0), ENTRY_AT(p, mid + 1), ENTRY * (n - mid - 1));
    put16(q + 2, n - mid - 1);
    put16(p + 2, mid);
    if (at <= mid) inner_put(p, at, sep, child);
    else inner_put(q, at - mid - 1, sep, child);
    child = frames[g].pgno;
    memcpy(sep, up, KEY);
    unpin(g, 1);
    unpin(f, 1);
  }
  int r = allocate(INNER);
  uint8_t *p = DATA(r);
  put32(p + 8, root);
  inner_put(p, 0, sep, child);
  root = frames[r].pgno;
  unpin(r, 1);
}

/* Splits leaf F (pinned) in two halves by bytes; the new right leaf comes
   after it in the chain.  Returns the right leaf, pinned. */
static int leaf_split(int f) {
  static uint8_t tmp[PAGE];
  uint8_t *p = DATA(f);
  memcpy(tmp, p, PAGE);
  int g = allocate(LEAF);
  uint8_t *q = DATA(g);
  uint32_t n = COUNT(tmp), total = PAGE - HEAP(tmp) - FRAG(tmp), left = 0, i = 0;
  put32(q + 8, LINK(tmp));
  memset(p + 2, 0, HDR - 2);
  put16(p + 4, PAGE);
  put32(p + 8, frames[g].pgno);
  for (; i < n && left < total / 2; i++) {
    const uint8_t *rec = RECORD(tmp, i);
    left += rec_size(rec);
    leaf_put(p, i, rec + 2, rec + REC, get16(rec));
  }
  for (uint32_t j = 0; i < n; i++, j++) {
    const uint8_t *rec = RECORD(tmp, i);
    leaf_put(q, j, rec + 2, rec + REC, get16(rec));
  }
  return g;
}

static void put(const uint8_t *key, const uint8_t *val, uint32_t len) {
  path pt;
  int f = descend(key, &pt), found;
  uint8_t *p = DATA(f);
  uint32_t at = leaf_search(p, key, &found);
  if (found) {
    uint8_t *rec = RECORD(p, at);
    if (get16(rec) == len) { /* same size: overwrite in place */
      memcpy(rec + REC, val, len);
      unpin(f, 1);
      return;
    }
    leaf_remove(p, at);
    nrecords--;
  }
  nrecords++;
  uint32_t need = REC + len + 2;
  if (leaf_free(p) < need && leaf_free(p) + FRAG(p) >= need) leaf_compact(p);
  if (leaf_free(p) >= need) {
    leaf_put(p, at, key, val, len);
    unpin(f, 1);
    return;
  }
  int g = leaf_split(f);
  uint8_t *q = DATA(g), sep[KEY];
  memcpy(sep, RECORD(q, 0) + 2, KEY);
  if (memcmp(key, sep, KEY) < 0) leaf_put(p, leaf_search(p, key, &found), key, val, len);
  else leaf_put(q, leaf_search(q, key, &found), key, val, len);
  uint32_t right = frames[g].pgno;
  unpin(g, 1);
  unpin(f, 1);
  insert_up(&pt, pt.depth - 1, sep, right);
}

/* Copies KEY's value to VAL; returns its length, or -1 if absent. */
static int get(const uint8_t *key, uint8_t *val) {
  int f = descend(key, NULL), found, len = -1;
  uint8_t *p = DATA(f);
  uint32_t at = leaf_search(p, key, &found);
  if (found) {
    const uint8_t *rec = RECORD(p, at);
    len = (int)get16(rec);
    memcpy(val, rec + REC, (size_t)len);
  }
  unpin(f, 0);
  return len;
}

static int del(const uint8_t *key) {
  int f = descend(key, NULL), found;
  uint8_t *p = DATA(f);
  uint32_t at = leaf_search(p, key, &found);
  if (found) { leaf_remove(p, at); nrecords--; }
  unpin(f, found);
  return found;
}

/* ------------------------------------------------------------- workload */
static uint64_t hash = 14695981039346656037ull;
static void feed(const uint8_t *b, size_t n) {
  for (size_t i = 0; i < n; i++) hash = (hash ^ b[i]) * 1099511628211ull;
}
static void feed_u64(uint64_t v) {
  uint8_t b[8];
  for (int i = 0; i < 8; i++) b[i] = (uint8_t)(v >> 8 * i);
  feed(b, 8);
}

/* Scans up to COUNT records from the first key >= KEY; returns how many. */
static uint32_t scan(const uint8_t *key, uint32_t count) {
  int f = descend(key, NULL), found;
  uint32_t at = leaf_search(DATA(f), key, &found), seen = 0;
  while (seen < count) {
    const uint8_t *p = DATA(f);
    for (; at < COUNT(p) && seen < count; at++, seen++) {
      const uint8_t *rec = RECORD(p, at);
      feed(rec + 2, KEY);
      feed(rec + REC, get16(rec) < 8 ? get16(rec) : 8);
    }
    uint32_t next = LINK(p);
    unpin(f, 0);
    if (seen == count || next == 0) return seen;
    f = fetch(next);
    at = 0;
  }
  unpin(f, 0);
  return seen;
}

static uint64_t random64(void) {
  static uint64_t state = 1;
  return state = mix64(state);
}

static void key_of(uint64_t i, uint8_t *key) {
  uint64_t k = mix64(i + 1);
  for (int b = 0; b < KEY; b++) key[b] = (uint8_t)(k >> (56 - 8 * b));
}

/* The value of key I at version V: 8 to 120 bytes, a generator's 8 bytes
   doubled by copies up to the length. */
static uint32_t value_of(uint64_t i, uint32_t v, uint8_t *val) {
  uint64_t s = mix64(i * 31 + v + 7);
  uint32_t len = 8 + (uint32_t)(s % (MAXVAL - 7));
  for (uint32_t k = 0; k < 8; k++) val[k] = (uint8_t)(s >> (8 * k));
  for (uint32_t b = 8; b < len; b *= 2) memcpy(val + b, val, b < len - b ? b : len - b);
  return len;
}

int main(int argc, char **argv) {
  long arg = argc > 1 ? atol(argv[1]) : 30000L;
  if (arg < 100) return 2;
  uint64_t n = (uint64_t)arg;
  static uint8_t pool[FRAMES][PAGE];
  uint8_t key[KEY], val[MAXVAL], want[MAXVAL];
  for (int b = 0; b < BUCKETS; b++) bucket[b] = -1;
  for (int f = 0; f < FRAMES; f++) frames[f].data = pool[f];
  disk_pages = 1; /* page 0 stays unused: a leaf link of 0 means none */
  int f = allocate(LEAF);
  root = frames[f].pgno;
  unpin(f, 1);

  for (uint64_t i = 0; i < n; i++) {
    key_of(i, key);
    put(key, val, value_of(i, 0, val));
  }
  uint64_t found = 0;
  for (uint64_t j = 0; j < 2 * n; j++) { /* 7 in 8 from a hot 1/16 */
    uint64_t r = random64(), i = r % 8 ? (r >> 8) % (n / 16) : (r >> 8) % (n + n / 4);
    key_of(i, key);
    int len = get(key, val);
    if (len >= 0) {
      found++;
      if ((uint32_t)len != value_of(i, 0, want) || memcmp(val, want, (size_t)len))
        die("wrong value");
      feed(val, 8);
      feed_u64((uint64_t)len);
    } else if (i < n) die("lost key");
  }
  for (uint64_t i = 0; i < n; i += 4) {
    key_of(i, key);
    put(key, val, value_of(i, 1, val));
  }
  uint64_t deleted = 0;
  for (uint64_t i = 0; i < n; i += 3) {
    key_of(i, key);
    deleted += (uint64_t)del(key);
  }
  uint64_t scanned = 0;
  for (uint64_t j = 0; j < n / 100; j++) {
    key_of(random64() % n, key);
    scanned += scan(key, 100);
  }
  uint64_t found2 = 0;
  for (uint64_t i = 0; i < n; i++) {
    key_of(i, key);
    int len = get(key, val);
    if ((len >= 0) != (i % 3 != 0)) die("wrong presence after deletes");
    if (len >= 0) {
      found2++;
      uint32_t wlen = value_of(i, i % 4 == 0, want);
      if ((uint32_t)len != wlen || memcmp(val, want, wlen)) die("wrong value after updates");
    }
  }
  memset(key, 0, KEY);
  uint64_t all = scan(key, UINT32_MAX);
  if (all != nrecords) die("full scan disagrees with the record count");
  feed_u64(hits), feed_u64(misses), feed_u64(writes);
  printf("btree %llu: %llu pages, %llu records; lookups %llu + %llu found, %llu deleted, "
         "%llu scanned\ncache %d frames: %llu hits, %llu misses, %llu writes; hash %016llx\n",
         (unsigned long long)n, (unsigned long long)disk_pages, (unsigned long long)all,
         (unsigned long long)found, (unsigned long long)found2, (unsigned long long)deleted,
         (unsigned long long)scanned, FRAMES, (unsigned long long)hits,
         (unsigned long long)misses, (unsigned long long)writes, (unsigned long long)hash);
  free(disk);
  return 0;
}
