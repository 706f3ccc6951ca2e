  ;; YOLO's HSV jitter in one pass (hsv.ts hsvGains), 4 pixels per step on i32x4 lanes: OpenCV's RGB2HSV_b with
  ;; the 12-bit reciprocal tables sdiv and hdiv (i32[256] each, gathered lane by lane), the gain tables, and back
  ;; with the (hue, saturation) factor table m in 24-bit fixed point (hsv.ts hsvFixedFactors: i32[180 * 256 * 3]):
  ;; channel = (lutV[v] * M + 2^23) >> 24 on u32 lanes, which equals the JS path's float64 trunc(lutV[v] * m + 0.5)
  ;; for every value and factor (kernels.test.ts checks all pairs) and stays below 2^32.
  ;; The gain tables are i32[256], made per call by ops.ts hsvGainsWasm with the factor table's strides folded in:
  ;; lutH[h + 30] = 3072 * gained hue of h (the hue before its wrap to [0, 180) lies in [-30, 150], so the wrap is
  ;; in the table), lutS[s] = 12 * gained saturation, lutV[v] = gained value. The 48 bytes after lutV are scratch:
  ;; lanes go to scalar addresses through one vector store and four i32 loads (cheaper than 4 extract_lane).
  ;; Reads up to 15 bytes past the last pixel and 4 past the last factor (an unused lane); writes up to 13 bytes
  ;; past the last pixel (the lanes of pixels past the end compute on whatever bytes are there: all indices stay
  ;; inside the tables).
  (func (export "hsvGains") (param $src i32) (param $dst i32) (param $npix i32) (param $sdiv i32) (param $hdiv i32)
    (param $lutH i32) (param $lutS i32) (param $lutV i32) (param $m i32)
    (local $end i32) (local $t i32) (local $r v128) (local $g v128) (local $b v128) (local $v v128) (local $d v128)
    (local $sd v128) (local $hd v128) (local $s v128) (local $h v128)
    (local $p0 v128) (local $p1 v128) (local $p2 v128) (local $p3 v128)
    (local $spread v128) (local $pack v128) (local $round v128) (local $half v128)
    (local $sdivs v128) (local $hdivs v128) (local $hs v128) (local $ss v128) (local $vs v128)
    ;; byte 3j of a vector to lane j, zero above (swizzle: lanes of -128 read 0); the 12 low bytes of 4 u8x4 lanes
    (local.set $spread (v128.const i8x16 0 -128 -128 -128 3 -128 -128 -128 6 -128 -128 -128 9 -128 -128 -128))
    (local.set $pack (v128.const i8x16 0 1 2 4 5 6 8 9 10 12 13 14 -128 -128 -128 -128))
    (local.set $round (i32x4.splat (i32.const 2048)))
    (local.set $half (i32x4.splat (i32.const 0x800000)))
    (local.set $sdivs (i32x4.splat (local.get $sdiv)))
    (local.set $hdivs (i32x4.splat (local.get $hdiv)))
    (local.set $hs (i32x4.splat (i32.add (local.get $lutH) (i32.const 120))))
    (local.set $ss (i32x4.splat (local.get $lutS)))
    (local.set $vs (i32x4.splat (local.get $lutV)))
    (local.set $t (i32.add (local.get $lutV) (i32.const 1024)))
    (local.set $end (i32.add (local.get $src) (i32.mul (local.get $npix) (i32.const 3))))
    (block $done (loop $px
      (br_if $done (i32.ge_u (local.get $src) (local.get $end)))
      ;; r, g, b of pixels 0..3 in lanes 0..3: the same swizzle on loads 0, 1 and 2 bytes in
      (local.set $r (i8x16.swizzle (v128.load (local.get $src)) (local.get $spread)))
      (local.set $g (i8x16.swizzle (v128.load offset=1 (local.get $src)) (local.get $spread)))
      (local.set $b (i8x16.swizzle (v128.load offset=2 (local.get $src)) (local.get $spread)))
      (local.set $v (i32x4.max_u (i32x4.max_u (local.get $r) (local.get $g)) (local.get $b)))
      (local.set $d (i32x4.sub (local.get $v) (i32x4.min_u (i32x4.min_u (local.get $r) (local.get $g)) (local.get $b))))
      ;; sdiv[v] and hdiv[diff], gathered through the scratch
      (v128.store (local.get $t) (i32x4.add (local.get $sdivs) (i32x4.shl (local.get $v) (i32.const 2))))
      (v128.store offset=16 (local.get $t) (i32x4.add (local.get $hdivs) (i32x4.shl (local.get $d) (i32.const 2))))
      (local.set $sd (v128.load32_lane 0 (i32.load (local.get $t)) (local.get $sd)))
      (local.set $hd (v128.load32_lane 0 (i32.load offset=16 (local.get $t)) (local.get $hd)))
      (local.set $sd (v128.load32_lane 1 (i32.load offset=4 (local.get $t)) (local.get $sd)))
      (local.set $hd (v128.load32_lane 1 (i32.load offset=20 (local.get $t)) (local.get $hd)))
      (local.set $sd (v128.load32_lane 2 (i32.load offset=8 (local.get $t)) (local.get $sd)))
      (local.set $hd (v128.load32_lane 2 (i32.load offset=24 (local.get $t)) (local.get $hd)))
      (local.set $sd (v128.load32_lane 3 (i32.load offset=12 (local.get $t)) (local.get $sd)))
      (local.set $hd (v128.load32_lane 3 (i32.load offset=28 (local.get $t)) (local.get $hd)))
      (local.set $s (i32x4.shr_s (i32x4.add (i32x4.mul (local.get $d) (local.get $sd)) (local.get $round)) (i32.const 12)))
      ;; (selects, not branches: which channel is the maximum is unpredictable on real images)
      (local.set $h (v128.bitselect (i32x4.sub (local.get $g) (local.get $b))
        (v128.bitselect (i32x4.add (i32x4.sub (local.get $b) (local.get $r)) (i32x4.shl (local.get $d) (i32.const 1)))
          (i32x4.add (i32x4.sub (local.get $r) (local.get $g)) (i32x4.shl (local.get $d) (i32.const 2)))
          (i32x4.eq (local.get $v) (local.get $g)))
        (i32x4.eq (local.get $v) (local.get $r))))
      (local.set $h (i32x4.shr_s (i32x4.add (i32x4.mul (local.get $h) (local.get $hd)) (local.get $round)) (i32.const 12)))
      ;; addresses of lutH[h + 30], lutS[s], lutV[v]; per pixel the factors at m + lutH[.] + lutS[.] times lutV[v]
      (v128.store (local.get $t) (i32x4.add (local.get $hs) (i32x4.shl (local.get $h) (i32.const 2))))
      (v128.store offset=16 (local.get $t) (i32x4.add (local.get $ss) (i32x4.shl (local.get $s) (i32.const 2))))
      (v128.store offset=32 (local.get $t) (i32x4.add (local.get $vs) (i32x4.shl (local.get $v) (i32.const 2))))
      (local.set $p0 (i32x4.shr_u (i32x4.add (i32x4.mul
        (v128.load (i32.add (local.get $m)
          (i32.add (i32.load (i32.load (local.get $t))) (i32.load (i32.load offset=16 (local.get $t))))))
        (v128.load32_splat (i32.load offset=32 (local.get $t)))) (local.get $half)) (i32.const 24)))
      (local.set $p1 (i32x4.shr_u (i32x4.add (i32x4.mul
        (v128.load (i32.add (local.get $m)
          (i32.add (i32.load (i32.load offset=4 (local.get $t))) (i32.load (i32.load offset=20 (local.get $t))))))
        (v128.load32_splat (i32.load offset=36 (local.get $t)))) (local.get $half)) (i32.const 24)))
      (local.set $p2 (i32x4.shr_u (i32x4.add (i32x4.mul
        (v128.load (i32.add (local.get $m)
          (i32.add (i32.load (i32.load offset=8 (local.get $t))) (i32.load (i32.load offset=24 (local.get $t))))))
        (v128.load32_splat (i32.load offset=40 (local.get $t)))) (local.get $half)) (i32.const 24)))
      (local.set $p3 (i32x4.shr_u (i32x4.add (i32x4.mul
        (v128.load (i32.add (local.get $m)
          (i32.add (i32.load (i32.load offset=12 (local.get $t))) (i32.load (i32.load offset=28 (local.get $t))))))
        (v128.load32_splat (i32.load offset=44 (local.get $t)))) (local.get $half)) (i32.const 24)))
      ;; the 4 pixels' bytes (each lane's 4th is the unused factor's) narrowed to 16 bytes, the 12 stored at once
      (v128.store (local.get $dst) (i8x16.swizzle (i8x16.narrow_i16x8_u
        (i16x8.narrow_i32x4_u (local.get $p0) (local.get $p1)) (i16x8.narrow_i32x4_u (local.get $p2) (local.get $p3)))
        (local.get $pack)))
      (local.set $src (i32.add (local.get $src) (i32.const 12)))
      (local.set $dst (i32.add (local.get $dst) (i32.const 12)))
      (br $px))))
