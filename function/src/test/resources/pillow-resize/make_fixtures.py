#!/usr/bin/python3
"""Writes the Pillow resize fixtures beside this script (dev tool; make test never runs it).

Each input image goes through what transformers' CLIPImageProcessor does before rescaling:
PIL convert("RGB"), shortest side to 224 with Image.BICUBIC (size computed as
get_resize_output_image_size does), centre crop 224 (top = (h - 224) // 2). The expected crop is
saved as a lossless PNG; ClipImagePreprocessorTest compares Java's pixels with it.
Deterministic: fixed seed, no dependency on the time or the machine. Pillow 9.4 was used.
"""
import os
import random
from PIL import Image, ImageDraw

HERE = os.path.dirname(os.path.abspath(__file__))
rng = random.Random(7)


def scene(mode, w, h):
    img = Image.new("RGB", (w, h))
    px = img.load()
    for y in range(h):
        for x in range(w):
            # Smooth gradients plus a checker pattern: edges exercise the filter's negative lobes.
            checker = 60 if ((x // 9) + (y // 7)) % 2 else 0
            px[x, y] = ((x * 255 // max(1, w - 1) + checker) % 256, (y * 255 // max(1, h - 1)), (x + y + checker) % 256)
    d = ImageDraw.Draw(img)
    for _ in range(6):
        x0, y0 = rng.randrange(w), rng.randrange(h)
        r = rng.randrange(3, max(4, min(w, h) // 3))
        d.ellipse([x0 - r, y0 - r, x0 + r, y0 + r], fill=tuple(rng.randrange(256) for _ in range(3)))
    if mode == "RGBA":
        a = Image.linear_gradient("L").resize((w, h))
        img.putalpha(a)
        return img
    return img.convert(mode)


def clip_crop(img, edge=224, crop=224):
    img = img.convert("RGB")
    w, h = img.size
    short, long = (w, h) if w <= h else (h, w)
    new_long = int(edge * long / short)
    size = (edge, new_long) if w <= h else (new_long, edge)
    if size != img.size:
        img = img.resize(size, resample=Image.BICUBIC, reducing_gap=None)
    w, h = img.size
    top, left = (h - crop) // 2, (w - crop) // 2
    return img.crop((left, top, left + crop, top + crop))


CASES = [
    ("rgb-640x480", "RGB", 640, 480),
    ("rgb-150x100-upscale", "RGB", 150, 100),
    ("rgb-224x300-crop-only", "RGB", 224, 300),
    ("rgb-1001x223-wide", "RGB", 1001, 223),
    ("gray-333x777", "L", 333, 777),
    ("rgba-400x250", "RGBA", 400, 250),
    ("palette-160x120", "P", 160, 120),
    ("jpeg-500x375", "RGB", 500, 375),
]

for name, mode, w, h in CASES:
    img = scene(mode, w, h)
    if name.startswith("jpeg"):
        # Decoders may differ by a level or two (IDCT, upsampling): the test allows 2/255 here.
        img.save(os.path.join(HERE, name + ".jpg"), quality=90)
        img = Image.open(os.path.join(HERE, name + ".jpg"))
    else:
        img.save(os.path.join(HERE, name + ".png"), optimize=True)
    clip_crop(img).save(os.path.join(HERE, name + ".expected.png"), optimize=True)
print("wrote", len(CASES), "fixtures to", HERE)
