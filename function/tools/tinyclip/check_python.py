"""Fails with a clear message when the Debian Python packages the dev tools need are missing."""
import sys

missing = []
for module in ("torch", "onnx", "numpy", "PIL"):
    try:
        __import__(module)
    except ImportError:
        missing.append(module)
if missing:
    sys.exit(f"{sys.executable} lacks {', '.join(missing)}: "
             "run `sudo apt-get install python3-torch python3-onnx python3-numpy python3-pil`")

# Debian's torch links the system BLAS; the reference BLAS (libblas3) makes training ~20x slower.
import os  # noqa: E402

blas = os.path.realpath("/usr/lib/x86_64-linux-gnu/libblas.so.3")
if os.path.exists(blas) and "openblas" not in blas:
    print(f"warning: BLAS is {blas}; `sudo apt-get install libopenblas0-pthread` makes training ~20x faster",
          file=sys.stderr)
