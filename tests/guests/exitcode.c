/*
** exitcode.c -- ends with the status named by argv[1]: through exit()
** (proc_exit), or with "return N" through a return from main.
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(int argc, char **argv) {
  if (argc < 2) return 0;
  printf("exiting with %s\n", argv[argc - 1]);
  fflush(stdout);
  int code = atoi(argv[argc - 1]);
  if (argc > 2 && !strcmp(argv[1], "return")) return code;
  exit(code);
}
