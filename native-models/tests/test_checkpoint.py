"""Strict loading of checkpoints carrying every official key and shape, in every accepted file form."""
import io
import os
import tempfile
import unittest

import torch

from helpers import official_keys  # noqa: F401  (sets sys.path)
from midivalle.checkpoint import CheckpointError, skip_init, codec_dims, load_codec, load_valle, unwrap, valle_dims
from midivalle.codec import PianoEncodec
from midivalle.config import REAL_CODEC, REAL_VALLE, TINY_CODEC, TINY_VALLE
from midivalle.synthetic import codec_checkpoint, random_models, valle_checkpoint
from midivalle.valle import Valle


def _state_from_key_list(keys):
    """A checkpoint built only from the reference key list (zeros), not from our model."""
    return {k: torch.zeros(shape) for k, shape in keys.items()}


def _roundtrip(obj):
    buf = io.BytesIO()
    torch.save(obj, buf)
    buf.seek(0)
    return torch.load(buf)


class OfficialLayoutTest(unittest.TestCase):
    def test_valle_real_dims_match_the_reference_key_list(self):
        ref = official_keys("midi-valle-state-dict.txt")
        with skip_init():
            model = Valle(REAL_VALLE)
        mine = {k: list(v.shape) for k, v in model.state_dict().items()}
        self.assertEqual(len(ref), 368)
        self.assertEqual(mine, ref)

    def test_codec_real_dims_match_the_reference_key_list(self):
        ref = official_keys("piano-encodec-state-dict.txt")
        mine = {k: list(v.shape) for k, v in PianoEncodec(REAL_CODEC).state_dict().items()}
        self.assertEqual(len(ref), 116)
        self.assertEqual(mine, ref)

    def test_reference_valle_key_list_loads_strictly_and_dims_are_inferred(self):
        state = _state_from_key_list(official_keys("midi-valle-state-dict.txt"))
        self.assertEqual(valle_dims(state), REAL_VALLE)
        for form in ({"model": state}, state, {"model": {"module." + k: v for k, v in state.items()}}):
            model = load_valle(form)
            self.assertEqual(model.dims, REAL_VALLE)

    def test_reference_codec_key_list_loads_strictly_in_audiocraft_form(self):
        state = _state_from_key_list(official_keys("piano-encodec-state-dict.txt"))
        self.assertEqual(codec_dims(state, None), REAL_CODEC)
        from midivalle.checkpoint import codec_xp_cfg

        pkg = {"best_state": state, "xp.cfg": codec_xp_cfg(REAL_CODEC).replace("pad_mode: constant", "pad_mode: reflect"),
               "version": "1.3.0", "exported": True}
        model = load_codec(pkg)
        self.assertEqual(model.dims.pad_mode, "reflect")  # read from xp.cfg, not assumed


class FormsTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.valle, cls.codec = random_models(TINY_VALLE, TINY_CODEC, seed=3)

    def test_every_valle_form_loads_the_same_weights(self):
        want = self.valle.state_dict()
        for form in ("bare", "trainer", "ddp"):
            with self.subTest(form=form):
                obj = _roundtrip(valle_checkpoint(self.valle, form))
                model = load_valle(obj, heads=None if form != "bare" else 2)
                self.assertEqual(model.dims, TINY_VALLE)  # trainer forms carry nhead
                for k, v in model.state_dict().items():
                    self.assertTrue(torch.equal(v, want[k]), k)

    def test_tied_heads_stay_tied_after_loading(self):
        model = load_valle(valle_checkpoint(self.valle, "trainer"))
        self.assertIs(model.nar_predict_layers[0].weight, model.nar_audio_embeddings[2].word_embeddings.weight)
        self.assertIs(model.nar_predict_layers[1].weight, model.nar_audio_embeddings[3].word_embeddings.weight)

    def test_every_codec_form_loads(self):
        for form in ("audiocraft", "solver", "bare"):
            with self.subTest(form=form):
                model = load_codec(_roundtrip(codec_checkpoint(self.codec, form)))
                self.assertEqual(model.dims, TINY_CODEC)
                wav = torch.randn(1, 1, 1500)
                with torch.no_grad():
                    self.assertTrue(torch.equal(model.encode(wav), self.codec.encode(wav)))

    def test_checkpoint_files_on_disk(self):
        with tempfile.TemporaryDirectory() as tmp:
            path = os.path.join(tmp, "best-valid-loss.pt")
            torch.save(valle_checkpoint(self.valle, "bare"), path)
            self.assertEqual(load_valle(path, heads=2).dims, TINY_VALLE)
            junk = os.path.join(tmp, "junk.pt")
            with open(junk, "wb") as f:
                f.write(b"not a checkpoint")
            with self.assertRaises(CheckpointError):
                load_valle(junk)


class WrongFileTest(unittest.TestCase):
    def test_missing_unexpected_and_mismatched_keys_are_named(self):
        state = _state_from_key_list(official_keys("midi-valle-state-dict.txt"))
        del state["ar_predict_layer.weight"]
        state["ar_text_embedding.word_embeddings.weight"] = torch.zeros(512, 1024)  # an LF (text VALL-E) key
        state["nar_stage_embeddings.2.word_embeddings.weight"] = torch.zeros(2, 1024)
        with self.assertRaises(CheckpointError) as ctx:
            load_valle(state)
        msg = str(ctx.exception)
        self.assertIn("missing 1 key(s): ar_predict_layer.weight", msg)
        self.assertIn("unexpected 1 key(s): ar_text_embedding.word_embeddings.weight", msg)
        self.assertIn("nar_stage_embeddings.2.word_embeddings.weight [2, 1024] (expected [1, 1024])", msg)

    def test_codec_given_as_valle_is_rejected_with_a_clear_error(self):
        state = _state_from_key_list(official_keys("piano-encodec-state-dict.txt"))
        with self.assertRaises(CheckpointError) as ctx:
            load_valle(state)
        self.assertIn("not a MIDI-VALLE checkpoint", str(ctx.exception))
        with self.assertRaises(CheckpointError) as ctx:
            load_codec(_state_from_key_list(official_keys("midi-valle-state-dict.txt")))
        self.assertIn("not a Piano-Encodec", str(ctx.exception))

    def test_unsupported_codec_config_is_refused(self):
        _, codec = random_models(TINY_VALLE, TINY_CODEC, seed=4)
        pkg = codec_checkpoint(codec)
        pkg["xp.cfg"] = pkg["xp.cfg"].replace("causal: false", "causal: true")
        with self.assertRaises(CheckpointError) as ctx:
            load_codec(pkg)
        self.assertIn("causal=true", str(ctx.exception))

    def test_non_dict_is_rejected(self):
        with self.assertRaises(CheckpointError):
            unwrap([1, 2, 3])


if __name__ == "__main__":
    unittest.main()
