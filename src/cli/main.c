/*
** main.c -- entry point of the `inro` binary: dispatches to a subcommand.
*/
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "platform/platform.h"

typedef struct command {
  const char *name;
  int (*run)(int argc, char **argv);
  const char *summary;
} command;

static const command commands[] = {
  {"run", cli_run, "run a WASI command or invoke an export"},
  {"spec", cli_spec, "run spec-test scripts (wast2json JSON)"},
  {"validate", cli_validate, "decode and validate a module"},
  {"restore", cli_restore, "resume a run from a snapshot"},
  {"listen", cli_listen, "receive a live migration and resume it"},
  {"inspect", cli_inspect, "show what a snapshot holds"},
};
#define NCOMMANDS (sizeof commands / sizeof commands[0])

static void usage(FILE *out) {
  fprintf(out, "inro %s -- a WebAssembly runtime\n\n"
               "usage: inro COMMAND [OPTIONS] [ARGS...]\n\ncommands:\n",
          INRO_VERSION);
  for (size_t i = 0; i < NCOMMANDS; i++)
    fprintf(out, "  %-10s %s\n", commands[i].name, commands[i].summary);
  fprintf(out, "\n`inro COMMAND --help` describes a command.\n"
               "Options: --help, --version\n");
}

void cli_vline(const char *fmt, va_list ap) {
  fputs("inro: ", stderr);
  vfprintf(stderr, fmt, ap);
  fputc('\n', stderr);
}

void cli_error(const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  cli_vline(fmt, ap);
  va_end(ap);
}

uint8_t *cli_read_file(const char *path, size_t *size) {
  char why[128];
  uint8_t *bytes = plat_read_file(path, size, why, sizeof why);
  if (!bytes) cli_error("cannot read %s: %s", path, why);
  return bytes;
}

const char *cli_type_name(inro_valtype t) {
  switch (t) {
  case INRO_I32: return "i32";
  case INRO_I64: return "i64";
  case INRO_F32: return "f32";
  case INRO_F64: return "f64";
  case INRO_V128: return "v128";
  case INRO_FUNCREF: return "funcref";
  case INRO_EXNREF: return "exnref";
  case INRO_EXTERNREF: return "externref";
  }
  return "?";
}

void cli_print_trap(inro_store *store, const inro_error *err) {
  inro_frame_info frames[64];
  size_t n = inro_backtrace(store, frames, 64);
  if (err->kind == INRO_ERR_EXCEPTION) fprintf(stderr, "inro: %s\n", err->message);
  else fprintf(stderr, "inro: trap: %s\n", err->message);
  if (n == 0) return;
  fprintf(stderr, "wasm backtrace:\n");
  for (size_t i = 0; i < n && i < 64; i++) {
    const char *name = NULL;
    if (frames[i].instance)
      name = inro_module_func_name(inro_instance_module(frames[i].instance),
                                   frames[i].func_index);
    if (name)
      fprintf(stderr, "  %2zu: 0x%06x - %s\n", i, frames[i].offset, name);
    else if (frames[i].instance)
      fprintf(stderr, "  %2zu: 0x%06x - func[%u]\n", i, frames[i].offset,
              frames[i].func_index);
    else
      fprintf(stderr, "  %2zu: <host function>\n", i);
  }
}

int cli_outcome(inro_store *store, int ok, const inro_error *err,
                const char *what) {
  if (ok) return 0;
  switch (err->kind) {
  case INRO_ERR_EXIT: return err->exit_code;
  case INRO_ERR_TRAP:
  case INRO_ERR_EXCEPTION: /* a Wasm exception nobody caught: as a trap */
    fflush(stdout);
    cli_print_trap(store, err);
    return 134;
  default: cli_error("%s: %s", what, err->message); return 1;
  }
}

#ifdef INRO_IR_STATS
#include "exec/irstats.h"
#endif

int main(int argc, char **argv) {
  plat_start();
#ifdef INRO_IR_STATS
  atexit(ir_stats_save);
#endif
  if (argc < 2) {
    usage(stderr);
    return 2;
  }
  if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") ||
      !strcmp(argv[1], "help")) {
    usage(stdout);
    return 0;
  }
  if (!strcmp(argv[1], "--version") || !strcmp(argv[1], "-V")) {
    printf("inro %s\n", INRO_VERSION);
    return 0;
  }
  for (size_t i = 0; i < NCOMMANDS; i++)
    if (!strcmp(argv[1], commands[i].name))
      return commands[i].run(argc - 1, argv + 1);
  cli_error("unknown command '%s' (try: inro --help)", argv[1]);
  return 2;
}
