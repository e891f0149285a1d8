// cxx_eh_runtime.cpp -- the C++ exception runtime that Debian's wasm32
// libc++abi (libc++abi-19-dev-wasm32) leaves out: it is built without
// exceptions, so it has no __cxa_throw, __cxa_begin_catch, ... and there
// is no libunwind for wasm32 with _Unwind_CallPersonality and
// __wasm_lpad_context.  This file provides those, as clang's
// -fwasm-exceptions code calls them, for the guest tests/guests/cxx_eh.cpp:
//
//  * __cxa_throw throws the Wasm exception of the C++ tag (tag 0,
//    __cpp_exception) with the address of the exception's header;
//  * a landing pad stores its index and its function's LSDA (the exception
//    table clang emits) in __wasm_lpad_context and calls
//    _Unwind_CallPersonality, which finds the landing pad's entry in the
//    call-site table, walks its action records and sets the selector to
//    the type index of the first catch clause that matches (the type_info
//    objects of libc++abi decide that: can_catch, which also adjusts the
//    pointer to a base class);
//  * __cxa_begin_catch / __cxa_end_catch / __cxa_rethrow keep the stack of
//    caught exceptions and free each when its last handler ends.
//
// Written from the Itanium C++ ABI's exception handling chapter and the
// LSDA layout (GCC's except tables), for one thread.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <exception>
#include <typeinfo>

namespace __cxxabiv1 {
// The one virtual function of libc++abi's type_info classes that catching
// needs, in its vtable place (after the destructors and two others).
class __shim_type_info : public std::type_info {
 public:
  ~__shim_type_info() override;
  virtual void noop1() const;
  virtual void noop2() const;
  virtual bool can_catch(const __shim_type_info *thrown, void *&adjusted) const = 0;
};
}  // namespace __cxxabiv1

using __cxxabiv1::__shim_type_info;

namespace {

struct unwind_header {
  uint64_t exception_class;
  void (*cleanup)(int, unwind_header *);
};

// Before each thrown object; the object starts at the next 16 bytes.
// Destructors return `this` in the WebAssembly C++ ABI.
using destructor = void *(*)(void *);

struct header {
  std::type_info *type;
  destructor dtor;
  void *adjusted;     // the object as the matching catch clause sees it
  int handlers;       // catch blocks running it; negative: rethrown
  header *next;       // the stack of caught exceptions
  unwind_header unwind;
};

constexpr size_t header_size = (sizeof(header) + 15) & ~size_t{15};
header *caught;

header *from_unwind(void *u) {
  return reinterpret_cast<header *>(static_cast<char *>(u) - offsetof(header, unwind));
}
void *object_of(header *h) { return reinterpret_cast<char *>(h) + header_size; }
header *header_of(void *obj) {
  return reinterpret_cast<header *>(static_cast<char *>(obj) - header_size);
}

uintptr_t read_uleb(const uint8_t **p) {
  uintptr_t v = 0;
  unsigned shift = 0;
  uint8_t b;
  do {
    b = *(*p)++;
    v |= uintptr_t(b & 0x7F) << shift;
    shift += 7;
  } while (b & 0x80);
  return v;
}

intptr_t read_sleb(const uint8_t **p) {
  uintptr_t v = 0;
  unsigned shift = 0;
  uint8_t b;
  do {
    b = *(*p)++;
    v |= uintptr_t(b & 0x7F) << shift;
    shift += 7;
  } while (b & 0x80);
  if (shift < 8 * sizeof v && (b & 0x40)) v |= ~uintptr_t{0} << shift;
  return static_cast<intptr_t>(v);
}

// A type_info pointer of the type table: entry `index` counting back from
// its end, 4 bytes each on wasm32 (absolute or udata4 encoding).
const __shim_type_info *type_at(const uint8_t *types_end, intptr_t index) {
  const uint8_t *p = types_end - index * 4;
  uintptr_t v = uintptr_t(p[0]) | uintptr_t(p[1]) << 8 | uintptr_t(p[2]) << 16 |
                uintptr_t(p[3]) << 24;
  return reinterpret_cast<const __shim_type_info *>(v);
}

bool catches(const __shim_type_info *catch_type, header *h, void **adjusted) {
  void *p = object_of(h);
  if (!catch_type || catch_type->can_catch(static_cast<const __shim_type_info *>(h->type), p)) {
    *adjusted = p;
    return true;
  }
  return false;
}

}  // namespace

