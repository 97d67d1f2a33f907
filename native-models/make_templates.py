#!/usr/bin/env python3
"""Write the weightless graph templates that `midi-valle packs install` fills with checkpoint weights.

    python3 native-models/make_templates.py --dims tiny|real [--out native-models/templates/DIMS]

Re-run (and commit the result) whenever the model, the export or the int8 rewrite changes; the TypeScript test
tests/unit/pack-install.test.ts fails when the templates and convert.py disagree. `real` exports a full-size model
(about 7.5 GB of memory, a few minutes).
"""
from __future__ import annotations

import argparse
import os
import sys
import warnings

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

from midivalle.config import DIMS  # noqa: E402
from midivalle.template import build_template  # noqa: E402


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description="Write graph templates for the TypeScript pack installer.")
    p.add_argument("--dims", choices=sorted(DIMS), required=True)
    p.add_argument("--out", default=None)
    args = p.parse_args(argv)
    out = args.out or os.path.join(HERE, "templates", args.dims)
    warnings.filterwarnings("ignore")
    valle_dims, codec_dims = DIMS[args.dims]
    build_template(valle_dims, codec_dims, out)
    print(f"wrote {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
