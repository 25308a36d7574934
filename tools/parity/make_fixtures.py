#!/usr/bin/python3
"""Writes the golden parity fixtures from the reference implementations themselves.

Every group is one function below and one sub-command; `all` runs every group whose sources were given.
Output is deterministic (fixed seeds, sorted keys, no timestamps): a second run must leave `git status` clean.
See tools/parity/README.md for how to get the sources and the pinned commits.
"""

from __future__ import annotations

import argparse
import gzip
import html
import html.entities
import json
import re
import sys
import types
import unicodedata
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
FIXTURES = REPO / "tests" / "fixtures" / "parity"
# Tables the production tokenizer embeds: Python's own Unicode and HTML behaviour, not test data.
RESOURCES = REPO / "src" / "UCoFIA.Model" / "Tokenization" / "Resources"
CORPUS = FIXTURES / "tokenizer_corpus.txt"

# CLIP's pre-tokeniser, character class by character class, compiled as simple_tokenizer.py compiles the whole.
CLIP_CLASSES = {
    "letter": r"[\p{L}]",
    "number": r"[\p{N}]",
    "other": r"[^\s\p{L}\p{N}]",
}
# Letters of the contractions and special tokens, whose IGNORECASE equivalents the C# scanner must accept.
CLIP_PATTERN_LETTERS = sorted(set("stremldvo" + "startoftextendoftext"))

GEOMETRY_SIZES = [
    (320, 240), (240, 320), (640, 480), (480, 640), (1280, 720), (720, 1280), (1920, 1080), (1080, 1920),
    (3840, 2160), (426, 240), (854, 480), (720, 576), (720, 480), (352, 288), (176, 144), (128, 96),
    (224, 224), (225, 224), (224, 225), (223, 224), (299, 224), (300, 300), (64, 64), (63, 64), (1000, 3),
    (3, 1000), (1, 1), (2, 1), (1, 2), (100, 99), (99, 100), (400, 300), (500, 281), (281, 500), (2560, 1080),
    (1080, 2560), (1440, 1080), (160, 120), (120, 160), (16, 9), (9, 16), (1366, 768), (768, 1366), (333, 222),
    (1023, 767), (50, 7000),
]
GEOMETRY_IMAGE_SIZES = [224, 64, 32]

# (width, height) of the synthetic frames whose pixels go through both pipelines; 426×240 gives an odd crop margin.
PIXEL_FRAMES = [(320, 240), (240, 320), (426, 240)]
PIXEL_IMAGE_SIZE = 224
SEED = 12


def write_json(path: Path, value: object, ascii_only: bool = True) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    text = json.dumps(value, ensure_ascii=ascii_only, sort_keys=True, separators=(",", ":"))
    path.write_text(text + "\n", encoding="utf-8")
    print(f"wrote {path.relative_to(REPO)} ({path.stat().st_size:,} bytes)")


def code_point_ranges(predicate) -> list[list[int]]:
    """Closed [first, last] ranges of the code points (surrogates excluded) for which predicate holds."""
    ranges: list[list[int]] = []
    for cp in range(0x110000):
        if 0xD800 <= cp <= 0xDFFF or not predicate(chr(cp)):
            continue
        if ranges and ranges[-1][1] == cp - 1:
            ranges[-1][1] = cp
        else:
            ranges.append([cp, cp])
    return ranges


def import_clip(clip_dir: Path, ftfy_dir: Path):
    """openai's tokenizer and transforms, importing the real ftfy rather than any installed copy."""
    sys.path[:0] = [str(ftfy_dir), str(clip_dir)]
    import ftfy

    assert ftfy.__version__ == "6.3.1", ftfy.__version__
    from clip import clip, simple_tokenizer

    return ftfy, clip, simple_tokenizer


# --- group: vocab -------------------------------------------------------------------------------------------