extern "C" {

// What a landing pad tells the personality, and what it answers.
struct {
  uintptr_t lpad_index;
  const uint8_t *lsda;
  uintptr_t selector;
} __wasm_lpad_context;

enum { URC_HANDLER_FOUND = 6, URC_CONTINUE_UNWIND = 8 };

void *__cxa_allocate_exception(size_t size) noexcept {
  void *p = calloc(1, header_size + size);
  if (!p) std::terminate();
  return static_cast<char *>(p) + header_size;
}

void __cxa_free_exception(void *obj) noexcept { free(header_of(obj)); }

[[noreturn]] void __cxa_throw(void *obj, std::type_info *type, destructor dtor) {
  header *h = header_of(obj);
  h->type = type;
  h->dtor = dtor;
  h->unwind.exception_class = 0x434C4E47432B2B00ull;  // "CLNGC++\0"
  __builtin_wasm_throw(0, &h->unwind);
}

int _Unwind_CallPersonality(void *exn) {
  header *h = from_unwind(exn);
  const uint8_t *p = __wasm_lpad_context.lsda;
  __wasm_lpad_context.selector = 0;
  if (!p) return URC_CONTINUE_UNWIND;
  if (*p++ != 0xFF) read_uleb(&p);  // landing pad base: unused in Wasm
  const uint8_t *types_end = nullptr;
  if (*p++ != 0xFF) {
    uintptr_t off = read_uleb(&p);
    types_end = p + off;
  }
  p++;  // call-site encoding: entries are ULEB128s in Wasm
  uintptr_t table_len = read_uleb(&p);
  const uint8_t *actions = p + table_len;
  // Entry lpad_index of the call-site table: (landing pad, action + 1).
  uintptr_t action = 0;
  for (uintptr_t i = 0; i <= __wasm_lpad_context.lpad_index && p < actions; i++) {
    read_uleb(&p);
    action = read_uleb(&p);
  }
  if (action == 0) return URC_CONTINUE_UNWIND;  // cleanups only
  const uint8_t *rec = actions + (action - 1);
  for (;;) {
    intptr_t type_index = read_sleb(&rec);
    const uint8_t *next_at = rec;
    intptr_t next = read_sleb(&rec);
    if (type_index > 0 && catches(type_at(types_end, type_index), h, &h->adjusted)) {
      __wasm_lpad_context.selector = uintptr_t(type_index);
      return URC_HANDLER_FOUND;
    }
    if (type_index < 0) {  // an exception specification: it catches what none of its types do
      const uint8_t *spec = types_end - type_index - 1;
      bool listed = false;
      for (uintptr_t t; (t = read_uleb(&spec)) != 0;) {
        void *ignored;
        listed = listed || catches(type_at(types_end, intptr_t(t)), h, &ignored);
      }
      if (!listed) {
        h->adjusted = object_of(h);
        __wasm_lpad_context.selector = uintptr_t(type_index);
        return URC_HANDLER_FOUND;
      }
    }
    if (next == 0) return URC_CONTINUE_UNWIND;
    rec = next_at + next;
  }
}

void *__cxa_begin_catch(void *exn) noexcept {
  header *h = from_unwind(exn);
  h->handlers = (h->handlers < 0 ? -h->handlers : h->handlers) + 1;
  if (h != caught) {
    h->next = caught;
    caught = h;
  }
  return h->adjusted ? h->adjusted : object_of(h);
}

void __cxa_end_catch() {
  header *h = caught;
  if (!h) return;
  if (h->handlers < 0) {  // rethrown: still in flight, not ours to free
    if (++h->handlers == 0) caught = h->next;
    return;
  }
  if (--h->handlers == 0) {
    caught = h->next;
    if (h->dtor) h->dtor(object_of(h));
    free(h);
  }
}

[[noreturn]] void __cxa_rethrow() {
  header *h = caught;
  if (!h) std::terminate();
  h->handlers = -h->handlers;
  __builtin_wasm_throw(0, &h->unwind);
}

void *__cxa_get_exception_ptr(void *exn) noexcept {
  header *h = from_unwind(exn);
  return h->adjusted ? h->adjusted : object_of(h);
}

}  // extern "C"
