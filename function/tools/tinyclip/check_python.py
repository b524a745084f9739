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
