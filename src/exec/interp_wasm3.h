/*
** interp_wasm3.h -- the cases of the ops of WebAssembly 3.0 beyond 2.0
** (exec/ir.h, IR_WASM3_OPS): tail calls, call_ref, typed references,
** memories other than 0 and 64-bit ones, throw.  Included by
** exec/interp.c inside its dispatch like interp_ops.h, so that in the
** Wasm build they live in the cold switches (OPS_CASE), not the main one.
** The labels they go to (do_call, do_tail_call, throw_exn) are in
** exec/interp.c.
*/
OPS_CASE(IR_RETURN_CALL) { /* [f s] */
  callee = inst->funcs[pc[1]];
  callee_fp = SLOT_PTR(pc[2]);
  pc += 3;
  goto do_tail_call;
}
OPS_CASE(IR_RETURN_CALL_INDIRECT) { /* [type table s i] */
  const functype *want = &inst->module->types[pc[1]];
  inro_table *t = inst->tables[pc[2]];
  uint64_t i = SLOT(4);
  if (i >= t->size) TRAP(INRO_TRAP_UNDEFINED_ELEM);
  callee = (inro_func *)(uintptr_t)t->elems[i];
  if (!callee) TRAP(INRO_TRAP_UNINIT_ELEM);
  if (callee->type != want && !functype_sub(callee->type, want)) TRAP(INRO_TRAP_INDIRECT_TYPE);
  callee_fp = SLOT_PTR(pc[3]);
  pc += 5;
  goto do_tail_call;
}
OPS_CASE(IR_CALL_REF) { /* [s f] */
  callee = (inro_func *)(uintptr_t)SLOT(2);
  if (!callee) TRAP(INRO_TRAP_NULL_FUNC);
  callee_fp = SLOT_PTR(pc[1]);
  pc += 3;
  goto do_call;
}
OPS_CASE(IR_RETURN_CALL_REF) { /* [s f] */
  callee = (inro_func *)(uintptr_t)SLOT(2);
  if (!callee) TRAP(INRO_TRAP_NULL_FUNC);
  callee_fp = SLOT_PTR(pc[1]);
  pc += 3;
  goto do_tail_call;
}
OPS_CASE(IR_REF_AS_NON_NULL) {
  if (!SLOT(1)) TRAP(INRO_TRAP_NULL_REF);
  NEXT_AT(2);
}
OPS_CASE(IR_BR_ON_NULL) { /* [t c n s d] */
  if (!SLOT(2)) {
    slots_move(SLOT_PTR(pc[5]), SLOT_PTR(pc[4]), pc[3]);
    JUMP(pc[1]);
  }
  NEXT_AT(6);
}
OPS_CASE(IR_BR_ON_NON_NULL) { /* [t c n s d] */
  if (SLOT(2)) {
    slots_move(SLOT_PTR(pc[5]), SLOT_PTR(pc[4]), pc[3]);
    JUMP(pc[1]);
  }
  NEXT_AT(6);
}
OPS_CASE(IR_LOAD_M) { /* [d a mem off off op] */
  const inro_memory *m = inst->mems[pc[3]];
  unsigned op = pc[6], n = memop_width(op);
  uint64_t a = SLOT(2), ea = a + K64_AT(4);
  if (ea < a || ea > m->size || m->size - ea < n) TRAP(INRO_TRAP_MEMORY_OOB);
  r = memop_load(op, m->data + ea);
  SLOT(1) = r;
  NEXT_AT(7);
}
OPS_CASE(IR_STORE_M) { /* [a v mem off off op] */
  inro_memory *m = inst->mems[pc[3]];
  unsigned n = memop_width(pc[6]);
  uint64_t a = SLOT(1), ea = a + K64_AT(4);
  if (ea < a || ea > m->size || m->size - ea < n) TRAP(INRO_TRAP_MEMORY_OOB);
  mem_store(m->data + ea, SLOT(2), n);
  NEXT_AT(7);
}
OPS_CASE(IR_MEMORY_SIZE_M) { /* [d mem] */
  SLOT(1) = inst->mems[pc[2]]->pages;
  NEXT_AT(3);
}
OPS_CASE(IR_MEMORY_GROW_M) { /* [d delta mem] */
  inro_memory *m = inst->mems[pc[3]];
  int64_t old = memory_grow(m, SLOT(2));
  SLOT(1) = old >= 0 ? (slot)old : m->lim.is64 ? UINT64_MAX : 0xFFFFFFFFu;
  RELOAD_MEMORY();
  NEXT_AT(4);
}
OPS_CASE(IR_MEMORY_FILL_M) { /* [d v n mem] */
  inro_memory *m = inst->mems[pc[4]];
  uint64_t d = SLOT(1), n = SLOT(3);
  if (d > m->size || n > m->size - d) TRAP(INRO_TRAP_MEMORY_OOB);
  if (n) memset(m->data + d, (uint8_t)SLOT(2), (size_t)n);
  NEXT_AT(5);
}
OPS_CASE(IR_MEMORY_COPY_M) { /* [d s n dmem smem] */
  inro_memory *dm = inst->mems[pc[4]], *sm = inst->mems[pc[5]];
  uint64_t d = SLOT(1), src = SLOT(2), n = SLOT(3);
  if (d > dm->size || n > dm->size - d || src > sm->size || n > sm->size - src)
    TRAP(INRO_TRAP_MEMORY_OOB);
  if (n) memmove(dm->data + d, sm->data + src, (size_t)n);
  NEXT_AT(6);
}
OPS_CASE(IR_MEMORY_INIT_M) { /* [d s n seg mem] */
  inro_memory *m = inst->mems[pc[5]];
  uint32_t seg = pc[4];
  uint64_t d = SLOT(1), src = SLOT(2), n = SLOT(3);
  if (src > inst->data_sizes[seg] || n > inst->data_sizes[seg] - src || d > m->size ||
      n > m->size - d)
    TRAP(INRO_TRAP_MEMORY_OOB);
  if (n) memcpy(m->data + d, inst->module->datas[seg].bytes + src, (size_t)n);
  NEXT_AT(6);
}
OPS_CASE(IR_THROW) { /* [tag s] */
  inro_exn *e = exn_new(s, inst->tags[pc[1]]);
  if (!e) {
    f->pc = pc + 1;
    err_set(err, INRO_ERR_NOMEM, "out of memory (throw)");
    goto failed;
  }
  if (e->nslots) memcpy(e->vals, SLOT_PTR(pc[2]), e->nslots * sizeof(slot));
  s->thrown = e;
  f->pc = pc + 1;
  goto throw_exn;
}
OPS_CASE(IR_THROW_REF) { /* [s] */
  inro_exn *e = (inro_exn *)(uintptr_t)SLOT(1);
  if (!e) TRAP(INRO_TRAP_NULL_EXN);
  s->thrown = e;
  f->pc = pc + 1;
  goto throw_exn;
}
