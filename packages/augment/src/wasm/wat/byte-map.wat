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
  ;; fits in i32). The saturating narrows clamp. About twice as fast as scaleOffset's float32 sequence.
  (func (export "mapFixed") (param $src i32) (param $dst i32) (param $n i32) (param $m i32) (param $c i32)
    (local $i i32) (local $end i32) (local $v v128) (local $lo v128) (local $hi v128) (local $mv v128) (local $cv v128)
    (local.set $mv (i32x4.splat (local.get $m)))
    (local.set $cv (i32x4.splat (local.get $c)))
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

  (func $clamp8 (param $v i32) (result i32)
    (select (i32.const 0)
      (select (i32.const 255) (local.get $v) (i32.gt_s (local.get $v) (i32.const 255)))
      (i32.lt_s (local.get $v) (i32.const 0))))
