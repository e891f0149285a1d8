// cxx_eh.cpp -- C++ exceptions (clang -fwasm-exceptions: Wasm's legacy
// try, catch, rethrow): a throw caught by type, by base class and by
// catch (...), a rethrow, destructors run while unwinding, exceptions
// that cross several frames and a call through a function pointer, and
// many throws in a loop.  Its output is compared with node's
// (tests/guests.sh); the runtime it links is tests/guests/cxx_eh_runtime.cpp.
#include <cstdio>
#include <stdexcept>

namespace {

struct Tracker {
  const char *name;
  explicit Tracker(const char *n) : name(n) {}
  ~Tracker() { std::printf("  ~%s\n", name); }
};

struct Failure : std::runtime_error {
  int code;
  Failure(const char *what, int c) : std::runtime_error(what), code(c) {}
};

__attribute__((noinline)) int deepest(int x) {
  Tracker t("deepest");
  if (x > 2) throw Failure("too big", x);
  return x;
}

__attribute__((noinline)) int middle(int x) {
  Tracker t("middle");
  return deepest(x + 1) * 2;
}

__attribute__((noinline)) int outer(int x) {
  Tracker t("outer");
  return middle(x + 1) + 1;
}

__attribute__((noinline)) void throw_int(int v) { throw v; }

__attribute__((noinline)) int maybe(int i) {
  if (i % 7 == 0) throw Failure("multiple of seven", i);
  if (i % 11 == 0) throw i;
  return i;
}

int (*volatile through_pointer)(int) = maybe;

}  // namespace

int main() {
  std::printf("1. an int:\n");
  try {
    throw_int(42);
  } catch (int v) {
    std::printf("  caught int %d\n", v);
  }

  std::printf("2. through three frames, caught by base class:\n");
  try {
    std::printf("  returned %d\n", outer(0));
    std::printf("  returned %d\n", outer(1));
  } catch (const std::exception &e) {
    std::printf("  caught std::exception: %s\n", e.what());
  }

  std::printf("3. rethrown to an outer handler:\n");
  try {
    try {
      Tracker t("inner try");
      outer(5);
    } catch (...) {
      std::printf("  catch (...), rethrowing\n");
      throw;
    }
  } catch (const Failure &f) {
    std::printf("  caught Failure %d: %s\n", f.code, f.what());
  }

  std::printf("4. many throws through a function pointer:\n");
  long sum = 0, sevens = 0, elevens = 0;
  for (int i = 1; i <= 2000; i++) {
    try {
      sum += through_pointer(i);
    } catch (const Failure &f) {
      sevens++;
      sum -= f.code;
    } catch (int v) {
      elevens++;
      sum += 2 * v;
    }
  }
  std::printf("  sum %ld, %ld sevens, %ld elevens\n", sum, sevens, elevens);

  std::printf("5. a handler that does not match lets it through:\n");
  try {
    try {
      throw_int(7);
    } catch (const std::exception &) {
      std::printf("  wrong handler\n");
    }
  } catch (int v) {
    std::printf("  caught int %d further out\n", v);
  }
  return 0;
}
