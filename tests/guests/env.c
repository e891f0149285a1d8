/*
** env.c -- prints its environment, sorted, and looks some names up.
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

extern char **environ;

static int by_name(const void *a, const void *b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

int main(void) {
  size_t n = 0;
  while (environ[n]) n++;
  char **sorted = malloc((n + 1) * sizeof *sorted);
  memcpy(sorted, environ, n * sizeof *sorted);
  qsort(sorted, n, sizeof *sorted, by_name);
  printf("%zu variables\n", n);
  for (size_t i = 0; i < n; i++) printf("%s\n", sorted[i]);
  const char *names[] = {"GREETING", "EMPTY", "NOT_SET"};
  for (size_t i = 0; i < 3; i++) {
    const char *v = getenv(names[i]);
    printf("getenv(%s) = %s%s%s\n", names[i], v ? "\"" : "", v ? v : "NULL",
           v ? "\"" : "");
  }
  free(sorted);
  return 0;
}
