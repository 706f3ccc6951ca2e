#!/usr/bin/env python3
"""Re-measures the OpenCV side of src/augment.bench.ts (issue #8) where Python 3 and OpenCV are installed
(Debian: apt install python3-opencv). Same image size and ops, one thread, median of many runs, milliseconds.

Run: python3 packages/augment/scripts/opencv-bench.py [--json]
(Debian's python3-opencv is for /usr/bin/python3; a pyenv or venv python3 earlier on PATH will not see it.)
With --json it prints one JSON object instead of the table: {"opencv": version, "python": version,
"ms": {op: median ms}, "min_ms": {op: min ms}, "samples": {op: count}}; src/augment.bench.ts runs it that way for a same-run reference.
"""
import json
import platform
import sys
import time

try:
    import cv2
    import numpy as np
except ImportError as e:  # fail loudly: this script only makes sense with OpenCV
    sys.exit(f"opencv-bench: needs numpy and OpenCV (python3-opencv): {e}")

cv2.setNumThreads(1)
H, W = 480, 640
rng = np.random.default_rng(1)
img = rng.integers(0, 256, size=(H, W, 3), dtype=np.uint8)
center = (W / 2, H / 2)
rot = cv2.getRotationMatrix2D(center, 15, 1.0)
noise_out = np.empty_like(img)


def hsv_round_trip():
    hsv = cv2.cvtColor(img, cv2.COLOR_RGB2HSV)
    return cv2.cvtColor(hsv, cv2.COLOR_HSV2RGB)


def gaussian_noise():
    n = np.empty(img.shape, np.int16)
    cv2.randn(n, 0, 10)
    return cv2.add(img, n, dtype=cv2.CV_8U, dst=noise_out)


OPS = {
    "hflip": lambda: cv2.flip(img, 1),
    "rotate 15 bilinear": lambda: cv2.warpAffine(img, rot, (W, H), flags=cv2.INTER_LINEAR),
    "resize to 320x240": lambda: cv2.resize(img, (320, 240), interpolation=cv2.INTER_LINEAR),
    "crop + resize to 224": lambda: cv2.resize(img[:, 80:560], (224, 224), interpolation=cv2.INTER_LINEAR),
    "brightness/contrast": lambda: cv2.convertScaleAbs(img, alpha=1.2, beta=-10),
    "HSV round trip": hsv_round_trip,
    "Gaussian noise": gaussian_noise,
}

as_json = "--json" in sys.argv[1:]
if not as_json:
    print(f"OpenCV {cv2.__version__}, 640x480 RGB uint8, one thread")
result = {"opencv": cv2.__version__, "python": platform.python_version(), "ms": {}, "min_ms": {}, "samples": {}}
for name, fn in OPS.items():
    for _ in range(10):
        fn()
    times = []
    deadline = time.perf_counter() + 0.5
    while time.perf_counter() < deadline or len(times) < 20:
        t = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t) * 1e3)
    times.sort()
    result["ms"][name] = times[len(times) // 2]
    result["min_ms"][name] = times[0]
    result["samples"][name] = len(times)
    if not as_json:
        print(f"{name:24s} {times[len(times) // 2]:.3f} ms (median of {len(times)}, min {times[0]:.3f})")
if as_json:
    print(json.dumps(result))
