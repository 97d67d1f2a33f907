#!/usr/bin/env python3
"""Convert the official MIDI-VALLE + Piano-Encodec checkpoints into a MIDI-VALLE Studio model pack.

    python3 native-models/convert.py --valle best-valid-loss.pt --codec compression_32khz_new.bin --out DIR \
        [--precision fp32|fp16|int8] [--no-draft] [--heads 16] [--id ID] [--name NAME]

fp32 packs also carry ar_draft_decoder.onnx (arDraftDecoder: the int8 form of the AR decoder, which the engine
uses to draft frames for the fp32 decoder to verify); --no-draft leaves it out.

Needs Python 3 with PyTorch and the `onnx` package. The official weights (Zenodo record 15976272) are licensed
CC BY-NC-SA 4.0: packs made from them are for non-commercial use only.
"""
from __future__ import annotations

import argparse
import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from midivalle.checkpoint import CheckpointError, load_codec, load_valle  # noqa: E402
from midivalle.pack import OFFICIAL_ATTRIBUTION, OFFICIAL_LICENCE, sha256_file, write_pack  # noqa: E402


def parse_args(argv=None):
    p = argparse.ArgumentParser(description="Convert MIDI-VALLE checkpoints into an ONNX model pack.")
    p.add_argument("--valle", required=True, help="MIDI-VALLE checkpoint (best-valid-loss.pt)")
    p.add_argument("--codec", required=True, help="Piano-Encodec checkpoint (compression_32khz_new.bin)")
    p.add_argument("--out", required=True, help="output folder for the pack")
    p.add_argument("--precision", choices=["fp32", "fp16", "int8"], default="fp32")
    p.add_argument("--no-draft", action="store_true",
                   help="fp32 packs: leave out the int8 draft decoder (ar_draft_decoder.onnx) used for speculative decoding")
    p.add_argument("--heads", type=int, default=None, help="attention heads (default: checkpoint's nhead, else d/64)")
    p.add_argument("--id", default="midi-valle-official", help="pack id")
    p.add_argument("--name", default="MIDI-VALLE (official weights)", help="display name")
    p.add_argument("--version", default="1.0.0", help="pack version")
    p.add_argument("--licence", default=OFFICIAL_LICENCE)
    p.add_argument("--attribution", default=OFFICIAL_ATTRIBUTION)
    return p.parse_args(argv)


def convert(args, extra_source=None, log=print) -> dict:
    started = time.time()
    log(f"loading {args.valle}")
    valle = load_valle(args.valle, heads=args.heads, name=os.path.basename(args.valle))
    log(f"loading {args.codec}")
    codec = load_codec(args.codec, name=os.path.basename(args.codec))
    v, c = valle.dims, codec.dims
    if v.quantizers != c.n_q or v.audio_tokens != c.bins:
        raise CheckpointError(
            f"model expects {v.quantizers} x {v.audio_tokens} codes but the codec has {c.n_q} x {c.bins}"
        )
    source = {
        "valle": {"file": os.path.basename(args.valle), "sha256": sha256_file(args.valle)},
        "codec": {"file": os.path.basename(args.codec), "sha256": sha256_file(args.codec)},
        **(extra_source or {}),
    }
    identity = {"id": args.id, "version": args.version, "displayName": args.name, "licence": args.licence,
                "attribution": args.attribution}
    manifest = write_pack(valle, codec, args.out, args.precision, identity, source, log,
                          draft=not args.no_draft)
    total = sum(g["bytes"] for g in manifest["graphs"].values())
    log(f"wrote {args.out} ({total / 1e6:.1f} MB, {args.precision}) in {time.time() - started:.1f} s")
    return manifest


def main(argv=None) -> int:
    args = parse_args(argv)
    try:
        convert(args)
    except CheckpointError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 3
    except FileNotFoundError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 3
    return 0


if __name__ == "__main__":
    sys.exit(main())
