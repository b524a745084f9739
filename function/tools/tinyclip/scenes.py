"""Caption grammar and compositional queries of the Java generator (dev.imagesearch.synth), mirrored
for training and evaluation. STANDARD_QUERIES must equal SceneQuery.STANDARD in Java."""
import json
import os
import random

COLOURS = ["red", "green", "blue", "yellow", "orange", "purple", "pink", "black"]
SHAPES = {"circle": "circles", "square": "squares", "triangle": "triangles", "star": "stars"}
SIZES = ["small", "large"]
COUNT_WORDS = {1: "a", 2: "two", 3: "three"}
ATTRS = ("colour", "shape", "count", "size", "background")

STANDARD_QUERIES = [
    "a red circle", "a blue square", "a green triangle", "a yellow star", "an orange circle",
    "a purple star", "a pink square", "a black triangle", "three green squares", "two red stars",
    "three blue circles", "two yellow triangles", "two purple circles", "three orange stars",
    "red circles", "black stars", "small green stars", "large blue squares", "large yellow stars",
    "small black circles", "small pink triangles", "large purple triangles", "a large orange star",
    "two small green circles", "three small yellow stars", "two small red triangles",
]


def parse_query(text):
    """Attributes a query names, as SceneQuery.parse reads them."""
    attrs = {}
    plural_to_singular = {v: k for k, v in SHAPES.items()}
    for w in text.lower().split():
        if w in ("a", "an", "one"):
            attrs["count"] = 1
        elif w == "two":
            attrs["count"] = 2
        elif w == "three":
            attrs["count"] = 3
        elif w in COLOURS:
            attrs["colour"] = w
        elif w in SIZES:
            attrs["size"] = w
        elif w in SHAPES:
            attrs["shape"] = w
        elif w in plural_to_singular:
            attrs["shape"] = plural_to_singular[w]
        else:
            raise ValueError(f"unknown word {w!r} in query {text!r}")
    return attrs


def matches(attrs, record):
    return all(record[k] == v for k, v in attrs.items())


def load_gallery(folder):
    with open(os.path.join(folder, "captions.jsonl"), encoding="utf-8") as f:
        return [json.loads(line) for line in f]


def phrase(attrs):
    """Text naming exactly the given attributes, in the grammar of captions and queries."""
    count = attrs.get("count")
    if "shape" in attrs:
        noun = attrs["shape"] if count == 1 else SHAPES[attrs["shape"]]
    else:
        noun = "shape" if count == 1 else "shapes"
    words = [w for w in (attrs.get("size"), attrs.get("colour"), noun) if w]
    if count == 1:
        words.insert(0, "an" if words[0][0] in "aeiou" else "a")
    elif count:
        words.insert(0, COUNT_WORDS[count])
    text = " ".join(words)
    if "background" in attrs:
        text += f" on a {attrs['background']} background"
    return text


def random_variant(record, rng: random.Random):
    """A caption for the record naming a random subset of its attributes, and that subset."""
    if rng.random() < 0.25:
        attrs = {k: record[k] for k in ATTRS}
        return record["caption"], attrs
    keep_p = {"colour": 0.8, "shape": 0.8, "count": 0.6, "size": 0.5, "background": 0.2}
    attrs = {k: record[k] for k in ATTRS if rng.random() < keep_p[k]}
    if not any(k in attrs for k in ("colour", "shape", "count", "size")):
        attrs["colour"] = record["colour"]
    return phrase(attrs), attrs
