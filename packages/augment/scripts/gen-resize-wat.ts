/**
 * Generates src/wasm/wat/resize-taps.wat: the resize kernels' loops for k = 2, 4 and 6 taps (resizeH3k2/4/6,
 * resizeVk2/4/6 and resizeV16k2/4/6, dispatched from resize.wat's resizeH3, resizeV and resizeV16). The loops
 * differ only in how many tap pairs they unroll (and resizeV16 from resizeV in how rows are widened), so they are
 * written once here. `pnpm build:wasm` runs this first; kernels.test.ts checks that the checked-in file equals a
 * fresh generation. Run: `cd packages/augment && pnpm exec tsx scripts/gen-resize-wat.ts`.
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const TAPS_WAT_PATH = fileURLToPath(new URL('../src/wasm/wat/resize-taps.wat', import.meta.url));

const out: string[] = [];
const L = (s: string) => out.push(s);
const dot = (load: string, mask: string, w: string) => `(i32x4.dot_i16x8_s (i8x16.swizzle ${load} ${mask}) ${w})`;
const SW = '(local.get $sw)';
const M = ['(local.get $m0)', '(local.get $m1)', '(local.get $m2)'];
const round = (v: string) => `(i32x4.shr_s (local.get ${v}) (i32.const 13))`;
const avg = (x: string) => `(i16x8.avgr_u ${x} (local.get $zero))`;
/** The sums in accumulators x and y (y '': zeros) rounded as the JS path's, (2^13 + sum) >> 14, as 16-bit lanes. */
const pack16 = (x: string, y: string) =>
  avg(`(i16x8.narrow_i32x4_s ${round(x)} ${y === '' ? '(local.get $zero)' : round(y)})`);

