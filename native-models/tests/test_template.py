"""Graph templates for the TypeScript installer: the committed tiny templates are what the current code writes
(so a change to the model, the export or the int8 rewrite that is not followed by make_templates.py fails here),
every initializer of every template has a recipe, and the recorded layout is the model's state_dict."""
import filecmp
import json
import os
import tempfile
import unittest

from helpers import ROOT
from midivalle.config import REAL_CODEC, REAL_VALLE, TINY_CODEC, TINY_VALLE
from midivalle.template import build_template

TEMPLATES = os.path.join(ROOT, "templates")


class TemplateTest(unittest.TestCase):
    def test_committed_tiny_templates_are_reproduced(self):
        with tempfile.TemporaryDirectory() as tmp:
            build_template(TINY_VALLE, TINY_CODEC, tmp, log=lambda _: None)
            committed = os.path.join(TEMPLATES, "tiny")
            names = sorted(os.listdir(tmp))
            self.assertEqual(names, sorted(os.listdir(committed)))
            _, mismatch, errors = filecmp.cmpfiles(tmp, committed, names, shallow=False)
            self.assertEqual(mismatch + errors, [], "re-run: python3 native-models/make_templates.py --dims tiny")

    def test_real_template_describes_the_official_dims(self):
        with open(os.path.join(TEMPLATES, "real", "template.json")) as f:
            template = json.load(f)
        self.assertEqual(template["valle"], json.loads(json.dumps(REAL_VALLE.to_json())))
        self.assertEqual(template["codec"], json.loads(json.dumps(REAL_CODEC.to_json())))
        self.assertEqual(set(template["graphs"]["arDecoder"]), {"file", "fp32", "int8"})
        # fp32 packs' draft decoder is the int8 arDecoder variant under its own key and file
        self.assertEqual(template["draft"], {"key": "arDraftDecoder", "file": "ar_draft_decoder.onnx",
                                             "graph": "arDecoder", "variant": "int8"})
        logits = template["graphs"]["arDecoder"]["int8"]["io"]["outputs"][0]
        self.assertEqual(logits["shape"], ["B", "T", REAL_VALLE.audio_tokens + 1])
        # the 12-layer model's keys: e.g. 12 AR layers x 12 keys + the rest
        keys = [k for k, _ in template["stateDict"]["valle"]]
        self.assertIn("ar_decoder.layers.11.linear2.weight", keys)
        self.assertNotIn("ar_decoder.layers.12.linear2.weight", keys)


if __name__ == "__main__":
    unittest.main()
