/*
** stdin.c -- reads all of stdin, reports bytes, lines and a checksum, and
** echoes the first lines upper-cased.
*/
#include <ctype.h>
#include <stdio.h>

int main(void) {
  char line[256];
  unsigned long bytes = 0, lines = 0, sum = 0;
  while (fgets(line, sizeof line, stdin)) {
    for (char *p = line; *p; p++) {
      bytes++;
      sum = sum * 31 + (unsigned char)*p;
      if (*p == '\n') lines++;
    }
    if (lines <= 3) {
      for (char *p = line; *p; p++) *p = (char)toupper((unsigned char)*p);
      fputs(line, stdout);
    }
  }
  printf("%lu bytes, %lu lines, checksum %lu, eof=%d error=%d\n", bytes,
         lines, sum, feof(stdin) != 0, ferror(stdin) != 0);
  return 0;
}
