/*
** dirs.c -- directories: mkdir, readdir (sorted: hosts differ in order and
** in whether "." and ".." show), a listing long enough to need several
** fd_readdir calls, rmdir of a full directory, rename, chdir and relative
** paths, symlinks and readlink.  Expects --dir SANDBOX::/sandbox.
*/
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static long show(const char *what, long rc) {
  if (rc < 0) printf("%s = %ld (%s)\n", what, rc, strerror(errno));
  else printf("%s = %ld\n", what, rc);
  return rc;
}
#define SHOW(expr) show(#expr, (long)(expr))

static int by_name(const void *a, const void *b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Sorted names (without . and ..) and their types; returns the count. */
static int list(const char *path, int print) {
  DIR *d = opendir(path);
  if (!d) {
    printf("opendir %s: %s\n", path, strerror(errno));
    return -1;
  }
  char **names = NULL;
  int n = 0;
  for (struct dirent *e; (e = readdir(d));) {
    if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, "..")) continue;
    char *s = malloc(strlen(e->d_name) + 3);
    sprintf(s, "%s %c", e->d_name,
            e->d_type == DT_DIR ? 'd' : e->d_type == DT_REG ? 'f'
            : e->d_type == DT_LNK ? 'l' : '?');
    names = realloc(names, (size_t)(n + 1) * sizeof *names);
    names[n++] = s;
  }
  closedir(d);
  qsort(names, (size_t)n, sizeof *names, by_name);
  if (print) printf("%s:", path);
  for (int i = 0; i < n; i++) {
    if (print) printf(" [%s]", names[i]);
    free(names[i]);
  }
  if (print) printf("\n");
  free(names);
  return n;
}

static void touch(const char *path, const char *text) {
  int fd = open(path, O_CREAT | O_WRONLY | O_TRUNC, 0644);
  if (write(fd, text, strlen(text)) < 0) printf("write %s failed\n", path);
  close(fd);
}

int main(void) {
  SHOW(mkdir("/sandbox/d", 0755));
  SHOW(mkdir("/sandbox/d", 0755));
  SHOW(mkdir("/sandbox/d/e/f", 0755));
  touch("/sandbox/d/x", "ex");
  touch("/sandbox/d/y", "why");
  SHOW(mkdir("/sandbox/d/sub", 0755));
  SHOW(symlink("x", "/sandbox/d/lx"));
  list("/sandbox/d", 1);

  char target[64] = {0};
  SHOW(readlink("/sandbox/d/lx", target, sizeof target - 1));
  printf("lx -> \"%s\"\n", target);
  SHOW(readlink("/sandbox/d/x", target, sizeof target - 1));
  struct stat st;
  SHOW(lstat("/sandbox/d/lx", &st));
  printf("lstat: symlink %d\n", S_ISLNK(st.st_mode));
  SHOW(stat("/sandbox/d/lx", &st));
  printf("stat: regular %d, size %lld\n", S_ISREG(st.st_mode),
         (long long)st.st_size);
  SHOW(stat("/sandbox/d/sub", &st));
  printf("sub: directory %d\n", S_ISDIR(st.st_mode));

  SHOW(rmdir("/sandbox/d"));
  SHOW(rmdir("/sandbox/d/x"));
  SHOW(unlink("/sandbox/d/sub"));
  SHOW(rename("/sandbox/d/sub", "/sandbox/d/sub2"));
  SHOW(rename("/sandbox/d/y", "/sandbox/d/sub2/y"));
  list("/sandbox/d", 1);
  list("/sandbox/d/sub2", 1);

  SHOW(chdir("/sandbox/d/sub2"));
  char cwd[128];
  printf("cwd %s\n", getcwd(cwd, sizeof cwd) ? cwd : "?");
  SHOW(access("y", F_OK));
  SHOW(access("../x", F_OK));
  SHOW(chdir("/sandbox"));

  /* Enough long names that fd_readdir must be called several times. */
  SHOW(mkdir("/sandbox/many", 0755));
  char path[256];
  for (int i = 0; i < 300; i++) {
    snprintf(path, sizeof path,
             "/sandbox/many/file-with-a-rather-long-name-to-fill-the-buffer-"
             "sooner-than-short-names-would-%03d", i);
    touch(path, "");
  }
  printf("many holds %d entries\n", list("/sandbox/many", 0));
  for (int i = 0; i < 300; i++) {
    snprintf(path, sizeof path,
             "/sandbox/many/file-with-a-rather-long-name-to-fill-the-buffer-"
             "sooner-than-short-names-would-%03d", i);
    if (unlink(path)) printf("unlink %d: %s\n", i, strerror(errno));
  }
  SHOW(rmdir("/sandbox/many"));

  SHOW(unlink("/sandbox/d/lx"));
  SHOW(unlink("/sandbox/d/x"));
  SHOW(unlink("/sandbox/d/sub2/y"));
  SHOW(rmdir("/sandbox/d/sub2"));
  SHOW(rmdir("/sandbox/d"));
  SHOW(stat("/sandbox/d", &st));
  list("/sandbox", 1);
  return 0;
}
