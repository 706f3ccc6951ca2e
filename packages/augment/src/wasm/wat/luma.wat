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