def make_vocab(args) -> None:
    """The real 49,408-token vocabulary in HF's layout: vocab.json is SimpleTokenizer().encoder, merges.txt its merges."""
    _, _, simple_tokenizer = import_clip(args.clip, args.ftfy)
    bpe_path = args.clip / "clip" / "bpe_simple_vocab_16e6.txt.gz"
    tokenizer = simple_tokenizer.SimpleTokenizer(str(bpe_path))
    assert len(tokenizer.encoder) == 49408
    # The same slice simple_tokenizer.py takes: skip the header line, keep 49,152 − 256 − 2 merges.
    merges = gzip.open(bpe_path).read().decode("utf-8").split("\n")[1 : 49152 - 256 - 2 + 1]
    ranks = sorted(tokenizer.bpe_ranks.items(), key=lambda item: item[1])
    assert [" ".join(pair) for pair, _ in ranks] == merges
    (FIXTURES / "clip").mkdir(parents=True, exist_ok=True)
    vocab = json.dumps(tokenizer.encoder, ensure_ascii=False, separators=(",", ":"))
    (FIXTURES / "clip" / "vocab.json").write_text(vocab + "\n", encoding="utf-8")
    (FIXTURES / "clip" / "merges.txt").write_text("#version: 0.2\n" + "\n".join(merges) + "\n", encoding="utf-8")
    print("wrote tests/fixtures/parity/clip/vocab.json and merges.txt")


# --- group: unicode (production resources) ------------------------------------------------------------------


def make_unicode(args) -> None:
    """Python's html.unescape tables and the str and `regex` behaviour CLIP's cleaning relies on."""
    write_json(RESOURCES / "html_entities.json", {
        "python": sys.version.split()[0],
        # html.entities.html5: names with and without the semicolon, as html.unescape looks them up.
        "html5": html.entities.html5,
        # Numeric references html.unescape remaps (NUL, CR and the Windows-1252 block &#128;–&#159;).
        "remapped": {str(k): v for k, v in sorted(html._invalid_charrefs.items())},
        # Numeric references html.unescape drops.
        "dropped": sorted(html._invalid_codepoints),
    })

    import regex

    classes = {name: regex.compile(pattern, regex.IGNORECASE) for name, pattern in CLIP_CLASSES.items()}
    sigma_after = "\u03a3"
    write_json(RESOURCES / "python_unicode.json", {
        "python": sys.version.split()[0],
        "unicodedata": unicodedata.unidata_version,
        "regex": regex.__version__,
        # str.lower() and str.upper() per code point, where they change it (full mappings: İ → i̇, ß → SS).
        "lower": [[cp, chr(cp).lower()] for cp in range(0x110000)
                  if not 0xD800 <= cp <= 0xDFFF and chr(cp).lower() != chr(cp)],
        "upper": [[cp, chr(cp).upper()] for cp in range(0x110000)
                  if not 0xD800 <= cp <= 0xDFFF and chr(cp).upper() != chr(cp)],
        # The two properties str.lower() reads for the final-sigma rule, observed through str.lower() itself:
        # "cΣ" ends in ς iff c is cased and not case-ignorable; "AcΣ" iff c is either.
        "case_ignorable": code_point_ranges(
            lambda c: (f"A{c}{sigma_after}".lower()[-1] == "\u03c2") and (f"{c}{sigma_after}".lower()[-1] != "\u03c2")),
        "cased": code_point_ranges(lambda c: f"{c}{sigma_after}".lower()[-1] == "\u03c2"),
        # str.strip() and str.isspace().
        "python_space": code_point_ranges(str.isspace),
        # `regex`'s \s, which whitespace_clean collapses and the pre-tokeniser excludes.
        "regex_space": code_point_ranges(lambda c: regex.match(r"\s", c) is not None),
        "clip_classes": {name: code_point_ranges(lambda c, p=p: p.match(c) is not None) for name, p in classes.items()},
        "clip_letter_folds": letter_folds(regex),
    })


