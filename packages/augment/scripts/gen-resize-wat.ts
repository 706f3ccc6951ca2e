/**
 * Generates src/wasm/wat/resize-taps.wat: the resize kernels' loops for k = 2, 4 and 6 taps (resizeH3k2/4/6 and
 * resizeVk2/4/6, dispatched from resize.wat's resizeH3 and resizeV). The loops differ only in how many tap pairs
 * they unroll, so they are written once here. `pnpm build:wasm` runs this first; kernels.test.ts checks that the
 * checked-in file equals a fresh generation. Run: `cd packages/augment && pnpm exec tsx scripts/gen-resize-wat.ts`.
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
const pack4 = (v: string, pre: string) =>
  `(i8x16.swizzle (i8x16.narrow_i16x8_u\n` +
  `${pre}    ${avg(`(i16x8.narrow_i32x4_s ${round(`$${v}0`)} ${round(`$${v}1`)})`)}\n` +
  `${pre}    ${avg(`(i16x8.narrow_i32x4_s ${round(`$${v}2`)} ${round(`$${v}3`)})`)})\n` +
  `${pre}  (local.get $pk))`;
const pack3 = (v: string, pre: string) =>
  `(i8x16.narrow_i16x8_u\n` +
  `${pre}    ${avg(`(i16x8.narrow_i32x4_s ${round(`$${v}0`)} ${round(`$${v}1`)})`)}\n` +
  `${pre}    ${avg(`(i16x8.narrow_i32x4_s ${round(`$${v}2`)} (local.get $zero))`)})`;
const pack1 = (v: string) =>
  `(i32x4.extract_lane 0 (i8x16.narrow_i16x8_u ${avg(`(i16x8.narrow_i32x4_s ${round(v)} (local.get $zero))`)} (local.get $zero)))`;

function hFunc(P: number): void {
  const K = 2 * P;
  L(`  ;; resizeH3 for k = ${K}.`);
  L(
    `  (func $resizeH3k${K} (param $src i32) (param $stride i32) (param $rows i32) (param $outW i32) (param $offs i32)`,
  );
  L(`    (param $wts i32) (param $dst i32)`);
  L(`    (local $y i32) (local $row i32) (local $s i32) (local $t i32) (local $w i32) (local $of i32) (local $o0 i32)`);
  L(
    `    (local $ofEnd4 i32) (local $ofEnd i32) (local $rowLen i32) (local $dB i32) (local $first4 i32) (local $rowB i32)`,
  );
  L(`    (local $a0 v128) (local $a1 v128) (local $a2 v128) (local $a3 v128)`);
  L(`    (local $b0 v128) (local $b1 v128) (local $b2 v128) (local $b3 v128) (local $wv v128) (local $zero v128)`);
  L(`    (local $sw v128) (local $m0 v128) (local $m1 v128) (local $m2 v128) (local $pk v128)`);
  L(`    (local.set $sw (v128.const i8x16 0 128 3 128 1 128 4 128 2 128 5 128 128 128 128 128))`);
  L(`    (local.set $m0 (v128.const i8x16 0 128 3 128 1 128 4 128 2 128 5 128 6 128 9 128))`);
  L(`    (local.set $m1 (v128.const i8x16 1 128 4 128 2 128 5 128 6 128 9 128 7 128 10 128))`);
  L(`    (local.set $m2 (v128.const i8x16 2 128 5 128 6 128 9 128 7 128 10 128 8 128 11 128))`);
  L(`    (local.set $pk (v128.const i8x16 0 1 2 4 5 6 8 9 10 12 13 14 128 128 128 128))`);
  L(
    `    (local.set $ofEnd4 (i32.add (local.get $offs) (i32.shl (i32.and (local.get $outW) (i32.const -4)) (i32.const 2))))`,
  );
  L(`    (local.set $ofEnd (i32.add (local.get $offs) (i32.shl (local.get $outW) (i32.const 2))))`);
  L(`    (local.set $rowLen (i32.mul (local.get $outW) (i32.const 3)))`);
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
    const storeFirst = (p2: string) => {
      if (two) {
        L(`${p2}(if (i32.eq (local.get $of) (local.get $offs))`);
        L(`${p2}  (then (local.set $first4 (i32.load (local.get $dB)))))`);
      }
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
      L(`${pre}    (v128.store (local.get ${dstOf[v]}) ${pack3(v, `${pre}    `)})`);
    }
    storeFirst(`${pre}    `);
    advance(`${pre}    `, 4, 12);
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
      L(`${pre}    (v128.store (local.get ${dstOf[v]}) ${pack4(v, `${pre}    `)})`);
    }
    storeFirst(`${pre}    `);
    advance(`${pre}    `, 4, 12);
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
    for (const v of rowsV) L(`${pre}  (i32.store (local.get ${dstOf[v]}) ${pack1(`$${v}0`)})`);
    advance(`${pre}  `, 1, 3);
    L(`${pre}  (br $tl)))`);
  };
  L(`    ;; pairs of rows`);
  L(`    (block $pdone (loop $pairs`);
  L(`      (br_if $pdone (i32.ge_u (i32.add (local.get $y) (i32.const 1)) (local.get $rows)))`);
  L(`      (local.set $row (i32.add (local.get $src) (i32.mul (local.get $y) (local.get $stride))))`);
  L(`      (local.set $dB (i32.add (local.get $dst) (local.get $rowLen)))`);
  L(`      (local.set $rowB (i32.add (local.get $row) (local.get $stride)))`);
  body(true, '      ');
  L(`      ;; the second row's first four bytes again (the first row's last store spilled into them)`);
  L(`      (i32.store (local.get $dst) (local.get $first4))`);
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

function vFunc(P: number): void {
  const K = 2 * P;
  L(`  ;; resizeV for k = ${K}.`);
  L(
    `  (func $resizeVk${K} (param $mid i32) (param $rowLen i32) (param $outH i32) (param $rowOffs i32) (param $wts i32)`,
  );
  L(`    (param $out i32)`);
  L(`    (local $y i32) (local $a i32) (local $end i32) (local $o i32) (local $r2 i32)`);
  L(`    (local $w0 v128) (local $w1 v128) (local $w2 v128) (local $va v128) (local $vb v128) (local $lo v128)`);
  L(
    `    (local $hi v128) (local $acc0 v128) (local $acc1 v128) (local $acc2 v128) (local $acc3 v128) (local $zero v128)`,
  );
  L(`    (local.set $r2 (i32.shl (local.get $rowLen) (i32.const 1)))`);
  L(`    (local.set $o (local.get $out))`);
  L(`    (block $done (loop $rowsl`);
  L(`      (br_if $done (i32.ge_u (local.get $y) (local.get $outH)))`);
  L(`      (local.set $a (i32.add (local.get $mid) (i32.load (local.get $rowOffs))))`);
  L(`      (local.set $end (i32.add (local.get $a) (local.get $rowLen)))`);
  for (let p = 0; p < P; p++) L(`      (local.set $w${p} (v128.load32_splat offset=${4 * p} (local.get $wts)))`);
  L(`      (loop $xl`);
  for (let p = 0; p < P; p++) {
    const A = [
      '(local.get $a)',
      '(i32.add (local.get $a) (local.get $r2))',
      '(i32.add (local.get $a) (i32.shl (local.get $r2) (i32.const 1)))',
    ][p];
    L(`        (local.set $va (v128.load ${A}))`);
    L(`        (local.set $vb (v128.load (i32.add ${A} (local.get $rowLen))))`);
    L(
      `        (local.set $lo (i8x16.shuffle 0 16 1 17 2 18 3 19 4 20 5 21 6 22 7 23 (local.get $va) (local.get $vb)))`,
    );
    L(
      `        (local.set $hi (i8x16.shuffle 8 24 9 25 10 26 11 27 12 28 13 29 14 30 15 31 (local.get $va) (local.get $vb)))`,
    );
    const parts = [
      ['0', 'low', 'lo'],
      ['1', 'high', 'lo'],
      ['2', 'low', 'hi'],
      ['3', 'high', 'hi'],
    ];
    for (const [n, e, src] of parts) {
      const d = `(i32x4.dot_i16x8_s (i16x8.extend_${e}_i8x16_u (local.get $${src})) (local.get $w${p}))`;
      L(`        (local.set $acc${n} ${p === 0 ? d : `(i32x4.add (local.get $acc${n}) ${d})`})`);
    }
  }
  L(`        (v128.store (local.get $o) (i8x16.narrow_i16x8_u`);
  L(`          ${avg(`(i16x8.narrow_i32x4_s ${round('$acc0')} ${round('$acc1')})`)}`);
  L(`          ${avg(`(i16x8.narrow_i32x4_s ${round('$acc2')} ${round('$acc3')})`)}))`);
  L(`        (local.set $o (i32.add (local.get $o) (i32.const 16)))`);
  L(`        (local.set $a (i32.add (local.get $a) (i32.const 16)))`);
  L(`        (br_if $xl (i32.lt_u (local.get $a) (local.get $end))))`);
  L(`      ;; the row's last step went up to 15 bytes past it: the next row starts right after the row`);
  L(`      (local.set $o (i32.sub (local.get $o) (i32.sub (local.get $a) (local.get $end))))`);
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
  for (const P of [1, 2, 3]) vFunc(P);
  return `${out.join('\n')}\n`;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  writeFileSync(TAPS_WAT_PATH, resizeTapsWat());
  console.log(`wrote ${TAPS_WAT_PATH}`);
}