function hFunc(P: number): void {
  const K = 2 * P;
  L(`  ;; resizeH3 for k = ${K}.`);
  L(
    `  (func $resizeH3k${K} (param $src i32) (param $stride i32) (param $rows i32) (param $outW i32) (param $offs i32)`,
  );
  L(`    (param $wts i32) (param $dst i32)`);
  L(`    (local $y i32) (local $row i32) (local $s i32) (local $t i32) (local $w i32) (local $of i32) (local $o0 i32)`);
  L(`    (local $ofEnd4 i32) (local $ofEnd i32) (local $rowLen i32) (local $dB i32) (local $rowB i32)`);
  L(`    (local $a0 v128) (local $a1 v128) (local $a2 v128) (local $a3 v128)`);
  L(`    (local $b0 v128) (local $b1 v128) (local $b2 v128) (local $b3 v128) (local $wv v128) (local $zero v128)`);
  L(`    (local $sw v128) (local $m0 v128) (local $m1 v128) (local $m2 v128) (local $n0 v128) (local $n1 v128)`);
  L(`    (local.set $sw (v128.const i8x16 0 128 3 128 1 128 4 128 2 128 5 128 128 128 128 128))`);
  L(`    (local.set $m0 (v128.const i8x16 0 128 3 128 1 128 4 128 2 128 5 128 6 128 9 128))`);
  L(`    (local.set $m1 (v128.const i8x16 1 128 4 128 2 128 5 128 6 128 9 128 7 128 10 128))`);
  L(`    (local.set $m2 (v128.const i8x16 2 128 5 128 6 128 9 128 7 128 10 128 8 128 11 128))`);
  L(
    `    (local.set $ofEnd4 (i32.add (local.get $offs) (i32.shl (i32.and (local.get $outW) (i32.const -4)) (i32.const 2))))`,
  );
  L(`    (local.set $ofEnd (i32.add (local.get $offs) (i32.shl (local.get $outW) (i32.const 2))))`);
  L(`    (local.set $rowLen (i32.mul (local.get $outW) (i32.const 6)))`);
  // one pass over a row, or two (rows at $row and $rowB)
  const body = (two: boolean, pre: string) => {
    const rowsV = two ? ['a', 'b'] : ['a'];
    const ptr: Record<string, string> = { a: '$s', b: '$t' };
    const dstOf: Record<string, string> = { a: '$dst', b: '$dB' };
    const advance = (p2: string, px: number, bytes: number) => {
      for (const v of rowsV) L(`${p2}(local.set ${dstOf[v]} (i32.add (local.get ${dstOf[v]}) (i32.const ${bytes})))`);
      L(`${p2}(local.set $w (i32.add (local.get $w) (i32.const ${16 * P * px})))`);
      L(`${p2}(local.set $of (i32.add (local.get $of) (i32.const ${4 * px})))`);
    };
    L(`${pre}(local.set $w (local.get $wts))`);
    L(`${pre}(local.set $of (local.get $offs))`);
    L(`${pre}(block $gd (loop $gl`);
    L(`${pre}  ;; a run of groups of four pixels two apart: [R0 G0 B0 R1] [G1 B1 R2 G2] [B2 R3 G3 B3] from loads at`);
    L(`${pre}  ;; 0, 6 and 12 (plus 6 per tap pair)`);
    L(`${pre}  (block $ud (loop $ul`);
    L(`${pre}    (br_if $gd (i32.ge_u (local.get $of) (local.get $ofEnd4)))`);
    L(`${pre}    (local.set $o0 (i32.load (local.get $of)))`);
    L(`${pre}    (br_if $ud (i32.ge_s (local.get $o0) (i32.const 0)))`);
    L(`${pre}    (local.set $s (i32.add (local.get $row) (i32.and (local.get $o0) (i32.const 0x7fffffff))))`);
    if (two) L(`${pre}    (local.set $t (i32.add (local.get $s) (local.get $stride)))`);
    for (const v of rowsV) {
      for (let j = 0; j < 3; j++) {
        for (let p = 0; p < P; p++) {
          const d = dot(
            `(v128.load offset=${6 * j + 6 * p} (local.get ${ptr[v]}))`,
            M[j],
            `(v128.load offset=${16 * (3 * p + j)} (local.get $w))`,
          );
          L(`${pre}    (local.set $${v}${j} ${p === 0 ? d : `(i32x4.add (local.get $${v}${j}) ${d})`})`);
        }
      }
      L(`${pre}    (v128.store (local.get ${dstOf[v]}) ${pack16(`$${v}0`, `$${v}1`)})`);
      L(`${pre}    (v128.store64_lane offset=16 0 (local.get ${dstOf[v]}) ${pack16(`$${v}2`, '')})`);
    }
    advance(`${pre}    `, 4, 24);
    L(`${pre}    (br $ul)))`);
    L(`${pre}  ;; a run of other groups: [R G B 0] per pixel`);
    L(`${pre}  (block $nd (loop $nl`);
    L(`${pre}    (br_if $gd (i32.ge_u (local.get $of) (local.get $ofEnd4)))`);
    L(`${pre}    (local.set $o0 (i32.load (local.get $of)))`);
    L(`${pre}    (br_if $nd (i32.lt_s (local.get $o0) (i32.const 0)))`);
    for (const v of rowsV) {
      for (let i = 0; i < 4; i++) {
        const o = i === 0 ? '(local.get $o0)' : `(i32.load offset=${4 * i} (local.get $of))`;
        L(`${pre}    (local.set ${ptr[v]} (i32.add (local.get ${v === 'a' ? '$row' : '$rowB'}) ${o}))`);
        for (let p = 0; p < P; p++) {
          const d = dot(
            `(v128.load64_zero offset=${6 * p} (local.get ${ptr[v]}))`,
            SW,
            `(v128.load offset=${16 * (P * i + p)} (local.get $w))`,
          );
          L(`${pre}    (local.set $${v}${i} ${p === 0 ? d : `(i32x4.add (local.get $${v}${i}) ${d})`})`);
        }
      }
      // [R0 G0 B0 0 R1 G1 B1 0] and [R2 G2 B2 0 R3 G3 B3 0] to [R0 G0 B0 R1 G1 B1 R2 G2] [B2 R3 G3 B3]
      L(`${pre}    (local.set $n0 ${pack16(`$${v}0`, `$${v}1`)})`);
      L(`${pre}    (local.set $n1 ${pack16(`$${v}2`, `$${v}3`)})`);
      L(`${pre}    (v128.store (local.get ${dstOf[v]})`);
      L(`${pre}      (i8x16.shuffle 0 1 2 3 4 5 8 9 10 11 12 13 16 17 18 19 (local.get $n0) (local.get $n1)))`);
      L(`${pre}    (v128.store64_lane offset=16 0 (local.get ${dstOf[v]})`);
      L(`${pre}      (i8x16.shuffle 4 5 8 9 10 11 12 13 4 5 8 9 10 11 12 13 (local.get $n1) (local.get $n1)))`);
    }
    advance(`${pre}    `, 4, 24);
    L(`${pre}    (br $nl)))`);
    L(`${pre}  (br $gl)))`);
    L(`${pre};; the last outW mod 4 pixels`);
    L(`${pre}(block $td (loop $tl`);
    L(`${pre}  (br_if $td (i32.ge_u (local.get $of) (local.get $ofEnd)))`);
    L(`${pre}  (local.set $s (i32.add (local.get $row) (i32.load (local.get $of))))`);
    if (two) L(`${pre}  (local.set $t (i32.add (local.get $s) (local.get $stride)))`);
    for (let p = 0; p < P; p++) {
      L(`${pre}  (local.set $wv (v128.load offset=${16 * p} (local.get $w)))`);
      for (const v of rowsV) {
        const d = dot(`(v128.load64_zero offset=${6 * p} (local.get ${ptr[v]}))`, SW, '(local.get $wv)');
        L(`${pre}  (local.set $${v}0 ${p === 0 ? d : `(i32x4.add (local.get $${v}0) ${d})`})`);
      }
    }
    for (const v of rowsV) {
      L(`${pre}  (local.set $n0 ${pack16(`$${v}0`, '')})`);
      L(`${pre}  (v128.store32_lane 0 (local.get ${dstOf[v]}) (local.get $n0))`);
      L(`${pre}  (v128.store16_lane offset=4 2 (local.get ${dstOf[v]}) (local.get $n0))`);
    }
    advance(`${pre}  `, 1, 6);
    L(`${pre}  (br $tl)))`);
  };
  L(`    ;; pairs of rows`);
  L(`    (block $pdone (loop $pairs`);
  L(`      (br_if $pdone (i32.ge_u (i32.add (local.get $y) (i32.const 1)) (local.get $rows)))`);
  L(`      (local.set $row (i32.add (local.get $src) (i32.mul (local.get $y) (local.get $stride))))`);
  L(`      (local.set $dB (i32.add (local.get $dst) (local.get $rowLen)))`);
  L(`      (local.set $rowB (i32.add (local.get $row) (local.get $stride)))`);
  body(true, '      ');
  L(`      (local.set $dst (local.get $dB))`);
  L(`      (local.set $y (i32.add (local.get $y) (i32.const 2)))`);
  L(`      (br $pairs)))`);
  L(`    ;; a last single row`);
  L(`    (if (i32.lt_u (local.get $y) (local.get $rows)) (then`);
  L(`      (local.set $row (i32.add (local.get $src) (i32.mul (local.get $y) (local.get $stride))))`);
  body(false, '      ');
  L(`    )))`);
  L('');
}

