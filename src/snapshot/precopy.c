/*
** precopy.c -- migration streams: a snapshot whose memory is sent in
** rounds while the program runs (inro.h, docs/snapshot-format.md).
**
** Each page has the hash of the content last sent for it; a page never
** sent counts as sent all zero, which is what the receiver starts with.
** A round walks every page, hashes it, and sends it in a PAGES section
** when the hash differs; the first round therefore sends the non-zero
** pages, later rounds what the program wrote since.  The final MEMORIES
** section holds the pages that changed after their last round.
**
** The hash is NH (the hash of UMAC: Black, Halevi, Krawczyk, Krovetz and
** Rogaway, 1999) over the page's 32-bit words, twice with the key shifted
** by two words (the Toeplitz construction), with a random key drawn for
** each migration: for any two different pages, and whatever the program
** writes, the chance that both hashes agree is at most 2^-64.  Being a
** multiply and an add per word it runs at memory speed, in inro.wasm too,
** with no help from the operating system (docs/migration.md compares the
** alternatives).
*/
#include <stdlib.h>
#include <string.h>

#include "platform/platform.h"
#include "snapshot/snapshot.h"

#define PAGE_WORDS (INRO_PAGE_SIZE / 4)
#define KEY_WORDS (PAGE_WORDS + 2)
#define BATCH 16 /* pages per PAGES section: 1 MiB */

typedef struct page_hash {
  uint64_t a, b;
} page_hash;

typedef struct pc_memory {
  page_hash *sent; /* per page: the hash of what was sent */
  uint64_t npages;
} pc_memory;

struct inro_precopy {
  inro_instance *inst;
  snap_out out;
  uint32_t key[KEY_WORDS];
  page_hash zero;            /* the hash of a page of zeros */
  pc_memory *mems;
  uint32_t version;          /* of the stream (snap_stream_version) */
  uint32_t mem;              /* where the current round goes on */
  uint64_t page;
  uint64_t batch[BATCH];
  uint32_t nbatch;
  inro_precopy_stats stats;
  int failed;
};

