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
