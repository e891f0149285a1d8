/*
** irstats.h -- counts of the IR ops run, in a build with INRO_IR_STATS
** only (`make irstats`, exec/irstats.c).
*/
#ifndef INRO_EXEC_IRSTATS_H
#define INRO_EXEC_IRSTATS_H
#ifdef INRO_IR_STATS
#include "exec/ir.h"

/* How often each op, and each op after another, ran: the interpreter
** adds to these. */
extern uint64_t ir_stats_ops[IR_COUNT], ir_stats_pairs[IR_COUNT][IR_COUNT];
/* Add the counts to the file named by $INRO_IR_STATS (at exit). */
void ir_stats_save(void);

#endif
#endif
