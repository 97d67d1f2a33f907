#!/usr/bin/env python3
"""Random-weight checkpoints in every official file form (for the installer's tests).

    python3 native-models/make_test_checkpoints.py --dims tiny|real --seed N --out DIR [--forms all|official]

Writes valle-{bare,trainer,ddp}.pt and codec-{audiocraft,solver,bare}.bin (`official`: valle-bare.pt and
codec-audiocraft.bin only, the forms of the released files).
"""
from __future__ import annotations

import argparse
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import torch  # noqa: E402

from midivalle.config import DIMS  # noqa: E402
from midivalle.synthetic import codec_checkpoint, random_models, valle_checkpoint  # noqa: E402


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description="Write random MIDI-VALLE / Piano-Encodec checkpoints.")
    p.add_argument("--dims", choices=sorted(DIMS), required=True)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--out", required=True)
    p.add_argument("--forms", choices=["all", "official"], default="all")
    args = p.parse_args(argv)
    os.makedirs(args.out, exist_ok=True)
    valle, codec = random_models(*DIMS[args.dims], args.seed)
    official = args.forms == "official"
    for form in ("bare",) if official else ("bare", "trainer", "ddp"):
        torch.save(valle_checkpoint(valle, form), os.path.join(args.out, f"valle-{form}.pt"))
    for form in ("audiocraft",) if official else ("audiocraft", "solver", "bare"):
        torch.save(codec_checkpoint(codec, form), os.path.join(args.out, f"codec-{form}.bin"))
    print(args.out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
