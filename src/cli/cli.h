/*
** cli.h -- the `inro` command line: one function per subcommand.
**
** Each command gets argv starting at its own name (argv[0] = "run", ...)
** and returns the process exit status.  Conventions shared by all commands:
**   0  success
**   1  bad input: unreadable file, malformed or invalid module, bad snapshot
**   2  usage error (unknown flag, missing argument)
**   134 the guest trapped (message "inro: trap: REASON" plus a backtrace)
** Errors are printed as one line starting with "inro: ".
*/
#ifndef INRO_CLI_H
#define INRO_CLI_H

#include <stdarg.h>

#include "inro.h"
#include "platform/platform.h"

int cli_run(int argc, char **argv);
int cli_spec(int argc, char **argv);
int cli_validate(int argc, char **argv);
int cli_restore(int argc, char **argv);
int cli_listen(int argc, char **argv);
int cli_inspect(int argc, char **argv);
/* inspect_ir.c: `inro inspect --ir`; func -1 for all. */
int cli_inspect_ir(const char *path, long func);

/* Print "inro: " + formatted message + newline on stderr. */
void cli_error(const char *fmt, ...);
void cli_vline(const char *fmt, va_list ap);

/* Read a whole module file, or print a one-line error and return NULL. */
uint8_t *cli_read_file(const char *path, size_t *size);

/* A platform handle as a snapshot stream (stream.c): inro_write_fn and
** inro_read_fn (1 success, 0 failure); err keeps the first PLAT_E*
** failure. */
typedef struct cli_stream {
  plat_fd fd;
  int err;
  plat_atomic_file *file; /* writes go through it (NULL: straight to fd) */
} cli_stream;
int cli_stream_write(void *env, const inro_iovec *iov, size_t n);
int cli_stream_read(void *env, void *buf, size_t len, size_t *got);
/* Has the stream ended (nothing more to read)?  A snapshot file must end
** with its snapshot; a pipe may go on (standard input is the guest's). */
int cli_stream_at_end(cli_stream *s);
/* Split "[HOST:]PORT" (HOST may be "[IPv6]"): 0, or -1 if PORT is not a
** number from 0 to 65535 or a part does not fit.  host "" if absent. */
int cli_host_port(const char *spec, char *host, size_t hostlen, char *port,
                  size_t portlen);

/* Milliseconds on a clock: real time (shared by processes, and by
** machines whose clocks are synchronised), monotonic, or the CPU time of
** this process. */
enum { CLI_CLOCK_REAL = 0, CLI_CLOCK_MONO = 1, CLI_CLOCK_CPU = 2 };
double cli_clock_ms(int clock);

/* Name of a value type ("i32", ..., "externref"), or "?". */
const char *cli_type_name(inro_valtype t);
/* An --invoke argument of type t from text (values.c): integers in
** decimal or 0x hex, optionally negative, within the type's range;
** floats as strtod reads them ("1.5", "inf", "nan", "0x1p-3").  0 on
** success. */
int cli_parse_value(const char *s, inro_valtype t, inro_value *v);
/* Print a result on its own line as TYPE:VALUE ("i32:42", "f64:1.5"). */
void cli_print_value(const inro_value *v);
/* v128 values as text (values.c): format as "i32x4:0x...,0x...,0x...,0x..."
** (buf of at least 64 bytes); parse "SHAPE:LANE,..." into 16 bytes: 1, or
** 0 when malformed. */
void cli_v128_format(const uint8_t *b, char *buf, size_t len);
int cli_v128_parse(const char *s, uint8_t *b);

/* Print a trap's message and Wasm backtrace as `inro run` does. */
void cli_print_trap(inro_store *store, const inro_error *err);

/* The exit status for the outcome of instantiating or running: 0, the
** guest's exit code, 134 after printing a trap, 1 after printing an
** error about `what`. */
int cli_outcome(inro_store *store, int ok, const inro_error *err,
                const char *what);

#endif
