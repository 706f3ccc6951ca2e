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
