"""CLIP's byte-level BPE tokenizer, as the Hugging Face tokenizer.json of openai/clip-vit-base-patch32
runs it, plus a small BPE learner that builds a CLIP-style merges list from captions.

Vocabulary layout (exactly CLIP's): the 256 byte characters of GPT-2's bytes_to_unicode, the same
256 with "</w>", one token per merge in order, then <|startoftext|> and <|endoftext|>.

Text path (the tokenizer.json normalizer and pre-tokenizer): NFC, runs of whitespace -> one space,
lowercase; split with CLIP's regex keeping only the matches; bytes mapped to unicode; BPE with the
"</w>" end-of-word suffix; <|startoftext|> ... <|endoftext|>, truncated to 77 keeping <|endoftext|>.
Python's `re` has no \\p{L}/\\p{N}, so those classes are built from unicodedata categories.
"""
import collections
import functools
import re
import sys
import unicodedata

SOT = "<|startoftext|>"
EOT = "<|endoftext|>"
CONTEXT_LENGTH = 77


@functools.lru_cache()
def bytes_to_unicode():
    """GPT-2's reversible map from bytes to printable unicode characters."""
    bs = list(range(ord("!"), ord("~") + 1)) + list(range(ord("¡"), ord("¬") + 1)) + list(range(ord("®"), ord("ÿ") + 1))
    cs = bs[:]
    n = 0
    for b in range(256):
        if b not in bs:
            bs.append(b)
            cs.append(256 + n)
            n += 1
    return dict(zip(bs, [chr(c) for c in cs]))


def _category_class(prefix):
    """A regex character-class body matching every code point whose category starts with prefix."""
    ranges = []
    start = None
    for cp in range(sys.maxunicode + 2):
        inside = cp <= sys.maxunicode and unicodedata.category(chr(cp)).startswith(prefix)
        if inside and start is None:
            start = cp
        elif not inside and start is not None:
            ranges.append((start, cp - 1))
            start = None
    return "".join(
        re.escape(chr(a)) if a == b else re.escape(chr(a)) + "-" + re.escape(chr(b)) for a, b in ranges
    )


@functools.lru_cache()
def clip_pattern():
    letters = _category_class("L")
    numbers = _category_class("N")
    return re.compile(
        r"<\|startoftext\|>|<\|endoftext\|>|'s|'t|'re|'ve|'m|'ll|'d|[" + letters + r"]+|[" + numbers + r"]|[^\s"
        + letters + numbers + r"]+"
    )


def normalize(text):
    """tokenizer.json's normalizer: NFC, collapse whitespace runs to one space, lowercase."""
    text = unicodedata.normalize("NFC", text)
    text = re.sub(r"\s+", " ", text)
    return text.lower()


def pieces(text):
    """Normalized text split by CLIP's regex (only the matches are kept), as byte characters."""
    b2u = bytes_to_unicode()
    return ["".join(b2u[b] for b in p.encode("utf-8")) for p in clip_pattern().findall(normalize(text))]


def learn_merges(texts, max_merges):
    """Greedy BPE over the texts' words: most frequent pair first, ties broken by the pair's text."""
    words = collections.Counter()
    for t in texts:
        for p in pieces(t):
            words[tuple(p[:-1]) + (p[-1] + "</w>",)] += 1
    merges = []
    vocab = dict(words)
    while len(merges) < max_merges:
        pairs = collections.Counter()
        for w, n in vocab.items():
            for a, b in zip(w, w[1:]):
                pairs[(a, b)] += n
        if not pairs:
            break
        best = max(pairs.items(), key=lambda kv: (kv[1], [-ord(c) for c in kv[0][0] + " " + kv[0][1]]))[0]
        merges.append(best)
        vocab = merge_pair(vocab, best)
    return [a + " " + b for a, b in merges]


def merge_pair(words, pair):
    """{word (tuple of symbols): count} with every occurrence of the adjacent pair joined."""
    merged = {}
    for w, n in words.items():
        out = []
        i = 0
        while i < len(w):
            if i < len(w) - 1 and (w[i], w[i + 1]) == pair:
                out.append(w[i] + w[i + 1])
                i += 2
            else:
                out.append(w[i])
                i += 1
        merged[tuple(out)] = merged.get(tuple(out), 0) + n
    return merged


class ClipTokenizer:
    """Encodes text to CLIP ids from an ordered merges list ("a b" lines), like CLIP's simple_tokenizer."""

    def __init__(self, merges):
        self.merges = [tuple(m.split(" ")) for m in merges]
        vocab = list(bytes_to_unicode().values())
        vocab = vocab + [v + "</w>" for v in vocab]
        vocab += ["".join(m) for m in self.merges]
        vocab += [SOT, EOT]
        self.encoder = {v: i for i, v in enumerate(vocab)}
        self.bpe_ranks = {m: i for i, m in enumerate(self.merges)}
        self.sot = self.encoder[SOT]
        self.eot = self.encoder[EOT]
        self.cache = {}

    @property
    def vocab_size(self):
        return len(self.encoder)

    def bpe(self, token):
        if token in self.cache:
            return self.cache[token]
        word = tuple(token[:-1]) + (token[-1] + "</w>",)
        while len(word) > 1:
            pairs = set(zip(word, word[1:]))
            bigram = min(pairs, key=lambda p: self.bpe_ranks.get(p, float("inf")))
            if bigram not in self.bpe_ranks:
                break
            first, second = bigram
            out = []
            i = 0
            while i < len(word):
                if i < len(word) - 1 and word[i] == first and word[i + 1] == second:
                    out.append(first + second)
                    i += 2
                else:
                    out.append(word[i])
                    i += 1
            word = tuple(out)
        self.cache[token] = word
        return word

    def encode(self, text, context_length=CONTEXT_LENGTH):
        """Ids with <|startoftext|> and <|endoftext|>, truncated to context_length keeping <|endoftext|>."""
        ids = []
        for p in pieces(text):
            if p in (SOT, EOT):
                ids.append(self.encoder[p])
            else:
                ids.extend(self.encoder[t] for t in self.bpe(p))
        ids = ids[: context_length - 2]
        return [self.sot] + ids + [self.eot]
