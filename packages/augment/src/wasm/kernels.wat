;; WebAssembly SIMD kernels of @striate/augment's typed-array path. Each one gives the same bytes as the
;; JavaScript path it speeds up (the JS path stays as the fallback and the oracle; kernels.test.ts compares them).
;; Compiled by scripts/build-wasm.ts into kernels.gen.ts (base64). All pointers are byte offsets into the exported
;; memory; the caller (kernels.ts) lays out the buffers with slack after each, because some loops read or write
;; up to 16 bytes past the end of a row (always rewritten or ignored, see each kernel).
(module
  (memory (export "memory") 1)

  ;; Left-right mirror of h rows of w RGB pixels, 5 pixels (15 bytes) per step: a 16-byte load ending one byte past
  ;; the 5 source pixels, one swizzle reversing them, a 16-byte store whose last byte the next step (or the next
  ;; row, or slack) overwrites. A row's last w mod 5 output pixels are copied byte by byte, after its groups.
  (func (export "flip3") (param $src i32) (param $dst i32) (param $h i32) (param $w i32)
    (local $y i32) (local $row i32) (local $s i32) (local $d i32) (local $g i32) (local $groups i32) (local $x i32)
    (local $rev v128)
    (local.set $rev (v128.const i8x16 12 13 14 9 10 11 6 7 8 3 4 5 0 1 2 15))
    (local.set $groups (i32.div_u (local.get $w) (i32.const 5)))
    (block $done (loop $rows
      (br_if $done (i32.ge_u (local.get $y) (local.get $h)))
      (local.set $row (i32.mul (local.get $y) (i32.mul (local.get $w) (i32.const 3))))
      ;; output pixels 5 g .. 5 g + 4 are source pixels w - 5 - 5 g .. w - 1 - 5 g, reversed
      (local.set $d (i32.add (local.get $dst) (local.get $row)))
      (local.set $s (i32.add (i32.add (local.get $src) (local.get $row))
        (i32.mul (i32.sub (local.get $w) (i32.const 5)) (i32.const 3))))
      (local.set $g (i32.const 0))
      (block $gdone (loop $grp
        (br_if $gdone (i32.ge_u (local.get $g) (local.get $groups)))
        (v128.store (local.get $d) (i8x16.swizzle (v128.load (local.get $s)) (local.get $rev)))
        (local.set $s (i32.sub (local.get $s) (i32.const 15)))
        (local.set $d (i32.add (local.get $d) (i32.const 15)))
        (local.set $g (i32.add (local.get $g) (i32.const 1)))
        (br $grp)))
      ;; the remaining output pixels 5 groups .. w - 1 come from source pixels w - 1 - x
      (local.set $x (i32.mul (local.get $groups) (i32.const 5)))
      (block $tdone (loop $tail
        (br_if $tdone (i32.ge_u (local.get $x) (local.get $w)))
        (local.set $s (i32.add (i32.add (local.get $src) (local.get $row))
          (i32.mul (i32.sub (i32.sub (local.get $w) (i32.const 1)) (local.get $x)) (i32.const 3))))
        (local.set $d (i32.add (i32.add (local.get $dst) (local.get $row)) (i32.mul (local.get $x) (i32.const 3))))
        (i32.store8 (local.get $d) (i32.load8_u (local.get $s)))
        (i32.store8 offset=1 (local.get $d) (i32.load8_u offset=1 (local.get $s)))
        (i32.store8 offset=2 (local.get $d) (i32.load8_u offset=2 (local.get $s)))
        (local.set $x (i32.add (local.get $x) (i32.const 1)))
        (br $tail)))
      (local.set $y (i32.add (local.get $y) (i32.const 1)))
      (br $rows))))

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

  ;; floor of torchvision's float32 luma 0.2989 r + 0.587 g + 0.114 b of one pixel: the integer
  ;; floor((2989 r + 5870 g + 1140 b) / 10000), except for exact multiples of 10000, where float32 may round below
  ;; (color.ts flooredLuma).
  (func $flooredLuma (param $r i32) (param $g i32) (param $b i32) (result i32)
    (local $l i32) (local $q i32)
    (local.set $l (i32.add (i32.add (i32.mul (local.get $r) (i32.const 2989)) (i32.mul (local.get $g) (i32.const 5870)))
      (i32.mul (local.get $b) (i32.const 1140))))
    (local.set $q (i32.div_u (local.get $l) (i32.const 10000)))
    (if (result i32) (i32.eq (i32.mul (local.get $q) (i32.const 10000)) (local.get $l))
      (then (i32.trunc_f32_s (f32.floor (f32.add
        (f32.add (f32.mul (f32.convert_i32_u (local.get $r)) (f32.const 0.2989))
                 (f32.mul (f32.convert_i32_u (local.get $g)) (f32.const 0.587)))
        (f32.mul (f32.convert_i32_u (local.get $b)) (f32.const 0.114))))))
      (else (local.get $q))))

  ;; Sum over npix RGB pixels of flooredLuma, 16 pixels per step as four quads of 12 bytes: a swizzle to 16-bit
  ;; [r g] pairs and one to [b 0] pairs, two i32x4.dot_i16x8_s give l = 2989 r + 5870 g + 1140 b; then
  ;; q = floor(l * f32(1e-4) + f32(5e-5)), which is floor(l / 10000) for every l in [0, 2550000] (kernels.test.ts
  ;; checks them all: the float32 error is below 4e-5 and the fractional part a multiple of 1e-4), taken as an
  ;; integer by adding 2^23. A step holding an exact multiple of 10000 is summed again pixel by pixel. Returned as
  ;; f64 (exact: below 2^53). Loads read 4 bytes past the last quad.
  (func (export "lumaSum") (param $src i32) (param $npix i32) (result f64)
    (local $p i32) (local $end i32) (local $s i32) (local $k i32) (local $batch i32) (local $total i64)
    (local $v v128) (local $l v128) (local $q v128) (local $sum4 v128) (local $acc v128) (local $exact v128)
    (local $rg v128) (local $bz v128) (local $krg v128) (local $kb v128) (local $m v128)
    (local $inv v128) (local $half v128) (local $magic v128) (local $bits v128)
    (local.set $rg (v128.const i8x16 0 128 1 128 3 128 4 128 6 128 7 128 9 128 10 128))
    (local.set $bz (v128.const i8x16 2 128 128 128 5 128 128 128 8 128 128 128 11 128 128 128))
    (local.set $krg (v128.const i16x8 2989 5870 2989 5870 2989 5870 2989 5870))
    (local.set $kb (v128.const i16x8 1140 0 1140 0 1140 0 1140 0))
    (local.set $m (i32x4.splat (i32.const 10000)))
    (local.set $inv (f32x4.splat (f32.const 0.0001)))
    (local.set $half (f32x4.splat (f32.const 0.00005)))
    (local.set $magic (f32x4.splat (f32.const 8388608)))
    (local.set $bits (i32x4.splat (i32.const 0x4b000000)))
    (local.set $end (i32.and (local.get $npix) (i32.const -16)))
    (block $done (loop $vec
      (br_if $done (i32.ge_u (local.get $p) (local.get $end)))
      (local.set $s (i32.add (local.get $src) (i32.mul (local.get $p) (i32.const 3))))
      (local.set $exact (v128.const i32x4 0 0 0 0))
      (local.set $sum4 (v128.const i32x4 0 0 0 0))
      (local.set $v (v128.load offset=0 (local.get $s)))
      (local.set $l (i32x4.add
        (i32x4.dot_i16x8_s (i8x16.swizzle (local.get $v) (local.get $rg)) (local.get $krg))
        (i32x4.dot_i16x8_s (i8x16.swizzle (local.get $v) (local.get $bz)) (local.get $kb))))
      (local.set $q (i32x4.sub (f32x4.add (f32x4.floor (f32x4.add
        (f32x4.mul (f32x4.convert_i32x4_s (local.get $l)) (local.get $inv)) (local.get $half)))
        (local.get $magic)) (local.get $bits)))
      (local.set $exact (v128.or (local.get $exact) (i32x4.eq (i32x4.mul (local.get $q) (local.get $m)) (local.get $l))))
      (local.set $sum4 (i32x4.add (local.get $sum4) (local.get $q)))
      (local.set $v (v128.load offset=12 (local.get $s)))
      (local.set $l (i32x4.add
        (i32x4.dot_i16x8_s (i8x16.swizzle (local.get $v) (local.get $rg)) (local.get $krg))
        (i32x4.dot_i16x8_s (i8x16.swizzle (local.get $v) (local.get $bz)) (local.get $kb))))
      (local.set $q (i32x4.sub (f32x4.add (f32x4.floor (f32x4.add
        (f32x4.mul (f32x4.convert_i32x4_s (local.get $l)) (local.get $inv)) (local.get $half)))
        (local.get $magic)) (local.get $bits)))
      (local.set $exact (v128.or (local.get $exact) (i32x4.eq (i32x4.mul (local.get $q) (local.get $m)) (local.get $l))))
      (local.set $sum4 (i32x4.add (local.get $sum4) (local.get $q)))
      (local.set $v (v128.load offset=24 (local.get $s)))
      (local.set $l (i32x4.add
        (i32x4.dot_i16x8_s (i8x16.swizzle (local.get $v) (local.get $rg)) (local.get $krg))
        (i32x4.dot_i16x8_s (i8x16.swizzle (local.get $v) (local.get $bz)) (local.get $kb))))
      (local.set $q (i32x4.sub (f32x4.add (f32x4.floor (f32x4.add
        (f32x4.mul (f32x4.convert_i32x4_s (local.get $l)) (local.get $inv)) (local.get $half)))
        (local.get $magic)) (local.get $bits)))
      (local.set $exact (v128.or (local.get $exact) (i32x4.eq (i32x4.mul (local.get $q) (local.get $m)) (local.get $l))))
      (local.set $sum4 (i32x4.add (local.get $sum4) (local.get $q)))
      (local.set $v (v128.load offset=36 (local.get $s)))
      (local.set $l (i32x4.add
        (i32x4.dot_i16x8_s (i8x16.swizzle (local.get $v) (local.get $rg)) (local.get $krg))
        (i32x4.dot_i16x8_s (i8x16.swizzle (local.get $v) (local.get $bz)) (local.get $kb))))
      (local.set $q (i32x4.sub (f32x4.add (f32x4.floor (f32x4.add
        (f32x4.mul (f32x4.convert_i32x4_s (local.get $l)) (local.get $inv)) (local.get $half)))
        (local.get $magic)) (local.get $bits)))
      (local.set $exact (v128.or (local.get $exact) (i32x4.eq (i32x4.mul (local.get $q) (local.get $m)) (local.get $l))))
      (local.set $sum4 (i32x4.add (local.get $sum4) (local.get $q)))
      (if (v128.any_true (local.get $exact))
        (then
          (local.set $k (i32.const 0))
          (block $kd (loop $kl
            (br_if $kd (i32.ge_u (local.get $k) (i32.const 48)))
            (local.set $total (i64.add (local.get $total) (i64.extend_i32_u (call $flooredLuma
              (i32.load8_u (i32.add (local.get $s) (local.get $k)))
              (i32.load8_u offset=1 (i32.add (local.get $s) (local.get $k)))
              (i32.load8_u offset=2 (i32.add (local.get $s) (local.get $k)))))))
            (local.set $k (i32.add (local.get $k) (i32.const 3)))
            (br $kl))))
        (else (local.set $acc (i32x4.add (local.get $acc) (local.get $sum4)))))
      ;; Each lane gains at most 4 * 255 per step: fold into the i64 total every 65536 steps.
      (local.set $batch (i32.add (local.get $batch) (i32.const 1)))
      (if (i32.ge_u (local.get $batch) (i32.const 65536))
        (then
          (local.set $total (i64.add (local.get $total) (call $lanes (local.get $acc))))
          (local.set $acc (v128.const i32x4 0 0 0 0))
          (local.set $batch (i32.const 0))))
      (local.set $p (i32.add (local.get $p) (i32.const 16)))
      (br $vec)))
    (local.set $total (i64.add (local.get $total) (call $lanes (local.get $acc))))
    (block $tdone (loop $tail
      (br_if $tdone (i32.ge_u (local.get $p) (local.get $npix)))
      (local.set $s (i32.add (local.get $src) (i32.mul (local.get $p) (i32.const 3))))
      (local.set $total (i64.add (local.get $total) (i64.extend_i32_u (call $flooredLuma
        (i32.load8_u (local.get $s)) (i32.load8_u offset=1 (local.get $s)) (i32.load8_u offset=2 (local.get $s))))))
      (local.set $p (i32.add (local.get $p) (i32.const 1)))
      (br $tail)))
    (f64.convert_i64_u (local.get $total)))

  (func $lanes (param $v v128) (result i64)
    (i64.add
      (i64.add (i64.extend_i32_u (i32x4.extract_lane 0 (local.get $v))) (i64.extend_i32_u (i32x4.extract_lane 1 (local.get $v))))
      (i64.add (i64.extend_i32_u (i32x4.extract_lane 2 (local.get $v))) (i64.extend_i32_u (i32x4.extract_lane 3 (local.get $v))))))

  ;; Horizontal pass of the separable resize for RGB (resize-image.ts horizontal3): rows rows of stride bytes
  ;; from src, outW output pixels each, k (2, 4 or 6) consecutive taps starting at byte offs[x] (i32) of the row.
  ;; wts holds, per output pixel, k / 2 vectors of 16-bit weights [w0 w1 w0 w1 w0 w1 0 0] (tap pairs); a tap pair
  ;; is 8 bytes loaded and swizzled to [R0 R1 G0 G1 B0 B1 0 0] for i32x4.dot_i16x8_s, giving [R G B 0]. Sums start
  ;; at 2^13 and are shifted by 14, as the JS path. Two rows at a time (sharing offsets and weights), four pixels
  ;; per step, packed to 12 bytes and stored as 16 (the last 4 are overwritten by the next step); the last
  ;; outW mod 4 pixels one by one, stored as 4 bytes. The first row's last store spills into the second row's
  ;; first pixels, which are stored again at the end of the pair; the second row's spills into the next pair's,
  ;; written later (or slack). Loads read up to 2 bytes past a row's last tap. outW must be at least 4.
  (func (export "resizeH3") (param $src i32) (param $stride i32) (param $rows i32) (param $outW i32) (param $k i32)
    (param $offs i32) (param $wts i32) (param $dst i32)
    (local $y i32) (local $x i32) (local $row i32) (local $s i32) (local $t i32) (local $w i32) (local $wstep i32)
    (local $more i32) (local $most i32) (local $of i32) (local $end4 i32) (local $rowLen i32) (local $dB i32)
    (local $dB0 i32) (local $first i32)
    (local $a0 v128) (local $a1 v128) (local $a2 v128) (local $a3 v128)
    (local $b0 v128) (local $b1 v128) (local $b2 v128) (local $b3 v128)
    (local $sw v128) (local $round v128) (local $zero v128) (local $firstB v128)
    (local.set $more (i32.ge_u (local.get $k) (i32.const 4)))
    (local.set $most (i32.ge_u (local.get $k) (i32.const 6)))
    (local.set $wstep (i32.shl (local.get $k) (i32.const 3)))
    (local.set $sw (v128.const i8x16 0 128 3 128 1 128 4 128 2 128 5 128 128 128 128 128))
    (local.set $round (i32x4.splat (i32.const 8192)))
    (local.set $end4 (i32.and (local.get $outW) (i32.const -4)))
    (local.set $rowLen (i32.mul (local.get $outW) (i32.const 3)))
    ;; pairs of rows
    (block $pdone (loop $pairs
      (br_if $pdone (i32.ge_u (i32.add (local.get $y) (i32.const 1)) (local.get $rows)))
      (local.set $row (i32.add (local.get $src) (i32.mul (local.get $y) (local.get $stride))))
      (local.set $dB (i32.add (local.get $dst) (local.get $rowLen)))
      (local.set $dB0 (local.get $dB))
      (local.set $first (i32.const 1))
      (local.set $w (local.get $wts))
      (local.set $of (local.get $offs))
      (local.set $x (i32.const 0))
      (block $xd (loop $xl
        (br_if $xd (i32.ge_u (local.get $x) (local.get $end4)))
          (local.set $s (i32.add (local.get $row) (i32.load offset=0 (local.get $of))))
          (local.set $t (i32.add (local.get $s) (local.get $stride)))
          (local.set $a0 (i32x4.add (local.get $round) (i32x4.dot_i16x8_s (i8x16.swizzle (v128.load64_zero offset=0 (local.get $s)) (local.get $sw)) (v128.load offset=0 (local.get $w)))))
          (local.set $b0 (i32x4.add (local.get $round) (i32x4.dot_i16x8_s (i8x16.swizzle (v128.load64_zero offset=0 (local.get $t)) (local.get $sw)) (v128.load offset=0 (local.get $w)))))
          (if (local.get $more) (then
            (local.set $a0 (i32x4.add (local.get $a0) (i32x4.dot_i16x8_s (i8x16.swizzle (v128.load64_zero offset=6 (local.get $s)) (local.get $sw)) (v128.load offset=16 (local.get $w)))))
            (local.set $b0 (i32x4.add (local.get $b0) (i32x4.dot_i16x8_s (i8x16.swizzle (v128.load64_zero offset=6 (local.get $t)) (local.get $sw)) (v128.load offset=16 (local.get $w)))))
            (if (local.get $most) (then
              (local.set $a0 (i32x4.add (local.get $a0) (i32x4.dot_i16x8_s (i8x16.swizzle (v128.load64_zero offset=12 (local.get $s)) (local.get $sw)) (v128.load offset=32 (local.get $w)))))
              (local.set $b0 (i32x4.add (local.get $b0) (i32x4.dot_i16x8_s (i8x16.swizzle (v128.load64_zero offset=12 (local.get $t)) (local.get $sw)) (v128.load offset=32 (local.get $w)))))))))
          (local.set $w (i32.add (local.get $w) (local.get $wstep)))
          (local.set $s (i32.add (local.get $row) (i32.load offset=4 (local.get $of))))
          (local.set $t (i32.add (local.get $s) (local.get $stride)))
          (local.set $a1 (i32x4.add (local.get $round) (i32x4.dot_i16x8_s (i8x16.swizzle (v128.load64_zero offset=0 (local.get $s)) (local.get $sw)) (v128.load offset=0 (local.get $w)))))
          (local.set $b1 (i32x4.add (local.get $round) (i32x4.dot_i16x8_s (i8x16.swizzle (v128.load64_zero offset=0 (local.get $t)) (local.get $sw)) (v128.load offset=0 (local.get $w)))))
          (if (local.get $more) (then
            (local.set $a1 (i32x4.add (local.get $a1) (i32x4.dot_i16x8_s (i8x16.swizzle (v128.load64_zero offset=6 (local.get $s)) (local.get $sw)) (v128.load offset=16 (local.get $w)))))
            (local.set $b1 (i32x4.add (local.get $b1) (i32x4.dot_i16x8_s (i8x16.swizzle (v128.load64_zero offset=6 (local.get $t)) (local.get $sw)) (v128.load offset=16 (local.get $w)))))
            (if (local.get $most) (then
              (local.set $a1 (i32x4.add (local.get $a1) (i32x4.dot_i16x8_s (i8x16.swizzle (v128.load64_zero offset=12 (local.get $s)) (local.get $sw)) (v128.load offset=32 (local.get $w)))))
              (local.set $b1 (i32x4.add (local.get $b1) (i32x4.dot_i16x8_s (i8x16.swizzle (v128.load64_zero offset=12 (local.get $t)) (local.get $sw)) (v128.load offset=32 (local.get $w)))))))))
          (local.set $w (i32.add (local.get $w) (local.get $wstep)))
          (local.set $s (i32.add (local.get $row) (i32.load offset=8 (local.get $of))))
          (local.set $t (i32.add (local.get $s) (local.get $stride)))
          (local.set $a2 (i32x4.add (local.get $round) (i32x4.dot_i16x8_s (i8x16.swizzle (v128.load64_zero offset=0 (local.get $s)) (local.get $sw)) (v128.load offset=0 (local.get $w)))))
          (local.set $b2 (i32x4.add (local.get $round) (i32x4.dot_i16x8_s (i8x16.swizzle (v128.load64_zero offset=0 (local.get $t)) (local.get $sw)) (v128.load offset=0 (local.get $w)))))
          (if (local.get $more) (then
            (local.set $a2 (i32x4.add (local.get $a2) (i32x4.dot_i16x8_s (i8x16.swizzle (v128.load64_zero offset=6 (local.get $s)) (local.get $sw)) (v128.load offset=16 (local.get $w)))))
            (local.set $b2 (i32x4.add (local.get $b2) (i32x4.dot_i16x8_s (i8x16.swizzle (v128.load64_zero offset=6 (local.get $t)) (local.get $sw)) (v128.load offset=16 (local.get $w)))))
            (if (local.get $most) (then
              (local.set $a2 (i32x4.add (local.get $a2) (i32x4.dot_i16x8_s (i8x16.swizzle (v128.load64_zero offset=12 (local.get $s)) (local.get $sw)) (v128.load offset=32 (local.get $w)))))
              (local.set $b2 (i32x4.add (local.get $b2) (i32x4.dot_i16x8_s (i8x16.swizzle (v128.load64_zero offset=12 (local.get $t)) (local.get $sw)) (v128.load offset=32 (local.get $w)))))))))
          (local.set $w (i32.add (local.get $w) (local.get $wstep)))
          (local.set $s (i32.add (local.get $row) (i32.load offset=12 (local.get $of))))
          (local.set $t (i32.add (local.get $s) (local.get $stride)))
          (local.set $a3 (i32x4.add (local.get $round) (i32x4.dot_i16x8_s (i8x16.swizzle (v128.load64_zero offset=0 (local.get $s)) (local.get $sw)) (v128.load offset=0 (local.get $w)))))
          (local.set $b3 (i32x4.add (local.get $round) (i32x4.dot_i16x8_s (i8x16.swizzle (v128.load64_zero offset=0 (local.get $t)) (local.get $sw)) (v128.load offset=0 (local.get $w)))))
          (if (local.get $more) (then
            (local.set $a3 (i32x4.add (local.get $a3) (i32x4.dot_i16x8_s (i8x16.swizzle (v128.load64_zero offset=6 (local.get $s)) (local.get $sw)) (v128.load offset=16 (local.get $w)))))
            (local.set $b3 (i32x4.add (local.get $b3) (i32x4.dot_i16x8_s (i8x16.swizzle (v128.load64_zero offset=6 (local.get $t)) (local.get $sw)) (v128.load offset=16 (local.get $w)))))
            (if (local.get $most) (then
              (local.set $a3 (i32x4.add (local.get $a3) (i32x4.dot_i16x8_s (i8x16.swizzle (v128.load64_zero offset=12 (local.get $s)) (local.get $sw)) (v128.load offset=32 (local.get $w)))))
              (local.set $b3 (i32x4.add (local.get $b3) (i32x4.dot_i16x8_s (i8x16.swizzle (v128.load64_zero offset=12 (local.get $t)) (local.get $sw)) (v128.load offset=32 (local.get $w)))))))))
          (local.set $w (i32.add (local.get $w) (local.get $wstep)))
        (v128.store (local.get $dst) (i8x16.swizzle
            (i8x16.narrow_i16x8_u
              (i16x8.narrow_i32x4_s (i32x4.shr_s (local.get $a0) (i32.const 14)) (i32x4.shr_s (local.get $a1) (i32.const 14)))
              (i16x8.narrow_i32x4_s (i32x4.shr_s (local.get $a2) (i32.const 14)) (i32x4.shr_s (local.get $a3) (i32.const 14))))
            (v128.const i8x16 0 1 2 4 5 6 8 9 10 12 13 14 128 128 128 128)))
        (local.set $b0 (i8x16.swizzle
            (i8x16.narrow_i16x8_u
              (i16x8.narrow_i32x4_s (i32x4.shr_s (local.get $b0) (i32.const 14)) (i32x4.shr_s (local.get $b1) (i32.const 14)))
              (i16x8.narrow_i32x4_s (i32x4.shr_s (local.get $b2) (i32.const 14)) (i32x4.shr_s (local.get $b3) (i32.const 14))))
            (v128.const i8x16 0 1 2 4 5 6 8 9 10 12 13 14 128 128 128 128)))
        (v128.store (local.get $dB) (local.get $b0))
        (if (local.get $first) (then (local.set $firstB (local.get $b0)) (local.set $first (i32.const 0))))
        (local.set $dst (i32.add (local.get $dst) (i32.const 12)))
        (local.set $dB (i32.add (local.get $dB) (i32.const 12)))
        (local.set $of (i32.add (local.get $of) (i32.const 16)))
        (local.set $x (i32.add (local.get $x) (i32.const 4)))
        (br $xl)))
      (block $td (loop $tl
        (br_if $td (i32.ge_u (local.get $x) (local.get $outW)))
        (local.set $s (i32.add (local.get $row) (i32.load offset=0 (local.get $of))))
          (local.set $t (i32.add (local.get $s) (local.get $stride)))
          (local.set $a0 (i32x4.add (local.get $round) (i32x4.dot_i16x8_s (i8x16.swizzle (v128.load64_zero offset=0 (local.get $s)) (local.get $sw)) (v128.load offset=0 (local.get $w)))))
          (local.set $b0 (i32x4.add (local.get $round) (i32x4.dot_i16x8_s (i8x16.swizzle (v128.load64_zero offset=0 (local.get $t)) (local.get $sw)) (v128.load offset=0 (local.get $w)))))
          (if (local.get $more) (then
            (local.set $a0 (i32x4.add (local.get $a0) (i32x4.dot_i16x8_s (i8x16.swizzle (v128.load64_zero offset=6 (local.get $s)) (local.get $sw)) (v128.load offset=16 (local.get $w)))))
            (local.set $b0 (i32x4.add (local.get $b0) (i32x4.dot_i16x8_s (i8x16.swizzle (v128.load64_zero offset=6 (local.get $t)) (local.get $sw)) (v128.load offset=16 (local.get $w)))))
            (if (local.get $most) (then
              (local.set $a0 (i32x4.add (local.get $a0) (i32x4.dot_i16x8_s (i8x16.swizzle (v128.load64_zero offset=12 (local.get $s)) (local.get $sw)) (v128.load offset=32 (local.get $w)))))
              (local.set $b0 (i32x4.add (local.get $b0) (i32x4.dot_i16x8_s (i8x16.swizzle (v128.load64_zero offset=12 (local.get $t)) (local.get $sw)) (v128.load offset=32 (local.get $w)))))))))
          (local.set $w (i32.add (local.get $w) (local.get $wstep)))
        (i32.store (local.get $dst) (i32x4.extract_lane 0 (i8x16.narrow_i16x8_u
            (i16x8.narrow_i32x4_s (i32x4.shr_s (local.get $a0) (i32.const 14)) (local.get $zero)) (local.get $zero))))
        (i32.store (local.get $dB) (i32x4.extract_lane 0 (i8x16.narrow_i16x8_u
            (i16x8.narrow_i32x4_s (i32x4.shr_s (local.get $b0) (i32.const 14)) (local.get $zero)) (local.get $zero))))
        (local.set $dst (i32.add (local.get $dst) (i32.const 3)))
        (local.set $dB (i32.add (local.get $dB) (i32.const 3)))
        (local.set $of (i32.add (local.get $of) (i32.const 4)))
        (local.set $x (i32.add (local.get $x) (i32.const 1)))
        (br $tl)))
      ;; the second row's first four pixels again (the first row's last store spilled into them)
      (v128.store64_lane 0 (local.get $dB0) (local.get $firstB))
      (v128.store32_lane offset=8 2 (local.get $dB0) (local.get $firstB))
      (local.set $dst (local.get $dB))
      (local.set $y (i32.add (local.get $y) (i32.const 2)))
      (br $pairs)))
    ;; a last single row
    (if (i32.lt_u (local.get $y) (local.get $rows)) (then
      (local.set $row (i32.add (local.get $src) (i32.mul (local.get $y) (local.get $stride))))
      (local.set $w (local.get $wts))
      (local.set $of (local.get $offs))
      (local.set $x (i32.const 0))
      (block $xd1 (loop $xl1
        (br_if $xd1 (i32.ge_u (local.get $x) (local.get $end4)))
        (local.set $s (i32.add (local.get $row) (i32.load offset=0 (local.get $of))))
        (local.set $a0 (i32x4.add (local.get $round) (i32x4.dot_i16x8_s (i8x16.swizzle (v128.load64_zero offset=0 (local.get $s)) (local.get $sw)) (v128.load offset=0 (local.get $w)))))
        (if (local.get $more) (then
          (local.set $a0 (i32x4.add (local.get $a0) (i32x4.dot_i16x8_s (i8x16.swizzle (v128.load64_zero offset=6 (local.get $s)) (local.get $sw)) (v128.load offset=16 (local.get $w)))))
          (if (local.get $most) (then
            (local.set $a0 (i32x4.add (local.get $a0) (i32x4.dot_i16x8_s (i8x16.swizzle (v128.load64_zero offset=12 (local.get $s)) (local.get $sw)) (v128.load offset=32 (local.get $w)))))))))
        (local.set $w (i32.add (local.get $w) (local.get $wstep)))
        (local.set $s (i32.add (local.get $row) (i32.load offset=4 (local.get $of))))
        (local.set $a1 (i32x4.add (local.get $round) (i32x4.dot_i16x8_s (i8x16.swizzle (v128.load64_zero offset=0 (local.get $s)) (local.get $sw)) (v128.load offset=0 (local.get $w)))))
        (if (local.get $more) (then
          (local.set $a1 (i32x4.add (local.get $a1) (i32x4.dot_i16x8_s (i8x16.swizzle (v128.load64_zero offset=6 (local.get $s)) (local.get $sw)) (v128.load offset=16 (local.get $w)))))
          (if (local.get $most) (then
            (local.set $a1 (i32x4.add (local.get $a1) (i32x4.dot_i16x8_s (i8x16.swizzle (v128.load64_zero offset=12 (local.get $s)) (local.get $sw)) (v128.load offset=32 (local.get $w)))))))))
        (local.set $w (i32.add (local.get $w) (local.get $wstep)))
        (local.set $s (i32.add (local.get $row) (i32.load offset=8 (local.get $of))))
        (local.set $a2 (i32x4.add (local.get $round) (i32x4.dot_i16x8_s (i8x16.swizzle (v128.load64_zero offset=0 (local.get $s)) (local.get $sw)) (v128.load offset=0 (local.get $w)))))
        (if (local.get $more) (then
          (local.set $a2 (i32x4.add (local.get $a2) (i32x4.dot_i16x8_s (i8x16.swizzle (v128.load64_zero offset=6 (local.get $s)) (local.get $sw)) (v128.load offset=16 (local.get $w)))))
          (if (local.get $most) (then
            (local.set $a2 (i32x4.add (local.get $a2) (i32x4.dot_i16x8_s (i8x16.swizzle (v128.load64_zero offset=12 (local.get $s)) (local.get $sw)) (v128.load offset=32 (local.get $w)))))))))
        (local.set $w (i32.add (local.get $w) (local.get $wstep)))
        (local.set $s (i32.add (local.get $row) (i32.load offset=12 (local.get $of))))
        (local.set $a3 (i32x4.add (local.get $round) (i32x4.dot_i16x8_s (i8x16.swizzle (v128.load64_zero offset=0 (local.get $s)) (local.get $sw)) (v128.load offset=0 (local.get $w)))))
        (if (local.get $more) (then
          (local.set $a3 (i32x4.add (local.get $a3) (i32x4.dot_i16x8_s (i8x16.swizzle (v128.load64_zero offset=6 (local.get $s)) (local.get $sw)) (v128.load offset=16 (local.get $w)))))
          (if (local.get $most) (then
            (local.set $a3 (i32x4.add (local.get $a3) (i32x4.dot_i16x8_s (i8x16.swizzle (v128.load64_zero offset=12 (local.get $s)) (local.get $sw)) (v128.load offset=32 (local.get $w)))))))))
        (local.set $w (i32.add (local.get $w) (local.get $wstep)))
        (v128.store (local.get $dst) (i8x16.swizzle
            (i8x16.narrow_i16x8_u
              (i16x8.narrow_i32x4_s (i32x4.shr_s (local.get $a0) (i32.const 14)) (i32x4.shr_s (local.get $a1) (i32.const 14)))
              (i16x8.narrow_i32x4_s (i32x4.shr_s (local.get $a2) (i32.const 14)) (i32x4.shr_s (local.get $a3) (i32.const 14))))
            (v128.const i8x16 0 1 2 4 5 6 8 9 10 12 13 14 128 128 128 128)))
        (local.set $dst (i32.add (local.get $dst) (i32.const 12)))
        (local.set $of (i32.add (local.get $of) (i32.const 16)))
        (local.set $x (i32.add (local.get $x) (i32.const 4)))
        (br $xl1)))
      (block $td1 (loop $tl1
        (br_if $td1 (i32.ge_u (local.get $x) (local.get $outW)))
        (local.set $s (i32.add (local.get $row) (i32.load offset=0 (local.get $of))))
        (local.set $a0 (i32x4.add (local.get $round) (i32x4.dot_i16x8_s (i8x16.swizzle (v128.load64_zero offset=0 (local.get $s)) (local.get $sw)) (v128.load offset=0 (local.get $w)))))
        (if (local.get $more) (then
          (local.set $a0 (i32x4.add (local.get $a0) (i32x4.dot_i16x8_s (i8x16.swizzle (v128.load64_zero offset=6 (local.get $s)) (local.get $sw)) (v128.load offset=16 (local.get $w)))))
          (if (local.get $most) (then
            (local.set $a0 (i32x4.add (local.get $a0) (i32x4.dot_i16x8_s (i8x16.swizzle (v128.load64_zero offset=12 (local.get $s)) (local.get $sw)) (v128.load offset=32 (local.get $w)))))))))
        (local.set $w (i32.add (local.get $w) (local.get $wstep)))
        (i32.store (local.get $dst) (i32x4.extract_lane 0 (i8x16.narrow_i16x8_u
            (i16x8.narrow_i32x4_s (i32x4.shr_s (local.get $a0) (i32.const 14)) (local.get $zero)) (local.get $zero))))
        (local.set $dst (i32.add (local.get $dst) (i32.const 3)))
        (local.set $of (i32.add (local.get $of) (i32.const 4)))
        (local.set $x (i32.add (local.get $x) (i32.const 1)))
        (br $tl1))))))

  ;; Vertical pass (resize-image.ts vertical): outH rows of rowLen bytes, each the k-row window of mid starting at
  ;; byte rowOffs[y] (i32), weights wts[y * k / 2 + p] = w(2p) | w(2p + 1) << 16 per tap pair. 16 bytes per step:
  ;; the two rows' bytes interleaved, widened to 16 bits and dotted with [wa wb] pairs. The last step of a row
  ;; reads and writes up to 15 bytes past it (the next row is written after; slack after the last).
  (func (export "resizeV") (param $mid i32) (param $rowLen i32) (param $outH i32) (param $k i32) (param $rowOffs i32)
    (param $wts i32) (param $out i32)
    (local $y i32) (local $x i32) (local $p i32) (local $pairs i32) (local $base i32) (local $a i32) (local $o i32)
    (local $wv v128) (local $va v128) (local $vb v128) (local $lo v128) (local $hi v128)
    (local $acc0 v128) (local $acc1 v128) (local $acc2 v128) (local $acc3 v128)
    (local.set $pairs (i32.shr_u (local.get $k) (i32.const 1)))
    (block $done (loop $rowsl
      (br_if $done (i32.ge_u (local.get $y) (local.get $outH)))
      (local.set $base (i32.add (local.get $mid) (i32.load (i32.add (local.get $rowOffs) (i32.shl (local.get $y) (i32.const 2))))))
      (local.set $o (i32.add (local.get $out) (i32.mul (local.get $y) (local.get $rowLen))))
      (local.set $x (i32.const 0))
      (block $xd (loop $xl
        (br_if $xd (i32.ge_u (local.get $x) (local.get $rowLen)))
        (local.set $acc0 (i32x4.splat (i32.const 8192)))
        (local.set $acc1 (local.get $acc0))
        (local.set $acc2 (local.get $acc0))
        (local.set $acc3 (local.get $acc0))
        (local.set $p (i32.const 0))
        (local.set $a (i32.add (local.get $base) (local.get $x)))
        (block $pd (loop $pl
          (br_if $pd (i32.ge_u (local.get $p) (local.get $pairs)))
          (local.set $wv (v128.load32_splat (i32.add (local.get $wts)
            (i32.shl (i32.add (i32.mul (local.get $y) (local.get $pairs)) (local.get $p)) (i32.const 2)))))
          (local.set $va (v128.load (local.get $a)))
          (local.set $vb (v128.load (i32.add (local.get $a) (local.get $rowLen))))
          (local.set $lo (i8x16.shuffle 0 16 1 17 2 18 3 19 4 20 5 21 6 22 7 23 (local.get $va) (local.get $vb)))
          (local.set $hi (i8x16.shuffle 8 24 9 25 10 26 11 27 12 28 13 29 14 30 15 31 (local.get $va) (local.get $vb)))
          (local.set $acc0 (i32x4.add (local.get $acc0) (i32x4.dot_i16x8_s (i16x8.extend_low_i8x16_u (local.get $lo)) (local.get $wv))))
          (local.set $acc1 (i32x4.add (local.get $acc1) (i32x4.dot_i16x8_s (i16x8.extend_high_i8x16_u (local.get $lo)) (local.get $wv))))
          (local.set $acc2 (i32x4.add (local.get $acc2) (i32x4.dot_i16x8_s (i16x8.extend_low_i8x16_u (local.get $hi)) (local.get $wv))))
          (local.set $acc3 (i32x4.add (local.get $acc3) (i32x4.dot_i16x8_s (i16x8.extend_high_i8x16_u (local.get $hi)) (local.get $wv))))
          (local.set $a (i32.add (local.get $a) (i32.shl (local.get $rowLen) (i32.const 1))))
          (local.set $p (i32.add (local.get $p) (i32.const 1)))
          (br $pl)))
        (v128.store (i32.add (local.get $o) (local.get $x))
          (i8x16.narrow_i16x8_u
            (i16x8.narrow_i32x4_s (i32x4.shr_s (local.get $acc0) (i32.const 14)) (i32x4.shr_s (local.get $acc1) (i32.const 14)))
            (i16x8.narrow_i32x4_s (i32x4.shr_s (local.get $acc2) (i32.const 14)) (i32x4.shr_s (local.get $acc3) (i32.const 14)))))
        (local.set $x (i32.add (local.get $x) (i32.const 16)))
        (br $xl)))
      (local.set $y (i32.add (local.get $y) (i32.const 1)))
      (br $rowsl))))

  ;; YOLO's HSV jitter, one pass per pixel (hsv.ts hsvGains): OpenCV's RGB2HSV_b with the 12-bit reciprocal tables
  ;; sdiv and hdiv (i32[256] each), the gain tables lutH, lutS, lutV (u8[256] each), and back with the (hue,
  ;; saturation) factor table m (f32[180 * 256 * 3], 16 bytes of slack): channel = trunc(lutV[v] * m + 0.5) in
  ;; float64, as the JS path (the float32 factor times a byte is exact in float64; in float32 it is not: 572
  ;; (value, factor) pairs would round differently). Writes 1 byte past the last pixel.
  (func (export "hsvGains") (param $src i32) (param $dst i32) (param $npix i32) (param $sdiv i32) (param $hdiv i32)
    (param $lutH i32) (param $lutS i32) (param $lutV i32) (param $m i32)
    (local $end i32) (local $r i32) (local $g i32) (local $b i32) (local $v i32) (local $vmin i32) (local $diff i32)
    (local $sat i32) (local $h i32) (local $vv f64) (local $k i32) (local $f4 v128) (local $vv2 v128)
    (local $half2 v128) (local $magic2 v128)
    (local.set $half2 (f64x2.splat (f64.const 0.5)))
    (local.set $magic2 (f64x2.splat (f64.const 4503599627370496)))
    (local.set $end (i32.add (local.get $src) (i32.mul (local.get $npix) (i32.const 3))))
    (block $done (loop $px
      (br_if $done (i32.ge_u (local.get $src) (local.get $end)))
      (local.set $r (i32.load8_u (local.get $src)))
      (local.set $g (i32.load8_u offset=1 (local.get $src)))
      (local.set $b (i32.load8_u offset=2 (local.get $src)))
      (local.set $v (select (local.get $r) (local.get $g) (i32.gt_u (local.get $r) (local.get $g))))
      (local.set $v (select (local.get $v) (local.get $b) (i32.gt_u (local.get $v) (local.get $b))))
      (local.set $vmin (select (local.get $r) (local.get $g) (i32.lt_u (local.get $r) (local.get $g))))
      (local.set $vmin (select (local.get $vmin) (local.get $b) (i32.lt_u (local.get $vmin) (local.get $b))))
      (local.set $diff (i32.sub (local.get $v) (local.get $vmin)))
      (local.set $sat (i32.shr_s (i32.add (i32.mul (local.get $diff)
        (i32.load (i32.add (local.get $sdiv) (i32.shl (local.get $v) (i32.const 2))))) (i32.const 2048)) (i32.const 12)))
      ;; (selects, not branches: which channel is the maximum is unpredictable on real images)
      (local.set $h
        (select (i32.sub (local.get $g) (local.get $b))
          (select (i32.add (i32.sub (local.get $b) (local.get $r)) (i32.shl (local.get $diff) (i32.const 1)))
            (i32.add (i32.sub (local.get $r) (local.get $g)) (i32.shl (local.get $diff) (i32.const 2)))
            (i32.eq (local.get $v) (local.get $g)))
          (i32.eq (local.get $v) (local.get $r))))
      (local.set $h (i32.shr_s (i32.add (i32.mul (local.get $h)
        (i32.load (i32.add (local.get $hdiv) (i32.shl (local.get $diff) (i32.const 2))))) (i32.const 2048)) (i32.const 12)))
      (local.set $h (select (i32.add (local.get $h) (i32.const 180)) (local.get $h) (i32.lt_s (local.get $h) (i32.const 0))))
      (local.set $vv (f64.convert_i32_u (i32.load8_u (i32.add (local.get $lutV) (local.get $v)))))
      ;; byte offset of the three factors: ((lutH[h] * 256 + lutS[sat]) * 3) * 4
      (local.set $k (i32.add (local.get $m) (i32.mul (i32.add
        (i32.shl (i32.load8_u (i32.add (local.get $lutH) (local.get $h))) (i32.const 8))
        (i32.load8_u (i32.add (local.get $lutS) (local.get $sat)))) (i32.const 12))))
      ;; The three factors (and the next float, unused) in one load, in float64 two at a time: floor(v m + 0.5)
      ;; plus 2^52 puts the integer in the low bits of each lane; the bytes are gathered and stored as 4 (the 4th
      ;; is overwritten by the next pixel, or is slack).
      (local.set $f4 (v128.load (local.get $k)))
      (local.set $vv2 (f64x2.splat (local.get $vv)))
      (i32.store (local.get $dst) (i32x4.extract_lane 0 (i8x16.shuffle 0 8 16 24 0 0 0 0 0 0 0 0 0 0 0 0
        (f64x2.add (f64x2.floor (f64x2.add (f64x2.mul (f64x2.promote_low_f32x4 (local.get $f4)) (local.get $vv2))
          (local.get $half2))) (local.get $magic2))
        (f64x2.add (f64x2.floor (f64x2.add (f64x2.mul (f64x2.promote_low_f32x4
          (i8x16.shuffle 8 9 10 11 12 13 14 15 0 0 0 0 0 0 0 0 (local.get $f4) (local.get $f4))) (local.get $vv2))
          (local.get $half2))) (local.get $magic2)))))
      (local.set $src (i32.add (local.get $src) (i32.const 3)))
      (local.set $dst (i32.add (local.get $dst) (i32.const 3)))
      (br $px))))

  ;; The interior run of one output row of an RGB bilinear affine warp (warp.ts interiorRun3): from source position
  ;; (x, y), stepping (dx, dy) with the same float64 additions, while all four taps are inside
  ;; [0, xMax) x [0, yMax) and at most n pixels; the same float64 weights, products, sums and round-half-even as
  ;; the JS path, so the same bytes. Returns the count; stores the position after the run at state (two f64).
  ;; Integer parts by floor + 2^52 (the value in the low bits), not the trapping i32.trunc_f64_s; the JS path's
  ;; round half to even of a value in [0, 255] is f64.nearest.
  (func (export "affineRun3") (param $src i32) (param $stride i32) (param $xMax f64) (param $yMax f64)
    (param $x f64) (param $y f64) (param $dx f64) (param $dy f64) (param $n i32) (param $o i32) (param $state i32)
    (result i32)
    (local $j i32) (local $xf f64) (local $yf f64) (local $fx f64) (local $fy f64) (local $gx f64) (local $gy f64)
    (local $w00 f64) (local $w01 f64) (local $w10 f64) (local $w11 f64) (local $s i32) (local $s2 i32)
    (local $v f64)
    (block $done (loop $px
      (br_if $done (i32.ge_u (local.get $j) (local.get $n)))
      (br_if $done (i32.eqz (i32.and (i32.and (f64.ge (local.get $x) (f64.const 0)) (f64.ge (local.get $y) (f64.const 0)))
        (i32.and (f64.lt (local.get $x) (local.get $xMax)) (f64.lt (local.get $y) (local.get $yMax))))))
      (local.set $xf (f64.floor (local.get $x)))
      (local.set $yf (f64.floor (local.get $y)))
      (local.set $fx (f64.sub (local.get $x) (local.get $xf)))
      (local.set $fy (f64.sub (local.get $y) (local.get $yf)))
      (local.set $gx (f64.sub (f64.const 1) (local.get $fx)))
      (local.set $gy (f64.sub (f64.const 1) (local.get $fy)))
      (local.set $w00 (f64.mul (local.get $gx) (local.get $gy)))
      (local.set $w01 (f64.mul (local.get $fx) (local.get $gy)))
      (local.set $w10 (f64.mul (local.get $gx) (local.get $fy)))
      (local.set $w11 (f64.mul (local.get $fx) (local.get $fy)))
      (local.set $s (i32.add (local.get $src) (i32.add
        (i32.mul (i32.wrap_i64 (i64.reinterpret_f64 (f64.add (local.get $yf) (f64.const 4503599627370496)))) (local.get $stride))
        (i32.mul (i32.wrap_i64 (i64.reinterpret_f64 (f64.add (local.get $xf) (f64.const 4503599627370496)))) (i32.const 3)))))
      (local.set $s2 (i32.add (local.get $s) (local.get $stride)))
      (local.set $v (f64.add (f64.add (f64.add
        (f64.mul (local.get $w00) (f64.convert_i32_s (i32.load8_u offset=0 (local.get $s))))
        (f64.mul (local.get $w01) (f64.convert_i32_s (i32.load8_u offset=3 (local.get $s)))))
        (f64.mul (local.get $w10) (f64.convert_i32_s (i32.load8_u offset=0 (local.get $s2)))))
        (f64.mul (local.get $w11) (f64.convert_i32_s (i32.load8_u offset=3 (local.get $s2))))))
      (i32.store8 offset=0 (local.get $o)
        (i32.wrap_i64 (i64.reinterpret_f64 (f64.add (f64.nearest (local.get $v)) (f64.const 4503599627370496)))))
      (local.set $v (f64.add (f64.add (f64.add
        (f64.mul (local.get $w00) (f64.convert_i32_s (i32.load8_u offset=1 (local.get $s))))
        (f64.mul (local.get $w01) (f64.convert_i32_s (i32.load8_u offset=4 (local.get $s)))))
        (f64.mul (local.get $w10) (f64.convert_i32_s (i32.load8_u offset=1 (local.get $s2)))))
        (f64.mul (local.get $w11) (f64.convert_i32_s (i32.load8_u offset=4 (local.get $s2))))))
      (i32.store8 offset=1 (local.get $o)
        (i32.wrap_i64 (i64.reinterpret_f64 (f64.add (f64.nearest (local.get $v)) (f64.const 4503599627370496)))))
      (local.set $v (f64.add (f64.add (f64.add
        (f64.mul (local.get $w00) (f64.convert_i32_s (i32.load8_u offset=2 (local.get $s))))
        (f64.mul (local.get $w01) (f64.convert_i32_s (i32.load8_u offset=5 (local.get $s)))))
        (f64.mul (local.get $w10) (f64.convert_i32_s (i32.load8_u offset=2 (local.get $s2)))))
        (f64.mul (local.get $w11) (f64.convert_i32_s (i32.load8_u offset=5 (local.get $s2))))))
      (i32.store8 offset=2 (local.get $o)
        (i32.wrap_i64 (i64.reinterpret_f64 (f64.add (f64.nearest (local.get $v)) (f64.const 4503599627370496)))))
      (local.set $j (i32.add (local.get $j) (i32.const 1)))
      (local.set $o (i32.add (local.get $o) (i32.const 3)))
      (local.set $x (f64.add (local.get $x) (local.get $dx)))
      (local.set $y (f64.add (local.get $y) (local.get $dy)))
      (br $px)))
    (f64.store (local.get $state) (local.get $x))
    (f64.store offset=8 (local.get $state) (local.get $y))
    (local.get $j))

  ;; Gaussian noise per value (noise.ts gaussianNoise, perChannel): a xoshiro128** stream from the state
  ;; (s0, s1, s2, s3), each 32-bit draw giving two values, out = clamp(v + scaled[16 bits]) truncated, v + scaled
  ;; in float64 (exact) as the JS path, then a <= 0 ? 0 : trunc(min(a, 255)) (as floor + 2^52: a is never NaN);
  ;; scaled is the f32[65536] table of mean + std z + 0.5. n values.
  (func (export "gaussianNoise") (param $src i32) (param $dst i32) (param $n i32) (param $scaled i32)
    (param $s0 i32) (param $s1 i32) (param $s2 i32) (param $s3 i32)
    (local $i i32) (local $r i32) (local $t i32) (local $a f64)
    (block $done (loop $px
      (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
      (local.set $r (i32.mul (i32.rotl (i32.mul (local.get $s1) (i32.const 5)) (i32.const 7)) (i32.const 9)))
      (local.set $t (i32.shl (local.get $s1) (i32.const 9)))
      (local.set $s2 (i32.xor (local.get $s2) (local.get $s0)))
      (local.set $s3 (i32.xor (local.get $s3) (local.get $s1)))
      (local.set $s1 (i32.xor (local.get $s1) (local.get $s2)))
      (local.set $s0 (i32.xor (local.get $s0) (local.get $s3)))
      (local.set $s2 (i32.xor (local.get $s2) (local.get $t)))
      (local.set $s3 (i32.rotl (local.get $s3) (i32.const 11)))
      (local.set $a (f64.add (f64.convert_i32_s (i32.load8_u (i32.add (local.get $src) (local.get $i))))
        (f64.promote_f32 (f32.load (i32.add (local.get $scaled) (i32.shl (i32.and (local.get $r) (i32.const 0xffff)) (i32.const 2)))))))
      (i32.store8 (i32.add (local.get $dst) (local.get $i)) (i32.wrap_i64 (i64.reinterpret_f64 (f64.add (f64.floor
        (select (f64.const 0) (select (f64.const 255) (local.get $a) (f64.gt (local.get $a) (f64.const 255)))
          (f64.le (local.get $a) (f64.const 0)))) (f64.const 4503599627370496)))))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
      (local.set $a (f64.add (f64.convert_i32_s (i32.load8_u (i32.add (local.get $src) (local.get $i))))
        (f64.promote_f32 (f32.load (i32.add (local.get $scaled) (i32.shl (i32.shr_u (local.get $r) (i32.const 16)) (i32.const 2)))))))
      (i32.store8 (i32.add (local.get $dst) (local.get $i)) (i32.wrap_i64 (i64.reinterpret_f64 (f64.add (f64.floor
        (select (f64.const 0) (select (f64.const 255) (local.get $a) (f64.gt (local.get $a) (f64.const 255)))
          (f64.le (local.get $a) (f64.const 0)))) (f64.const 4503599627370496)))))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $px))))
)
