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
