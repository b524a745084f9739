"""CLIP image preprocessing exactly as Hugging Face's CLIPImageProcessor does it for
openai/clip-vit-base-patch32: RGB conversion, shortest side to 224 with PIL bicubic, centre crop
224, rescale 1/255, normalize with CLIP's mean and std."""
import numpy as np
from PIL import Image

SIZE = 224
MEAN = np.array([0.48145466, 0.4578275, 0.40821073], dtype=np.float32)
STD = np.array([0.26862954, 0.26130258, 0.27577711], dtype=np.float32)


def resized_cropped(image):
    """uint8 HxWx3 array of the image after RGB conversion, resize and centre crop (before rescale)."""
    image = image.convert("RGB")  # drops alpha, expands L/P, converts CMYK the way PIL does
    w, h = image.size
    short, long = (w, h) if w <= h else (h, w)
    new_short, new_long = SIZE, int(SIZE * long / short)
    new_w, new_h = (new_short, new_long) if w <= h else (new_long, new_short)
    image = image.resize((new_w, new_h), resample=Image.BICUBIC)
    top = (new_h - SIZE) // 2
    left = (new_w - SIZE) // 2
    return np.asarray(image, dtype=np.uint8)[top : top + SIZE, left : left + SIZE]


def normalize(uint8_hwc):
    """float32 [3,224,224] pixel_values from the uint8 crop."""
    x = uint8_hwc.astype(np.float32) * np.float32(1 / 255)
    x = (x - MEAN) / STD
    return np.ascontiguousarray(x.transpose(2, 0, 1))


def pixel_values(image):
    return normalize(resized_cropped(image))