/**
 * Sets $e0..$e3 to the rows of tap pair q of the window at $a (rows 2 q and 2 q + 1, $r2 bytes per two rows)
 * interleaved as 16-bit pairs [a b] for i32x4.dot_i16x8_s, columns 0-3, 4-7, 8-11 and 12-15 of the step. Bytes
 * (`wide` false): the two rows' 16 bytes interleaved, then widened; 16-bit rows (`wide`): their 2 x 8 values
 * interleaved.
 */
function widened(q: number, wide: boolean, pre: string): void {
  const A = q === 0 ? '(local.get $a)' : `(i32.add (local.get $a) (i32.mul (local.get $r2) (i32.const ${q})))`;
  const B = `(i32.add ${A} (local.get $rb))`;
  if (wide) {
    const lo = '0 1 16 17 2 3 18 19 4 5 20 21 6 7 22 23';
    const hi = '8 9 24 25 10 11 26 27 12 13 28 29 14 15 30 31';
    L(`${pre}(local.set $va (v128.load ${A}))`);
    L(`${pre}(local.set $vb (v128.load ${B}))`);
    L(`${pre}(local.set $e0 (i8x16.shuffle ${lo} (local.get $va) (local.get $vb)))`);
    L(`${pre}(local.set $e1 (i8x16.shuffle ${hi} (local.get $va) (local.get $vb)))`);
    L(`${pre}(local.set $va (v128.load offset=16 ${A}))`);
    L(`${pre}(local.set $vb (v128.load offset=16 ${B}))`);
    L(`${pre}(local.set $e2 (i8x16.shuffle ${lo} (local.get $va) (local.get $vb)))`);
    L(`${pre}(local.set $e3 (i8x16.shuffle ${hi} (local.get $va) (local.get $vb)))`);
    return;
  }
  L(`${pre}(local.set $va (v128.load ${A}))`);
  L(`${pre}(local.set $vb (v128.load ${B}))`);
  L(`${pre}(local.set $lo (i8x16.shuffle 0 16 1 17 2 18 3 19 4 20 5 21 6 22 7 23 (local.get $va) (local.get $vb)))`);
  L(
    `${pre}(local.set $hi (i8x16.shuffle 8 24 9 25 10 26 11 27 12 28 13 29 14 30 15 31 (local.get $va) (local.get $vb)))`,
  );
  L(`${pre}(local.set $e0 (i16x8.extend_low_i8x16_u (local.get $lo)))`);
  L(`${pre}(local.set $e1 (i16x8.extend_high_i8x16_u (local.get $lo)))`);
  L(`${pre}(local.set $e2 (i16x8.extend_low_i8x16_u (local.get $hi)))`);
  L(`${pre}(local.set $e3 (i16x8.extend_high_i8x16_u (local.get $hi)))`);
}

