  ;; dst[i] = trunc8(f32(f32(src[i] * f) + off)) for n bytes: torchvision's uint8 brightness (off = 0) and
  ;; contrast maps in float32, truncated and clamped to [0, 255], 16 bytes per step. f and off must be finite
  ;; (the caller checks). In range, trunc is floor, and floor(x) + 2^23 holds the integer in its low mantissa bits
  ;; (i32x4.trunc_sat_f32x4_s costs about eight x64 instructions, this three). Written out: V8 does not inline
  ;; wasm calls here, and a call with v128 arguments costs more than the work.
  (func (export "scaleOffset") (param $src i32) (param $dst i32) (param $n i32) (param $f f32) (param $off f32)
    (local $i i32) (local $end i32) (local $v v128) (local $lo v128) (local $hi v128) (local $fv v128) (local $ov v128)
    (local $zero v128) (local $max v128) (local $magic v128) (local $bits v128)
    (local.set $fv (f32x4.splat (local.get $f)))
    (local.set $ov (f32x4.splat (local.get $off)))
    (local.set $max (f32x4.splat (f32.const 255)))
    (local.set $magic (f32x4.splat (f32.const 8388608)))
    (local.set $bits (i32x4.splat (i32.const 0x4b000000)))
    (local.set $end (i32.and (local.get $n) (i32.const -16)))
    (block $done (loop $vec
      (br_if $done (i32.ge_u (local.get $i) (local.get $end)))
      (local.set $v (v128.load (i32.add (local.get $src) (local.get $i))))
      (local.set $lo (i16x8.extend_low_i8x16_u (local.get $v)))
      (local.set $hi (i16x8.extend_high_i8x16_u (local.get $v)))
      (v128.store (i32.add (local.get $dst) (local.get $i))
        (i8x16.narrow_i16x8_u
          (i16x8.narrow_i32x4_s
            (i32x4.sub (f32x4.add (f32x4.floor (f32x4.pmin (f32x4.pmax
              (f32x4.add (f32x4.mul (f32x4.convert_i32x4_s (i32x4.extend_low_i16x8_u (local.get $lo))) (local.get $fv)) (local.get $ov))
              (local.get $zero)) (local.get $max))) (local.get $magic)) (local.get $bits))
            (i32x4.sub (f32x4.add (f32x4.floor (f32x4.pmin (f32x4.pmax
              (f32x4.add (f32x4.mul (f32x4.convert_i32x4_s (i32x4.extend_high_i16x8_u (local.get $lo))) (local.get $fv)) (local.get $ov))
              (local.get $zero)) (local.get $max))) (local.get $magic)) (local.get $bits)))
          (i16x8.narrow_i32x4_s
            (i32x4.sub (f32x4.add (f32x4.floor (f32x4.pmin (f32x4.pmax
              (f32x4.add (f32x4.mul (f32x4.convert_i32x4_s (i32x4.extend_low_i16x8_u (local.get $hi))) (local.get $fv)) (local.get $ov))
              (local.get $zero)) (local.get $max))) (local.get $magic)) (local.get $bits))
            (i32x4.sub (f32x4.add (f32x4.floor (f32x4.pmin (f32x4.pmax
              (f32x4.add (f32x4.mul (f32x4.convert_i32x4_s (i32x4.extend_high_i16x8_u (local.get $hi))) (local.get $fv)) (local.get $ov))
              (local.get $zero)) (local.get $max))) (local.get $magic)) (local.get $bits)))))
      (local.set $i (i32.add (local.get $i) (i32.const 16)))
      (br $vec)))
    (block $tdone (loop $tail
      (br_if $tdone (i32.ge_u (local.get $i) (local.get $n)))
      (i32.store8 (i32.add (local.get $dst) (local.get $i))
        (call $clamp8 (i32.trunc_sat_f32_s (f32.add (f32.mul
          (f32.convert_i32_u (i32.load8_u (i32.add (local.get $src) (local.get $i)))) (local.get $f)) (local.get $off)))))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $tail))))

  ;; dst[i] = clamp((src[i] * m + c) >> 16, 0, 255) for n bytes, 16 per step: a byte map in 16.16 fixed point
  ;; (ops.ts fixedPointMap finds m and c that give scaleOffset's 256 bytes exactly, and checks that 255 |m| + |c|
  ;; fits in i32). The saturating narrows clamp. About twice as fast as scaleOffset's float32 sequence; mapNibble
  ;; is faster still where its tables fit (ops.ts byteMapKernel picks).
  (global $fixedM (mut v128) (v128.const i64x2 0 0))
  (global $fixedC (mut v128) (v128.const i64x2 0 0))
  (func (export "mapFixed") (param $src i32) (param $dst i32) (param $n i32) (param $m i32) (param $c i32)
    (local $i i32) (local $end i32) (local $v v128) (local $lo v128) (local $hi v128) (local $mv v128) (local $cv v128)
    ;; Through globals, as in mapNibble: TurboFan would splat m and c in every iteration of the loop.
    (global.set $fixedM (i32x4.splat (local.get $m)))
    (global.set $fixedC (i32x4.splat (local.get $c)))
    (local.set $mv (global.get $fixedM))
    (local.set $cv (global.get $fixedC))
    (local.set $end (i32.and (local.get $n) (i32.const -16)))
    (block $done (loop $vec
      (br_if $done (i32.ge_u (local.get $i) (local.get $end)))
      (local.set $v (v128.load (i32.add (local.get $src) (local.get $i))))
      (local.set $lo (i16x8.extend_low_i8x16_u (local.get $v)))
      (local.set $hi (i16x8.extend_high_i8x16_u (local.get $v)))
      (v128.store (i32.add (local.get $dst) (local.get $i))
        (i8x16.narrow_i16x8_u
          (i16x8.narrow_i32x4_s
            (i32x4.shr_s (i32x4.add (i32x4.mul (i32x4.extend_low_i16x8_u (local.get $lo)) (local.get $mv))
              (local.get $cv)) (i32.const 16))
            (i32x4.shr_s (i32x4.add (i32x4.mul (i32x4.extend_high_i16x8_u (local.get $lo)) (local.get $mv))
              (local.get $cv)) (i32.const 16)))
          (i16x8.narrow_i32x4_s
            (i32x4.shr_s (i32x4.add (i32x4.mul (i32x4.extend_low_i16x8_u (local.get $hi)) (local.get $mv))
              (local.get $cv)) (i32.const 16))
            (i32x4.shr_s (i32x4.add (i32x4.mul (i32x4.extend_high_i16x8_u (local.get $hi)) (local.get $mv))
              (local.get $cv)) (i32.const 16)))))
      (local.set $i (i32.add (local.get $i) (i32.const 16)))
      (br $vec)))
    (block $tdone (loop $tail
      (br_if $tdone (i32.ge_u (local.get $i) (local.get $n)))
      (i32.store8 (i32.add (local.get $dst) (local.get $i))
        (call $clamp8 (i32.shr_s (i32.add (i32.mul (i32.load8_u (i32.add (local.get $src) (local.get $i)))
          (local.get $m)) (local.get $c)) (i32.const 16))))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $tail))))

  ;; dst[i] = T[src[i]] for n bytes, 16 per step, where the 256-byte table T is given by five 16-byte tables,
  ;; each passed as two i64 (low half first; JS cannot pass a v128), that ops.ts nibbleMap fits to a monotone byte
  ;; map and checks on all 256 bytes: for v = 16 a + b, T[v] = clamp(IA(a) + IB(b) + carry, 0, 255) with
  ;; carry = gA(a) > gB(b) (a threshold on the two nibbles' fractional parts), and IA split into P(a) = max(IA, 0)
  ;; and N(a) = max(-IA, 0), never both non-zero, so that a saturating add of P and subtract of N clamp. Five
  ;; i8x16.swizzle lookups (four where N is 0), a signed compare and three byte adds, about 17 x64 instructions
  ;; per 16 bytes against mapFixed's 30 (four pmulld of two uops, six widenings, three narrows): 921,600 bytes in
  ;; 0.094 ms (0.078 with N = 0) against mapFixed's 0.135 here. The last step is a whole vector: it reads and
  ;; writes up to 15 bytes past n (the buffers' slack), also in place.
  (global $nibbleP (mut v128) (v128.const i64x2 0 0))
  (global $nibbleN (mut v128) (v128.const i64x2 0 0))
  (global $nibbleIB (mut v128) (v128.const i64x2 0 0))
  (global $nibbleGA (mut v128) (v128.const i64x2 0 0))
  (global $nibbleGB (mut v128) (v128.const i64x2 0 0))
  (global $nibbleMask (mut v128) (v128.const i8x16 15 15 15 15 15 15 15 15 15 15 15 15 15 15 15 15)) ;; never written
  (func (export "mapNibble") (param $src i32) (param $dst i32) (param $n i32) (param $p0 i64) (param $p1 i64)
    (param $neg0 i64) (param $neg1 i64) (param $ib0 i64) (param $ib1 i64) (param $ga0 i64) (param $ga1 i64)
    (param $gb0 i64) (param $gb1 i64)
    (local $i i32) (local $v v128) (local $a v128) (local $b v128) (local $low v128)
    (local $p v128) (local $neg v128) (local $ib v128) (local $ga v128) (local $gb v128)
    ;; Through globals: TurboFan would rebuild the tables (and the splat of 15) in every iteration of the loop
    ;; (it schedules pure values next to their use); reading a mutable global stays before the loop.
    (global.set $nibbleP (i64x2.replace_lane 1 (i64x2.splat (local.get $p0)) (local.get $p1)))
    (global.set $nibbleN (i64x2.replace_lane 1 (i64x2.splat (local.get $neg0)) (local.get $neg1)))
    (global.set $nibbleIB (i64x2.replace_lane 1 (i64x2.splat (local.get $ib0)) (local.get $ib1)))
    (global.set $nibbleGA (i64x2.replace_lane 1 (i64x2.splat (local.get $ga0)) (local.get $ga1)))
    (global.set $nibbleGB (i64x2.replace_lane 1 (i64x2.splat (local.get $gb0)) (local.get $gb1)))
    (local.set $p (global.get $nibbleP))
    (local.set $neg (global.get $nibbleN))
    (local.set $ib (global.get $nibbleIB))
    (local.set $ga (global.get $nibbleGA))
    (local.set $gb (global.get $nibbleGB))
    (local.set $low (global.get $nibbleMask))
    (if (v128.any_true (local.get $neg))
      (then
        (block $done (loop $vec
          (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
          (local.set $v (v128.load (i32.add (local.get $src) (local.get $i))))
          ;; The nibbles: a 16-bit shift then a mask (wasm has no byte shift; V8 emits several instructions for one).
          (local.set $b (v128.and (local.get $v) (local.get $low)))
          (local.set $a (v128.and (i16x8.shr_u (local.get $v) (i32.const 4)) (local.get $low)))
          (v128.store (i32.add (local.get $dst) (local.get $i))
            (i8x16.sub_sat_u
              (i8x16.add_sat_u (i8x16.swizzle (local.get $p) (local.get $a))
                ;; IB + carry: the compare gives -1 where it holds.
                (i8x16.sub (i8x16.swizzle (local.get $ib) (local.get $b))
                  (i8x16.gt_s (i8x16.swizzle (local.get $ga) (local.get $a)) (i8x16.swizzle (local.get $gb) (local.get $b)))))
              (i8x16.swizzle (local.get $neg) (local.get $a))))
          (local.set $i (i32.add (local.get $i) (i32.const 16)))
          (br $vec))))
      ;; N = 0 everywhere (no IA below 0, as with offsets >= 0: brightness): the same without N's lookup.
      (else
        (block $done0 (loop $vec0
          (br_if $done0 (i32.ge_u (local.get $i) (local.get $n)))
          (local.set $v (v128.load (i32.add (local.get $src) (local.get $i))))
          (local.set $b (v128.and (local.get $v) (local.get $low)))
          (local.set $a (v128.and (i16x8.shr_u (local.get $v) (i32.const 4)) (local.get $low)))
          (v128.store (i32.add (local.get $dst) (local.get $i))
            (i8x16.add_sat_u (i8x16.swizzle (local.get $p) (local.get $a))
              (i8x16.sub (i8x16.swizzle (local.get $ib) (local.get $b))
                (i8x16.gt_s (i8x16.swizzle (local.get $ga) (local.get $a)) (i8x16.swizzle (local.get $gb) (local.get $b))))))
          (local.set $i (i32.add (local.get $i) (i32.const 16)))
          (br $vec0))))))

  (func $clamp8 (param $v i32) (result i32)
    (select (i32.const 0)
      (select (i32.const 255) (local.get $v) (i32.gt_s (local.get $v) (i32.const 255)))
      (i32.lt_s (local.get $v) (i32.const 0))))
