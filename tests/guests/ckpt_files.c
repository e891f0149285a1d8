/* ckpt_files.c -- a guest that reads one file and writes two while it
** runs, for checkpoint tests: the descriptors' offsets must survive. */
#include <stdio.h>
#include <string.h>

int main(void) {
  FILE *in = fopen("/sandbox/input.txt", "r");
  FILE *out = fopen("/sandbox/upper.txt", "w");
  FILE *log = fopen("/sandbox/log.txt", "a");
  if (!in || !out || !log) { perror("open"); return 1; }
  char line[256];
  int n = 0;
  while (fgets(line, sizeof line, in)) {
    for (char *p = line; *p; p++) if (*p >= 'a' && *p <= 'z') *p -= 32;
    fputs(line, out);
    fflush(out);
    fprintf(log, "line %d: %zu bytes\n", ++n, strlen(line));
    fflush(log);
    unsigned h = 0;
    for (int r = 0; r < 200; r++) for (char *p = line; *p; p++) h = h * 33 + (unsigned char)*p;
    printf("%d %08x\n", n, h);
  }
  fclose(in);
  fclose(out);
  fclose(log);
  printf("copied %d lines\n", n);
  return 0;
}