def letter_folds(regex) -> dict[str, list[int]]:
    """Per pattern letter, every code point the IGNORECASE pattern accepts for it (s also matches ſ)."""
    any_letter = regex.compile(f"[{''.join(CLIP_PATTERN_LETTERS)}]", regex.IGNORECASE)
    candidates = [cp for cp in range(0x110000) if not 0xD800 <= cp <= 0xDFFF and any_letter.fullmatch(chr(cp))]
    return {letter: [cp for cp in candidates if regex.fullmatch(letter, chr(cp), regex.IGNORECASE)]
            for letter in CLIP_PATTERN_LETTERS}


# --- group: tokenizer ---------------------------------------------------------------------------------------

ESCAPE = re.compile(r"\\(U[0-9A-Fa-f]{8}|u[0-9A-Fa-f]{4}|x[0-9A-Fa-f]{2}|[nrt\\])")
SIMPLE_ESCAPES = {"n": "\n", "r": "\r", "t": "\t", "\\": "\\"}


def read_corpus() -> list[tuple[str, str]]:
    """(section, text) per corpus line; '# ' lines name the section, escapes are Python's \\n \\xHH \\uHHHH \\UHHHHHHHH."""
    section, cases = "", []
    for line in CORPUS.read_text(encoding="utf-8").split("\n"):
        if line.startswith("# "):
            section = line[2:].strip()
        elif line:
            text = ESCAPE.sub(lambda m: SIMPLE_ESCAPES.get(m.group(1)) or chr(int(m.group(1)[1:], 16)), line)
            cases.append((section, text))
    return cases


def make_tokenizer(args) -> None:
    """openai's ids, with the real ftfy, for every corpus sentence: unframed and framed by clip.tokenize."""
    ftfy, clip, simple_tokenizer = import_clip(args.clip, args.ftfy)
    tokenizer = simple_tokenizer.SimpleTokenizer(str(args.clip / "clip" / "bpe_simple_vocab_16e6.txt.gz"))
    cases, seen = [], set()
    for section, text in read_corpus():
        assert text not in seen, f"duplicate corpus line: {text!r}"
        seen.add(text)
        framed = clip.tokenize([text], context_length=77, truncate=True)[0].tolist()
        # Sentences whose result depends on ftfy's mojibake repair, which the C# port leaves out (docs/parity.md).
        needs_fix_encoding = ftfy.fix_text(text) != ftfy.fix_text(text, fix_encoding=False)
        case = {"section": section, "text": text, "ids": tokenizer.encode(text), "framed": framed,
                "fix_encoding": needs_fix_encoding}
        if needs_fix_encoding:
            # What the port must give instead: openai's tokenizer with only fix_encoding switched off.
            original = ftfy.fix_text
            ftfy.fix_text = lambda t: original(t, fix_encoding=False)
            try:
                case["ids_without_fix_encoding"] = tokenizer.encode(text)
            finally:
                ftfy.fix_text = original
        cases.append(case)
    write_json(FIXTURES / "tokenizer_ids.json", {"ftfy": ftfy.__version__, "cases": cases})
    print(f"{len(cases)} sentences, {sum(c['fix_encoding'] for c in cases)} need ftfy's fix_encoding")


# --- group: preprocessing -----------------------------------------------------------------------------------


def make_geometry(args) -> None:
    """torchvision's Resize(S) output size and CenterCrop(S) offset for many frame sizes, from its own functions."""
    import torch
    from PIL import Image
    from torchvision.transforms import InterpolationMode
    from torchvision.transforms import functional as F

    rows = []
    for size in GEOMETRY_IMAGE_SIZES:
        for width, height in GEOMETRY_SIZES:
            resized = F.resize(Image.new("RGB", (width, height)), size, interpolation=InterpolationMode.BICUBIC)
            new_width, new_height = resized.size
            # A two-channel image holding each pixel's own coordinates: after the crop, pixel (0, 0) names the offset.
            ys, xs = torch.meshgrid(torch.arange(new_height), torch.arange(new_width), indexing="ij")
            cropped = F.center_crop(torch.stack([xs, ys]), [size, size])
            rows.append({"width": width, "height": height, "size": size, "resized_width": new_width,
                         "resized_height": new_height, "crop_x": int(cropped[0, 0, 0]), "crop_y": int(cropped[1, 0, 0])})
    write_json(FIXTURES / "geometry.json", {"cases": rows})