/** $acc0..3 (or $bcc0..3) plus (or set to, `first`) the dot of $e0..3 with weights `w`. */
function accumulate(acc: string, w: string, first: boolean, pre: string): void {
  for (let n = 0; n < 4; n++) {
    const d = `(i32x4.dot_i16x8_s (local.get $e${n}) (local.get ${w}))`;
    L(`${pre}(local.set $${acc}${n} ${first ? d : `(i32x4.add (local.get $${acc}${n}) ${d})`})`);
  }
}

/** The 16 output bytes of $acc0..3 (or $bcc0..3). */
const packV = (acc: string, pre: string) =>
  `(i8x16.narrow_i16x8_u\n${pre}  ${pack16(`$${acc}0`, `$${acc}1`)}\n${pre}  ${pack16(`$${acc}2`, `$${acc}3`)})`;

/**
 * resizeV's step over two output rows y and y + 1 whose windows start two rows apart (rowOffs[y + 1] = rowOffs[y]
 * + $r2, as in a 2x downscale): they share P - 1 of their tap pairs, whose interleaved rows are made once (P + 1
 * pairs for both rows instead of 2 P). Row y's last step spills up to 15 bytes into row y + 1's first bytes, which
 * are kept from its first step ($first) and stored again after the loop.
 */
function vPair(P: number, wide: boolean): void {
  L(`      (if (i32.and (i32.lt_u (i32.add (local.get $y) (i32.const 1)) (local.get $outH))`);
  L(
    `          (i32.eq (i32.load offset=4 (local.get $rowOffs)) (i32.add (i32.load (local.get $rowOffs)) (local.get $r2))))`,
  );
  L(`        (then`);
  for (let p = 0; p < P; p++) {
    L(`          (local.set $w${p} (v128.load32_splat offset=${4 * p} (local.get $wts)))`);
    L(`          (local.set $u${p} (v128.load32_splat offset=${4 * (P + p)} (local.get $wts)))`);
  }
  L(`          (local.set $o0 (local.get $o))`);
  L(`          (loop $xl2`);
  for (let q = 0; q <= P; q++) {
    widened(q, wide, '            ');
    if (q < P) accumulate('acc', `$w${q}`, q === 0, '            ');
    if (q > 0) accumulate('bcc', `$u${q - 1}`, q === 1, '            ');
  }
  L(`            (v128.store (local.get $o) ${packV('acc', '              ')})`);
  L(`            (local.set $pb ${packV('bcc', '              ')})`);
  L(`            (v128.store (i32.add (local.get $o) (local.get $rowLen)) (local.get $pb))`);
  L(`            (if (i32.eq (local.get $o) (local.get $o0)) (then (local.set $first (local.get $pb))))`);
  L(`            (local.set $o (i32.add (local.get $o) (i32.const 16)))`);
  L(`            (local.set $a (i32.add (local.get $a) (i32.const ${wide ? 32 : 16})))`);
  L(`            (br_if $xl2 (i32.lt_u (local.get $a) (local.get $end))))`);
  L(`          (v128.store (i32.add (local.get $o0) (local.get $rowLen)) (local.get $first))`);
  L(`          ;; both rows done: the next starts after them`);
  L(`          (local.set $o (i32.add (local.get $o0) (i32.shl (local.get $rowLen) (i32.const 1))))`);
  L(`          (local.set $rowOffs (i32.add (local.get $rowOffs) (i32.const 8)))`);
  L(`          (local.set $wts (i32.add (local.get $wts) (i32.const ${8 * P})))`);
  L(`          (local.set $y (i32.add (local.get $y) (i32.const 2)))`);
  L(`          (br $rowsl)))`);
}

