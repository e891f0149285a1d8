/*
** migrate.c -- the sending side of live migration (see migrate.h).
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/checkpoint.h"
#include "cli/cli.h"
#include "cli/migrate.h"

/* The guest runs GAP_MS between slices of at most SLICE_MS of pre-copy
** work: while there is much to send the guest keeps a ninth of its pace,
** so that the whole migration takes little longer than a plain copy. */
#define SLICE_MS 8.0
#define GAP_MS 1.0
/* Safe points between looks at the clock (a look costs about as much as
** a safe point). */
#define CLOCK_EVERY 64
/* Pages hashed per call into the library between looks at the clock. */
#define STEP_PAGES 32
/* A round that sent at most this many pages ends the pre-copy: the rest
** goes out during the stop. */
#define SMALL_ROUND 16
/* How long the source waits for the receiver's answer after the last
** byte (the receiver still has to set the program up). */
#define ANSWER_MS 60000

struct migration {
  char *target;
  cli_stream st;
  int own_fd, two_way;
  uint32_t max_rounds;
  int timing;
  inro_precopy *pc;
  unsigned calls;
  double next_work, began;
  uint64_t prev_round;
};

migration *migrate_new(const char *target, plat_fd stream, uint32_t max_rounds,
                       int timing) {
  migration *m = calloc(1, sizeof *m);
  if (!m || !(m->target = malloc(strlen(target) + 1))) {
    free(m);
    return NULL;
  }
  strcpy(m->target, target);
  m->st.fd = stream;
  m->max_rounds = max_rounds;
  m->timing = timing;
  return m;
}

void migrate_free(migration *m) {
  if (!m) return;
  inro_precopy_free(m->pc);
  if (m->own_fd && m->st.fd != PLAT_NO_FD) plat_close(m->st.fd);
  free(m->target);
  free(m);
}

static void give_up(migration *m, const char *why) {
  cli_error("migration to %s failed: %s; the program goes on here", m->target, why);
  inro_precopy_free(m->pc);
  m->pc = NULL;
  if (m->own_fd && m->st.fd != PLAT_NO_FD) plat_close(m->st.fd);
  m->own_fd = 0;
  m->st.fd = PLAT_NO_FD;
}

/* Why the stream failed. */
static const char *stream_error(migration *m, const inro_error *err) {
  return m->st.err ? plat_strerror(m->st.err) : err->message;
}

int migrate_begin(migration *m, inro_instance *inst, int include_module) {
  char why[200];
  m->began = cli_clock_ms(CLI_CLOCK_MONO);
  if (strcmp(m->target, "-")) {
    char host[256], port[8];
    if (cli_host_port(m->target, host, sizeof host, port, sizeof port) != 0 || !host[0]) {
      give_up(m, "want HOST:PORT, PORT from 0 to 65535");
      return 0;
    }
    int rc = plat_tcp_connect(host, port, &m->st.fd, why, sizeof why);
    if (rc) {
      give_up(m, why);
      return 0;
    }
    m->own_fd = m->two_way = 1;
  }
  plat_ignore_sigpipe();
  inro_error err;
  m->pc = inro_precopy_start(inst, include_module, cli_stream_write, &m->st, &err);
  if (!m->pc) {
    give_up(m, stream_error(m, &err));
    return 0;
  }
  m->next_work = cli_clock_ms(CLI_CLOCK_MONO);
  return 1;
}

/* After a round: is the rest small enough to send during the stop? */
static int round_says_stop(migration *m) {
  inro_precopy_stats s;
  inro_precopy_get_stats(m->pc, &s);
  int stop = s.rounds >= m->max_rounds || s.last_round_pages <= SMALL_ROUND ||
             (s.rounds >= 2 && s.last_round_pages >= m->prev_round);
  m->prev_round = s.last_round_pages;
  return stop;
}

int migrate_tick(migration *m, int waiting) {
  if (!m->pc) return -1;
  if (m->max_rounds == 0) return 1;
  if (!waiting && ++m->calls % CLOCK_EVERY) return 0;
  double now = cli_clock_ms(CLI_CLOCK_MONO);
  if (now < m->next_work) return 0;
  double until = now + SLICE_MS;
  inro_error err;
  do {
    int r = inro_precopy_send(m->pc, STEP_PAGES, &err);
    if (r < 0) {
      give_up(m, stream_error(m, &err));
      return -1;
    }
    if (r == 1 && round_says_stop(m)) return 1;
    now = cli_clock_ms(CLI_CLOCK_MONO);
  } while (now < until);
  m->next_work = now + GAP_MS;
  return 0;
}

/* The receiver's answer: 1 OK, 0 NO, -1 none. */
static int answer(migration *m) {
  char buf[MIGRATE_ACK_LEN];
  size_t have = 0;
  while (have < sizeof buf) {
    plat_pollfd p = {m->st.fd, PLAT_POLL_READ, 0};
    size_t got = 0;
    if (plat_poll(&p, 1, (int64_t)ANSWER_MS * 1000000) != 0 || !p.got) return -1;
    if (plat_read_some(m->st.fd, buf + have, sizeof buf - have, &got) != 0 || got == 0)
      return -1;
    have += got;
  }
  if (!memcmp(buf, MIGRATE_ACK_OK, MIGRATE_ACK_LEN)) return 1;
  return memcmp(buf, MIGRATE_ACK_NO, MIGRATE_ACK_LEN) ? -1 : 0;
}

int migrate_finish(migration *m, inro_frame *f,
                   const inro_snapshot_section *extra, size_t nextra) {
  double stop = cli_clock_ms(CLI_CLOCK_MONO), cpu = cli_clock_ms(CLI_CLOCK_CPU);
  uint64_t wall = 0;
  plat_clock_time(0, &wall);
  uint8_t stamp[8];
  for (int i = 0; i < 8; i++) stamp[i] = (uint8_t)(wall >> (8 * i));
  inro_snapshot_section *all = malloc((nextra + 1) * sizeof *all);
  if (!all) {
    give_up(m, "out of memory");
    return MIG_NOT_SENT;
  }
  if (nextra) memcpy(all, extra, nextra * sizeof *all);
  all[nextra] = (inro_snapshot_section){CKPT_SEC_MIGRATION, stamp, sizeof stamp};
  inro_error err;
  int ok = inro_precopy_finish(m->pc, f, all, nextra + 1, &err);
  free(all);
  if (!ok) { /* the last byte was not written: the target cannot resume */
    give_up(m, stream_error(m, &err));
    return MIG_NOT_SENT;
  }
  double sent = cli_clock_ms(CLI_CLOCK_MONO);
  cpu = cli_clock_ms(CLI_CLOCK_CPU) - cpu;
  int said = m->two_way ? answer(m) : 1;
  if (m->timing) {
    inro_precopy_stats s;
    inro_precopy_get_stats(m->pc, &s);
    ckpt_timing("migration: %u rounds, %.1f MiB sent (%llu pages, %llu in the stop), "
                "%.1f ms in all, %.1f ms stopped until the last byte was sent "
                "(%.1f ms of CPU time)",
                s.rounds, (double)s.bytes_sent / 1048576, (unsigned long long)s.pages_sent,
                (unsigned long long)s.final_pages, sent - m->began, sent - stop, cpu);
  }
  if (said == 0) {
    give_up(m, "the target refused to resume it");
    return MIG_NOT_SENT;
  }
  return said > 0 ? MIG_HANDED_OVER : MIG_UNKNOWN;
}