static uint32_t word(const uint8_t *p) {
  return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static page_hash hash_page(const uint32_t *key, const uint8_t *p) {
  uint64_t a = 0, b = 0;
  for (size_t i = 0; i < PAGE_WORDS; i += 2, p += 8) {
    uint32_t m0 = word(p), m1 = word(p + 4);
    a += (uint64_t)(uint32_t)(m0 + key[i]) * (uint32_t)(m1 + key[i + 1]);
    b += (uint64_t)(uint32_t)(m0 + key[i + 2]) * (uint32_t)(m1 + key[i + 3]);
  }
  return (page_hash){a, b};
}

static int same(page_hash x, page_hash y) { return x.a == y.a && x.b == y.b; }

/* Room for memory i's current pages in its table of hashes. */
static int track(inro_precopy *pc, uint32_t i) {
  pc_memory *m = &pc->mems[i];
  uint64_t pages = pc->inst->mems[i]->pages;
  if (pages <= m->npages) return 1;
  page_hash *more = pages <= SIZE_MAX / sizeof *more
                        ? realloc(m->sent, (size_t)pages * sizeof *more)
                        : NULL;
  if (!more) return 0;
  for (uint64_t p = m->npages; p < pages; p++) more[p] = pc->zero;
  m->sent = more;
  m->npages = pages;
  return 1;
}

inro_precopy *inro_precopy_start(inro_instance *inst, int include_module,
                                  inro_write_fn write, void *env,
                                  inro_error *err) {
  inro_error_clear(err);
  inro_precopy *pc = calloc(1, sizeof *pc);
  uint32_t n = inst->module->nmems;
  if (!pc || !(pc->mems = calloc((size_t)n + 1, sizeof *pc->mems))) {
    free(pc);
    err_set(err, INRO_ERR_NOMEM, "out of memory");
    return NULL;
  }
  pc->inst = inst;
  if (plat_random(pc->key, sizeof pc->key) != 0) {
    inro_precopy_free(pc);
    err_set(err, INRO_ERR_IO, "no entropy for the page hashes");
    return NULL;
  }
  uint8_t *zero = calloc(1, INRO_PAGE_SIZE);
  if (!zero) {
    inro_precopy_free(pc);
    err_set(err, INRO_ERR_NOMEM, "out of memory");
    return NULL;
  }
  pc->zero = hash_page(pc->key, zero);
  free(zero);
  pc->version = snap_stream_version(inst->module);
  snap_out_init(&pc->out, write, env);
  snap_write_module(&pc->out, inst->module, include_module, pc->version);
  if (snap_out_flush(&pc->out) != 0) {
    inro_precopy_free(pc);
    err_set(err, INRO_ERR_IO, "cannot write the migration stream");
    return NULL;
  }
  pc->stats.bytes_sent = pc->out.bytes;
  return pc;
}

/* The batch of memory pc->mem as one PAGES section. */
static void send_batch(inro_precopy *pc) {
  if (!pc->nbatch) return;
  const inro_memory *mem = pc->inst->mems[pc->mem];
  snap_out *o = &pc->out;
  snap_out_begin(o, SEC_PAGES, SEC_FLAG_REQUIRED,
                 4 + snap_memory_record_size(pc->version, pc->nbatch));
  snap_out_u32(o, pc->mem);
  snap_out_memory(o, pc->version, mem, pc->nbatch);
  for (uint32_t k = 0; k < pc->nbatch; k++) snap_out_page(o, pc->version, mem, pc->batch[k]);
  snap_out_end(o);
  pc->stats.pages_sent += pc->nbatch;
  pc->stats.round_pages += pc->nbatch;
  pc->nbatch = 0;
}

int inro_precopy_send(inro_precopy *pc, uint32_t max_pages, inro_error *err) {
  uint32_t nmems = pc->inst->module->nmems;
  int ended = 0;
  if (pc->failed) goto failed;
  for (uint32_t looked = 0; looked < max_pages && !ended;) {
    if (pc->mem >= nmems || pc->page >= pc->inst->mems[pc->mem]->pages) {
      send_batch(pc);
      pc->page = 0;
      if (++pc->mem >= nmems) { /* the round is complete */
        pc->mem = 0;
        pc->stats.rounds++;
        pc->stats.last_round_pages = pc->stats.round_pages;
        pc->stats.round_pages = 0;
        ended = 1;
      }
      continue;
    }
    if (!track(pc, pc->mem)) {
      err_set(err, INRO_ERR_NOMEM, "out of memory");
      pc->failed = 1;
      return -1;
    }
    const uint8_t *page = pc->inst->mems[pc->mem]->data + (size_t)pc->page * INRO_PAGE_SIZE;
    page_hash h = hash_page(pc->key, page);
    page_hash *sent = &pc->mems[pc->mem].sent[pc->page];
    if (!same(h, *sent)) {
      *sent = h;
      pc->batch[pc->nbatch++] = pc->page;
      if (pc->nbatch == BATCH) send_batch(pc);
    }
    pc->page++;
    looked++;
  }
  /* The pages go out now: the program may change them once we return. */
  send_batch(pc);
  if (snap_out_flush(&pc->out) == 0) {
    pc->stats.bytes_sent = pc->out.bytes;
    return ended;
  }
  pc->failed = 1;
failed:
  err_set(err, INRO_ERR_IO, "cannot write the migration stream");
  return -1;
}

void inro_precopy_get_stats(const inro_precopy *pc, inro_precopy_stats *out) {
  *out = pc->stats;
}

/* The final MEMORIES section: pages whose content is not what was sent. */
static int changed(void *env, uint32_t mem, uint64_t page, const uint8_t *data) {
  inro_precopy *pc = env;
  page_hash h = hash_page(pc->key, data);
  const pc_memory *m = &pc->mems[mem];
  page_hash sent = page < m->npages ? m->sent[page] : pc->zero;
  if (same(h, sent)) return 0;
  pc->stats.final_pages++;
  return 1;
}

int inro_precopy_finish(inro_precopy *pc, inro_frame *view,
                        const inro_snapshot_section *extra, size_t nextra,
                        inro_error *err) {
  inro_error_clear(err);
  if (pc->failed) {
    err_set(err, INRO_ERR_IO, "cannot write the migration stream");
    return 0;
  }
  if (view->store->frames[view->index].func->inst != pc->inst) {
    err_set(err, INRO_ERR_ARG, "the probe is not in the migrating instance");
    return 0;
  }
  pc->stats.final_pages = 0;
  int ok = snap_write_state(&pc->out, view, SNAP_MODULE_SENT, pc->version, changed, pc,
                            extra, nextra, err);
  pc->stats.pages_sent += pc->stats.final_pages;
  pc->stats.bytes_sent = pc->out.bytes;
  if (!ok) pc->failed = 1;
  return ok;
}

void inro_precopy_free(inro_precopy *pc) {
  if (!pc) return;
  for (uint32_t i = 0; pc->mems && i < pc->inst->module->nmems; i++) free(pc->mems[i].sent);
  free(pc->mems);
  free(pc);
}