/** resizeV (`wide`: resizeV16, 16-bit rows in mid) for k = 2 P. */
function vFunc(P: number, wide: boolean): void {
  const K = 2 * P;
  const name = wide ? `resizeV16k${K}` : `resizeVk${K}`;
  L(`  ;; ${wide ? 'resizeV16' : 'resizeV'} for k = ${K}.`);
  L(`  (func $${name} (param $mid i32) (param $rowLen i32) (param $outH i32) (param $rowOffs i32) (param $wts i32)`);
  L(`    (param $out i32)`);
  L(
    `    (local $y i32) (local $a i32) (local $end i32) (local $o i32) (local $rb i32) (local $r2 i32) (local $o0 i32)`,
  );
  L(`    (local $w0 v128) (local $w1 v128) (local $w2 v128) (local $u0 v128) (local $u1 v128) (local $u2 v128)`);
  L(`    (local $va v128) (local $vb v128) (local $lo v128) (local $hi v128) (local $e0 v128) (local $e1 v128)`);
  L(
    `    (local $e2 v128) (local $e3 v128) (local $acc0 v128) (local $acc1 v128) (local $acc2 v128) (local $acc3 v128)`,
  );
  L(
    `    (local $bcc0 v128) (local $bcc1 v128) (local $bcc2 v128) (local $bcc3 v128) (local $pb v128) (local $first v128)`,
  );
  L(`    (local $zero v128)`);
  L(`    ;; bytes per row of mid, and per two rows`);
  L(`    (local.set $rb ${wide ? '(i32.shl (local.get $rowLen) (i32.const 1))' : '(local.get $rowLen)'})`);
  L(`    (local.set $r2 (i32.shl (local.get $rb) (i32.const 1)))`);
  L(`    (local.set $o (local.get $out))`);
  L(`    (block $done (loop $rowsl`);
  L(`      (br_if $done (i32.ge_u (local.get $y) (local.get $outH)))`);
  L(`      (local.set $a (i32.add (local.get $mid) (i32.load (local.get $rowOffs))))`);
  L(`      (local.set $end (i32.add (local.get $a) (local.get $rb)))`);
  if (P > 1) vPair(P, wide);
  for (let p = 0; p < P; p++) L(`      (local.set $w${p} (v128.load32_splat offset=${4 * p} (local.get $wts)))`);
  L(`      (loop $xl`);
  for (let p = 0; p < P; p++) {
    widened(p, wide, '        ');
    accumulate('acc', `$w${p}`, p === 0, '        ');
  }
  L(`        (v128.store (local.get $o) ${packV('acc', '          ')})`);
  L(`        (local.set $o (i32.add (local.get $o) (i32.const 16)))`);
  L(`        (local.set $a (i32.add (local.get $a) (i32.const ${wide ? 32 : 16})))`);
  L(`        (br_if $xl (i32.lt_u (local.get $a) (local.get $end))))`);
  L(`      ;; the row's last step went up to 15 bytes past it: the next row starts right after the row`);
  L(
    `      (local.set $o (i32.sub (local.get $o) ${wide ? '(i32.shr_u (i32.sub (local.get $a) (local.get $end)) (i32.const 1))' : '(i32.sub (local.get $a) (local.get $end))'}))`,
  );
  L(`      (local.set $rowOffs (i32.add (local.get $rowOffs) (i32.const 4)))`);
  L(`      (local.set $wts (i32.add (local.get $wts) (i32.const ${4 * P})))`);
  L(`      (local.set $y (i32.add (local.get $y) (i32.const 1)))`);
  L(`      (br $rowsl))))`);
  L('');
}

/** The text of resize-taps.wat. */
export function resizeTapsWat(): string {
  out.length = 0;
  L("  ;; Generated by scripts/gen-resize-wat.ts (the per-k loops of resize.wat's kernels): do not edit.");
  for (const P of [1, 2, 3]) hFunc(P);
  for (const wide of [false, true]) for (const P of [1, 2, 3]) vFunc(P, wide);
  return `${out.join('\n')}\n`;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  writeFileSync(TAPS_WAT_PATH, resizeTapsWat());
  console.log(`wrote ${TAPS_WAT_PATH}`);
}
