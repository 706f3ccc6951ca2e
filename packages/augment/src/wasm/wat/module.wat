;; WebAssembly SIMD kernels of @striate/augment's typed-array path. Each one gives the same bytes as the
;; JavaScript path it speeds up (the JS path stays as the fallback and the oracle; kernels.test.ts compares them).
;; Compiled by scripts/build-wasm.ts into kernels.gen.ts (base64). All pointers are byte offsets into the exported
;; memory; the caller (kernels.ts) lays out the buffers with slack after each, because some loops read or write
;; up to 16 bytes past the end of a row (always rewritten or ignored, see each kernel).
;; This file is the module's frame: scripts/build-wasm.ts puts the functions of every other .wat file in this
;; folder (one file per op family, in name order) where the marker line is. Fragments share the module: a
;; function of one file (clamp8 in byte-map.wat, flooredLuma and lanes in luma.wat) may be called from another.
(module
  (memory (export "memory") 1)

  ;; @fragments
)