def synthetic_frame(width: int, height: int, rng):
    """A frame with gradients, hard-edged shapes and sensor-like noise, so both smooth and sharp content count."""
    import numpy as np

    ys, xs = np.mgrid[0:height, 0:width].astype(np.float64)
    u, v = xs / width, ys / height
    image = np.stack([200 * u + 30, 180 * v + 40, 120 * (1 - u) * v + 60], axis=-1)
    for _ in range(6):
        cx, cy, r = rng.uniform(0, width), rng.uniform(0, height), rng.uniform(0.05, 0.25) * min(width, height)
        image[(xs - cx) ** 2 + (ys - cy) ** 2 < r * r] = rng.uniform(0, 255, size=3)
    stripes = (np.sin(xs / 3.0 + ys / 5.0) > 0)[..., None] * 25.0
    image = image + stripes * (u[..., None] > 0.6) + rng.normal(0, 6, size=image.shape)
    return np.clip(np.rint(image), 0, 255).astype(np.uint8)


def make_pixels(args) -> None:
    """Synthetic frames (PNG) and what CLIP's own _transform makes of them: resized and cropped bytes, normalised floats."""
    import numpy as np
    from PIL import Image

    _, clip, _ = import_clip(args.clip, args.ftfy)
    rng = np.random.RandomState(SEED)
    frames = []
    for width, height in PIXEL_FRAMES:
        name = f"frame_{width}x{height}"
        image = Image.fromarray(synthetic_frame(width, height, rng), "RGB")
        image.save(FIXTURES / f"{name}.png", optimize=False, compress_level=9)
        # Resize and CenterCrop: the first two steps of CLIP's preprocessing, before ToTensor and Normalize.
        resize, crop = clip._transform(PIXEL_IMAGE_SIZE).transforms[:2]
        reference = np.asarray(crop(resize(Image.open(FIXTURES / f"{name}.png"))), dtype=np.uint8)
        (FIXTURES / f"{name}.clip{PIXEL_IMAGE_SIZE}.rgb").write_bytes(reference.tobytes())
        frames.append({"png": f"{name}.png", "reference_rgb": f"{name}.clip{PIXEL_IMAGE_SIZE}.rgb",
                       "width": width, "height": height, "size": PIXEL_IMAGE_SIZE})

    # Normalisation on its own: a small S×S rgb24 image through ToTensor + Normalize of CLIP's _transform.
    small = rng.randint(0, 256, size=(16, 16, 3)).astype(np.uint8)
    transform = clip._transform(16)
    normalized = transform(Image.fromarray(small, "RGB")).numpy()  # [3, S, S] float32
    normalize = transform.transforms[-1]
    write_json(FIXTURES / "pixels.json", {
        "frames": frames,
        "normalize": {"size": 16, "rgb": small.reshape(-1).tolist(), "mean": list(normalize.mean),
                      "std": list(normalize.std), "chw": [float(x) for x in normalized.astype(np.float32).reshape(-1)]},
    })


GROUPS = {
    "vocab": (make_vocab, ("clip", "ftfy")),
    "unicode": (make_unicode, ()),
    "tokenizer": (make_tokenizer, ("clip", "ftfy")),
    "geometry": (make_geometry, ()),
    "pixels": (make_pixels, ("clip", "ftfy")),
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("groups", nargs="+", choices=[*GROUPS, "all"])
    parser.add_argument("--clip", type=Path, help="openai/CLIP source tree")
    parser.add_argument("--ftfy", type=Path, help="rspeer/python-ftfy source tree (6.3.1)")
    args = parser.parse_args()
    names = list(GROUPS) if "all" in args.groups else args.groups
    for name in names:
        make, needs = GROUPS[name]
        missing = [f"--{source}" for source in needs if getattr(args, source) is None]
        if missing:
            parser.error(f"group {name} needs {' '.join(missing)}")
    for name in names:
        GROUPS[name][0](args)


if __name__ == "__main__":
    main()
