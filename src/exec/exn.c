/*
** exn.c -- exceptions: allocation, collection and unwinding.
**
** An exception (struct inro_exn) holds its tag and the values thrown with
** it.  exnref values point at them, anywhere a value can be: frames,
** globals, tables, other exceptions.  The store owns them all; when many
** were made since the last collection, the next allocation first frees
** those nothing reaches any more.  Frame slots carry no types, so the
** value stack is scanned conservatively (a slot that equals the address
** of an exception keeps it); globals, tables, the values inside
** exceptions and those a snapshot restore made for frames not yet built
** are typed and scanned exactly.
**
** Unwinding: a translation lists its try bodies (code->handlers: IR
** ranges, innermost nested inside outer ones) with their catch clauses
** (code->catches), and for each the handler to try next: the enclosing
** one, or for a legacy `delegate` the one its label names.  A throw looks
** for a clause that catches the exception in the top frame's innermost
** handler around the throwing instruction, then the next ones, then in
** each caller around its call, up to the host's entry.  The catching
** clause puts the exception's values (and the exnref, for catch_ref and a
** legacy catch body) in their slots and gives the IR target to go on at,
** a label: an exact position (exec/ir.h).
*/
#include <stdlib.h>
#include <string.h>

#include "exec/runtime.h"

#define MIN_COLLECT 1024u  /* exceptions before the first collection */

void exn_free_all(inro_store *s) {
  for (inro_exn *e = s->exns, *next; e; e = next) {
    next = e->next;
    free(e);
  }
  s->exns = NULL;
  s->nexns = 0;
}

/* ---------------------------------------------------------- collection */

typedef struct exn_set {
  inro_exn **slots; /* open addressing, power of two */
  size_t mask;
  inro_exn **work;  /* marked, their values not yet scanned */
  size_t nwork;
} exn_set;

static size_t hash_ptr(const void *p) {
  uint64_t x = (uint64_t)(uintptr_t)p;
  return (size_t)((x * 0x9E3779B97F4A7C15ull) >> 17);
}

/* The exception at address v, if v is one. */
static inro_exn *lookup(const exn_set *set, slot v) {
  if (!v) return NULL;
  for (size_t h = hash_ptr((const void *)(uintptr_t)v) & set->mask;; h = (h + 1) & set->mask) {
    inro_exn *e = set->slots[h];
    if (!e) return NULL;
    if ((slot)(uintptr_t)e == v) return e;
  }
}

static void mark(exn_set *set, slot v) {
  inro_exn *e = lookup(set, v);
  if (!e || e->mark) return;
  e->mark = 1;
  set->work[set->nwork++] = e;
}

static void mark_range(exn_set *set, const slot *from, const slot *to) {
  for (const slot *p = from; p < to; p++) mark(set, *p);
}

static void collect(inro_store *s) {
  size_t n = s->nexns, cap = 16;
  while (cap < 2 * n) cap *= 2;
  exn_set set = {calloc(cap, sizeof *set.slots), cap - 1, malloc((n + 1) * sizeof *set.work), 0};
  if (!set.slots || !set.work) { /* no memory to collect: keep them all */
    free(set.slots);
    free(set.work);
    s->exn_limit = 2 * s->nexns;
    return;
  }
  for (inro_exn *e = s->exns; e; e = e->next) {
    e->mark = 0;
    size_t h = hash_ptr(e) & set.mask;
    while (set.slots[h]) h = (h + 1) & set.mask;
    set.slots[h] = e;
  }
  /* Roots: the exception being thrown, every frame's slots (from the
  ** stack's start to the end of the deepest frame), exnref globals and
  ** tables. */
  if (s->thrown) mark(&set, (slot)(uintptr_t)s->thrown);
  const slot *top = s->sp_top;
  for (size_t i = 0; i < s->nframes; i++) {
    const frame *f = &s->frames[i];
    if (f->func && f->func->code && f->fp + f->func->code->frame_slots > top)
      top = f->fp + f->func->code->frame_slots;
  }
  if (top > s->stack_end) top = s->stack_end;
  mark_range(&set, s->stack, top);
  for (size_t i = 0; i < s->nobjects; i++) {
    const owned *o = &s->objects[i];
    if (o->kind == OWN_GLOBAL && ((inro_global *)o->ptr)->type == INRO_EXNREF)
      mark(&set, ((inro_global *)o->ptr)->value);
    if (o->kind == OWN_TABLE && ((inro_table *)o->ptr)->elem_type == INRO_EXNREF) {
      const inro_table *t = o->ptr;
      mark_range(&set, t->elems, t->elems + t->size);
    }
    if (o->kind == OWN_INSTANCE) {
      const inro_instance *inst = o->ptr;
      for (uint32_t k = 0; k < inst->nrestored_exns; k++)
        mark(&set, (slot)(uintptr_t)inst->restored_exns[k]);
    }
  }
  while (set.nwork) { /* what the marked ones hold */
    const inro_exn *e = set.work[--set.nwork];
    const uint8_t *classes = e->tag->type->classes;
    for (uint32_t k = 0, at = 0; k < e->nvals; at += ir_type_slots(classes[k++]))
      if (classes[k] == INRO_EXNREF) mark(&set, e->vals[at]);
  }
  inro_exn **link = &s->exns;
  while (*link) {
    inro_exn *e = *link;
    if (e->mark) {
      link = &e->next;
    } else {
      *link = e->next;
      free(e);
      s->nexns--;
    }
  }
  free(set.slots);
  free(set.work);
  s->exn_limit = 2 * s->nexns > MIN_COLLECT ? 2 * s->nexns : MIN_COLLECT;
}

