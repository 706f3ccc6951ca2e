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
