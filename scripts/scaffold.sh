#!/usr/bin/env bash
# one-off generator used to create the package skeletons (kept for reference; not run by CI)
set -euo pipefail
mk() { # dir name description
  local dir=$1 name=$2 desc=$3
  mkdir -p "$dir/src"
  cat > "$dir/package.json" <<JSON
{
  "name": "$name",
  "version": "0.0.0",
  "description": "$desc",
  "license": "Apache-2.0",
  "type": "module",
  "sideEffects": false,
  "exports": {
    ".": {
      "@striate/source": "./src/index.ts",
      "types": "./dist/index.d.ts",
      "default": "./dist/index.js"
    },
    "./package.json": "./package.json"
  },
  "types": "./dist/index.d.ts",
  "files": ["dist", "src", "!src/**/*.test.ts", "!src/**/*.bench.ts"],
  "scripts": {
    "build": "tsup",
    "typecheck": "tsc --noEmit -p tsconfig.json",
    "lint": "publint --strict",
    "test": "vitest run",
    "bench": "tsx --conditions=@striate/source ../../scripts/run-benches.ts"
  }
}
JSON
  cat > "$dir/tsconfig.json" <<JSON
{
  "extends": "../../tsconfig.base.json",
  "compilerOptions": { "noEmit": true },
  "include": ["src"]
}
JSON
  cat > "$dir/tsup.config.ts" <<TS
import { defineConfig } from 'tsup';

export default defineConfig({
  entry: ['src/index.ts'],
  format: ['esm'],
  dts: true,
  sourcemap: true,
  clean: true,
  target: 'es2022',
});
TS
  cat > "$dir/vitest.config.ts" <<TS
import { defineProject } from 'vitest/config';

export default defineProject({
  resolve: { conditions: ['@striate/source'] },
  ssr: { resolve: { conditions: ['@striate/source'] } },
  test: { name: '$name', include: ['src/**/*.test.ts'] },
});
TS
}
mk packages/core @striate/core "Tensors, dtypes, shape arithmetic, boxes, seeded RNG, initializers, safetensors, the graph IR, the Module API and the reference backend"
mk packages/onnx @striate/onnx "striate graphs to and from ONNX"
mk packages/backend-ort @striate/backend-ort "Run striate graphs on ONNX Runtime (node: cpu, webgpu; web: wasm, webgpu)"
mk packages/backend-tfjs @striate/backend-tfjs "Run striate graphs on TensorFlow.js (cpu, wasm, webgpu) and train them"
mk packages/backbones @striate/backbones "Classic CNN backbones, LeNet-5 to EfficientNet, with torchvision parameter names"
mk packages/detection @striate/detection "Anchors, box coding, NMS, RoI ops, detection heads and COCO evaluation"
mk packages/segmentation @striate/segmentation "FCN, UNet, the Mask R-CNN mask head, mask ops and segmentation metrics"
mk packages/augment @striate/augment "Seeded, box- and mask-aware image augmentation"
mk bench @striate/bench "Speed and accuracy of striate models across backends on real data"
