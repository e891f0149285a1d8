/*
** args.c -- prints its command line: argc, then every argument quoted.
** tests/guests.sh passes empty, spaced and non-ASCII arguments.
*/
#include <stdio.h>
#include <string.h>

int main(int argc, char **argv) {
  printf("argc=%d\n", argc);
  /* argv[0] is the module path, the same string for every runtime here. */
  printf("argv[0] ends in .wasm: %s\n",
         strlen(argv[0]) > 5 && !strcmp(argv[0] + strlen(argv[0]) - 5, ".wasm")
             ? "yes" : "no");
  for (int i = 1; i < argc; i++) printf("argv[%d]=\"%s\"\n", i, argv[i]);
  return 0;
}
