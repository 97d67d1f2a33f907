#!/usr/bin/env python3
"""Random-weight model packs with the official key layout, made by writing synthetic checkpoints in the
official file formats and running the real converter on them.

    python3 native-models/make_test_pack.py --dims tiny|real --seed N --out DIR [--precision fp32|fp16|int8]
        [--no-fixtures] [--no-draft]

`tiny` is committed at native-models/packs/tiny (with parity fixtures); `real` (~1.9 GB fp32) is made on demand.
"""
from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import torch  # noqa: E402

import convert  # noqa: E402
from midivalle.config import DIMS  # noqa: E402
from midivalle.synthetic import codec_checkpoint, random_models, valle_checkpoint  # noqa: E402


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description="Make a random-weight MIDI-VALLE model pack.")
    p.add_argument("--dims", choices=sorted(DIMS), required=True)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--out", required=True)
    p.add_argument("--precision", choices=["fp32", "fp16", "int8"], default="fp32")
    p.add_argument("--no-fixtures", action="store_true", help="skip the parity fixtures (default: on for tiny)")
    p.add_argument("--no-draft", action="store_true", help="fp32: leave out the int8 draft decoder (as convert.py)")
    args = p.parse_args(argv)

    started = time.time()
    valle_dims, codec_dims = DIMS[args.dims]
    valle, codec = random_models(valle_dims, codec_dims, args.seed)
    with tempfile.TemporaryDirectory() as tmp:
        valle_path = os.path.join(tmp, "best-valid-loss.pt")
        codec_path = os.path.join(tmp, "compression_32khz_new.bin")
        torch.save(valle_checkpoint(valle, "bare"), valle_path)
        torch.save(codec_checkpoint(codec, "audiocraft"), codec_path)
        made = time.time()
        print(f"synthetic checkpoints written in {made - started:.1f} s")
        conv_args = convert.parse_args([
            "--valle", valle_path, "--codec", codec_path, "--out", args.out, "--precision", args.precision,
            "--heads", str(valle_dims.heads), "--id", f"random-{args.dims}-{args.seed}", "--version", "0.0.0",
            "--name", f"Random weights ({args.dims}, seed {args.seed})", "--licence", "none (random weights)",
            "--attribution", "Random test weights with the MIDI-VALLE layout; they produce noise.",
            *(["--no-draft"] if args.no_draft else []),
        ])
        manifest = convert.convert(conv_args, extra_source={"random": {"seed": args.seed, "dims": args.dims}})
        print(f"conversion took {time.time() - made:.1f} s")
    if args.dims == "tiny" and not args.no_fixtures:
        from midivalle.fixtures import write_fixtures, write_int8_kv_decoder

        write_fixtures(valle, codec, os.path.join(args.out, "fixtures"))
        write_int8_kv_decoder(args.out)
    total = sum(g["bytes"] for g in manifest["graphs"].values())
    print(json.dumps({"out": args.out, "bytes": total, "seconds": round(time.time() - started, 1)}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
