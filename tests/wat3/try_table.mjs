// tests/wat3/try_table.mjs OUT -- write a module of WebAssembly 3.0's
// exception handling (try_table, exnref), which wabt 1.0.32 cannot
// assemble, byte by byte.  As text:
//
// (module
//   (type $t (func (param i32) (result i32)))
//   (tag $e (param i32))
//   (func $thrower (type $t)            ;; odd x: throw $e x; else x
//     (if (i32.and (local.get 0) (i32.const 1)) (then (throw $e (local.get 0))))
//     (local.get 0))
//   (func $tofn (type $t)               ;; a catch clause to the function's label
//     (try_table (catch $e 0) (drop (call $thrower (local.get 0))))
//     (i32.add (local.get 0) (i32.const 1000)))
//   (func (export "tt") (param $n i32) (result i32)
//     (local $i i32) (local $acc i32) (local $x exnref)
//     (block $done (loop $next
//       (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
//       ;; a catch clause to the block around the try_table, the throw
//       ;; from a call_ref (whose run ends there: it may not come back)
//       (local.set $acc (i32.add (local.get $acc) (block $out (result i32)
//         (try_table (result i32) (catch $e $out)
//           (call_ref $t (local.get $i) (ref.func $thrower))))))
//       (local.set $acc (i32.add (local.get $acc) (call $tofn (local.get $i))))
//       ;; catch_all_ref into an exnref, br_on_null, throw_ref caught
//       ;; further out in the same function
//       (local.set $acc (i32.add (local.get $acc) (block $o2 (result i32)
//         (try_table (result i32) (catch $e $o2)
//           (local.set $x (block $h (result exnref)
//             (try_table (catch_all_ref $h) (drop (call $thrower (local.get $i))))
//             (ref.null exn)))
//           (block $none (throw_ref (br_on_null $none (local.get $x))))
//           (i32.const 5)))))
//       (local.set $i (i32.add (local.get $i) (i32.const 1)))
//       (br $next)))
//     (local.get $acc))
//   (elem declare func $thrower))
//
// tt(n) = the sum over i < n of: i, then i (odd) or i + 1000, then i (odd)
// or 5.
import fs from 'node:fs';

const leb = (n) => {
  const out = [];
  do {
    let b = n & 0x7f;
    n >>>= 7;
    if (n) b |= 0x80;
    out.push(b);
  } while (n);
  return out;
};
const vec = (items) => [...leb(items.length), ...items.flat()];
const section = (id, body) => [id, ...leb(body.length), ...body];
const func = (locals, code) => {
  const body = [...vec(locals), ...code, 0x0b];
  return [...leb(body.length), ...body];
};

const I32 = 0x7f, EXNREF = 0x69, VOID = 0x40;
const thrower = func([], [
  0x20, 0, 0x41, 1, 0x71, 0x04, VOID, 0x20, 0, 0x08, 0, 0x0b, // if odd: throw $e x
  0x20, 0]);
const tofn = func([], [
  0x1f, VOID, 1, 0x00, 0, 0,            // try_table (catch $e 0)
  0x20, 0, 0x10, 0, 0x1a, 0x0b,         //   drop (call $thrower x) end
  0x20, 0, 0x41, ...signed(1000), 0x6a]);
const tt = func([[2, I32], [1, EXNREF]], [
  0x02, VOID, 0x03, VOID,                       // block $done loop $next
  0x20, 1, 0x20, 0, 0x4f, 0x0d, 1,              // br_if $done (i >= n)
  0x20, 2,
  0x02, I32, 0x1f, I32, 1, 0x00, 0, 0,          // block $out, try_table (catch $e $out)
  0x20, 1, 0xd2, 0, 0x14, 0, 0x0b, 0x0b,        // call_ref $t i (ref.func $thrower), end, end
  0x6a, 0x21, 2,
  0x20, 2, 0x20, 1, 0x10, 1, 0x6a, 0x21, 2,     // acc += tofn(i)
  0x20, 2,
  0x02, I32, 0x1f, I32, 1, 0x00, 0, 0,          // block $o2, try_table (catch $e $o2)
  0x02, EXNREF, 0x1f, VOID, 1, 0x03, 0,         // block $h, try_table (catch_all_ref $h)
  0x20, 1, 0x10, 0, 0x1a, 0x0b,                 // drop (call $thrower i), end
  0xd0, EXNREF, 0x0b, 0x21, 3,                  // ref.null exn, end $h, local.set $x
  0x02, VOID, 0x20, 3, 0xd5, 0, 0x0a, 0x0b,     // block $none, br_on_null, throw_ref
  0x41, 5, 0x0b, 0x0b,                          // 5, end try_table, end $o2
  0x6a, 0x21, 2,
  0x20, 1, 0x41, 1, 0x6a, 0x21, 1, 0x0c, 0,     // i++, br $next
  0x0b, 0x0b, 0x20, 2]);

function signed(n) { // sleb128 of a small non-negative n
  const out = [];
  for (;;) {
    const b = n & 0x7f;
    n >>= 7;
    if (n === 0 && !(b & 0x40)) return [...out, b];
    out.push(b | 0x80);
  }
}

const bytes = [
  0x00, 0x61, 0x73, 0x6d, 1, 0, 0, 0,
  ...section(1, vec([[0x60, 1, I32, 1, I32], [0x60, 1, I32, 0]])),
  ...section(3, vec([[0], [0], [0]])),
  ...section(13, vec([[0, 1]])),
  ...section(7, vec([[...vec([..."tt"].map((c) => c.charCodeAt(0))), 0, 2]])),
  ...section(9, vec([[3, 0x00, ...vec([0])]])), // declarative: $thrower for ref.func
  ...section(10, [...leb(3), ...thrower, ...tofn, ...tt]),
];
fs.writeFileSync(process.argv[2], Buffer.from(bytes));
