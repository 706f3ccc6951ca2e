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