inro_exn *exn_new(inro_store *s, inro_tag *tag) {
  if (s->nexns >= s->exn_limit) {
    if (s->exn_limit) collect(s);
    else s->exn_limit = MIN_COLLECT;
  }
  uint32_t n = tag->type->param_slots;
  inro_exn *e = malloc(sizeof *e + (n ? n : 1) * sizeof(slot));
  if (!e) return NULL;
  e->tag = tag;
  e->nvals = tag->type->nparams;
  e->nslots = n;
  e->mark = 0;
  e->next = s->exns;
  s->exns = e;
  s->nexns++;
  return e;
}

/* ------------------------------------------------------------ unwinding */

/* The clause of code c that catches exception e thrown at IR word `at`
** in frame f, which it then lands: the target, or NULL. */
static const uint32_t *catch_in(const frame *f, const code *c, uint32_t at, inro_exn *e) {
  uint32_t h = UINT32_MAX;
  for (uint32_t i = c->nhandlers; i-- > 0;) { /* innermost: the latest start */
    const uint32_t *r = c->handlers + CODE_HANDLER * i;
    if (r[0] <= at && at < r[1]) {
      h = i;
      break;
    }
  }
  const inro_instance *inst = f->func->inst;
  for (uint32_t steps = 0; h != UINT32_MAX && steps <= c->nhandlers; steps++) {
    const uint32_t *r = c->handlers + CODE_HANDLER * h;
    for (uint32_t k = 0; k < r[3]; k++) {
      const uint32_t *cl = c->catches + CODE_CATCH * (r[2] + k);
      if (cl[0] != UINT32_MAX && inst->tags[cl[0]] != e->tag) continue;
      if (cl[0] != UINT32_MAX && e->nslots)
        memcpy((uint8_t *)f->fp + cl[2], e->vals, e->nslots * sizeof(slot));
      if (cl[3] != UINT32_MAX) *(slot *)((uint8_t *)f->fp + cl[3]) = (slot)(uintptr_t)e;
      return c->words + cl[1];
    }
    h = r[4];
  }
  return NULL;
}

const uint32_t *exn_unwind(inro_store *s, uint32_t at, inro_error *err) {
  inro_exn *e = s->thrown;
  for (size_t i = s->nframes; i-- > 0;) {
    frame *f = &s->frames[i];
    if (!f->func) break; /* the host's entry */
    const code *c = f->func->code;
    if (i + 1 < s->nframes) at = (uint32_t)(f->pc - c->words) - 1; /* its call */
    const uint32_t *target = c->nhandlers ? catch_in(f, c, at, e) : NULL;
    if (target) {
      s->nframes = i + 1;
      f->at_probe = 0;
      if (!probe_fire_catch(s, f, target, err)) {
        interp_unwind(s);
        return NULL;
      }
      return f->pc;
    }
  }
  interp_unwind(s); /* a backtrace to where it was thrown */
  err_set(err, INRO_ERR_EXCEPTION, "uncaught exception");
  return NULL;
}
