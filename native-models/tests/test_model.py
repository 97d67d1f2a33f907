"""The reference network against torch's own layers and the official algorithms as written in the spec."""
import unittest

import torch
from torch import nn

from helpers import ROOT  # noqa: F401  (sets sys.path)
from midivalle.codec import PianoEncodec
from midivalle.config import TINY_CODEC, TINY_VALLE, CodecDims
from midivalle.inference import SamplingConfig, ar_cached, ar_official, nar_official
from midivalle.sampling import Mulberry32, argmax, sample_id
from midivalle.synthetic import random_models
from midivalle.valle import padding_mask, prefill_mask

TOKENS = torch.tensor([[[1] * 6, [43, 40, 99, 388, 4, 4], [47, 44, 51, 436, 52, 4], [50, 36, 51, 436, 100, 5], [2] * 6]])


class LayerTest(unittest.TestCase):
    def test_ar_layer_equals_torch_transformer_encoder_layer(self):
        torch.manual_seed(0)
        valle, _ = random_models(TINY_VALLE, TINY_CODEC, seed=5)
        mine = valle.ar_decoder.layers[0]
        ref = nn.TransformerEncoderLayer(32, 2, dim_feedforward=64, dropout=0.0, batch_first=True, norm_first=True).eval()
        ref.load_state_dict(mine.state_dict(), strict=True)  # same key names as the official layer
        x = torch.randn(2, 9, 32)
        bool_mask = torch.triu(torch.ones(9, 9, dtype=torch.bool), diagonal=1)
        with torch.no_grad():
            want = ref(x, src_mask=bool_mask)
            got, _, _ = mine(x, torch.where(bool_mask, -1e9, 0.0).view(1, 1, 9, 9))
        self.assertLess((want - got).abs().max().item(), 1e-5)

    def test_attention_after_a_cache_equals_attention_over_the_whole_sequence(self):
        """attend_after (scores against past and new rows separately, as the exported decoder does) gives the
        rows that attend over the concatenated sequence gives; also with an empty past (the prefill)."""
        torch.manual_seed(1)
        valle, _ = random_models(TINY_VALLE, TINY_CODEC, seed=5)
        layer = valle.ar_decoder.layers[1]
        x = torch.randn(2, 9, 32)
        causal = torch.where(torch.triu(torch.ones(9, 9, dtype=torch.bool), diagonal=1), -1e9, 0.0).view(1, 1, 9, 9)
        with torch.no_grad():
            whole, keys, values = layer(x, causal)
            for p in (0, 6):
                tail, _, _ = layer(x[:, p:], causal[..., p:, :], past=(keys[:, :, :p], values[:, :, :p]))
                self.assertLess((tail - whole[:, p:]).abs().max().item(), 1e-5, f"past of {p} rows")


class InferenceTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.valle, cls.codec = random_models(TINY_VALLE, TINY_CODEC, seed=6)
        with torch.no_grad():
            cls.prompt = cls.codec.encode(torch.randn(1, 1, 640 * 4) * 0.3).transpose(1, 2)  # [1,4,4]->[1,Tp,4]

    def test_kv_cache_reproduces_full_recompute_greedy_and_sampled(self):
        q0 = self.prompt[..., 0]
        for cfg in (SamplingConfig(greedy=True), SamplingConfig(greedy=False, seed=7, top_k=20, temperature=0.9)):
            full = ar_official(self.valle, TOKENS, q0, cfg)
            cached = ar_cached(self.valle, TOKENS, q0, cfg, bucket=16)  # small buckets: growth is exercised
            self.assertEqual(len(full.tokens), 16 * TOKENS.shape[1] + 1)  # random weights never pick EOS here
            self.assertEqual(cached.tokens, full.tokens)

    def test_nar_matches_the_spec_algorithm_written_out(self):
        """Spec §3.3 literally: running sum Y, prompt frames get all quantizers, greedy stage by stage."""
        v = self.valle
        q0 = ar_official(v, TOKENS, self.prompt[..., 0], SamplingConfig(), max_frames=12).tokens
        got = nar_official(v, TOKENS, self.prompt, q0)
        tp = self.prompt.shape[1]
        with torch.no_grad():
            _, xn = v.embed_midi(TOKENS)
            y_full = torch.cat([self.prompt[..., 0], torch.tensor([q0])], dim=1)
            y = v.nar_audio_embeddings[0](y_full)
            for j in range(1, 4):
                y[:, :tp] += v.nar_audio_embeddings[j](self.prompt[..., j])
            outs = [torch.tensor([q0])]
            for i in range(3):
                yp = v.nar_audio_position(y)
                h, _, _ = v.nar_decoder(torch.cat([xn, yp], 1), None, stage_emb=v.nar_stage_embeddings[i].weight)
                q = v.nar_predict_layers[i](h[:, TOKENS.shape[1] + tp:]).argmax(-1)
                outs.append(q)
                if i < 2:
                    y[:, tp:] += v.nar_audio_embeddings[i + 1](q)
        want = torch.stack(outs, dim=-1)[0]
        self.assertTrue(torch.equal(got, want))

    def test_padded_batch_rows_match_single_rows(self):
        v = self.valle
        short = torch.cat([TOKENS[:, :3], TOKENS[:, -1:]], dim=1)  # 4 rows
        padded = torch.cat([short, torch.zeros(1, 1, 6, dtype=torch.int64)], dim=1)
        q0 = self.prompt[..., 0]
        s, tp = TOKENS.shape[1], q0.shape[1]
        with torch.no_grad():
            xa_long, xn_long = v.embed_midi(TOKENS)
            xa_short, xn_short = v.embed_midi(short)
            xa_pad, xn_pad = v.embed_midi(padded)
            batch, _, _ = v.ar_forward(torch.cat([xa_long, xa_pad]), q0.repeat(2, 1), prefill_mask([s, 4], s, tp))
            alone, _, _ = v.ar_forward(xa_short, q0, prefill_mask([4], 4, tp))
            self.assertLess((batch[1, s:] - alone[0, 4:]).abs().max().item(), 1e-5)  # every audio row's logits
            codes = torch.cat([self.prompt, self.prompt], dim=1)
            nb = v.nar_logits(torch.cat([xn_long, xn_pad]), codes.repeat(2, 1, 1), torch.tensor([tp]), torch.tensor([2]),
                              padding_mask([s, 4], s, [2 * tp, 2 * tp]))
            na = v.nar_logits(xn_short, codes, torch.tensor([tp]), torch.tensor([2]), None)
            self.assertLess((nb[1] - na[0]).abs().max().item(), 1e-5)


class SamplingTest(unittest.TestCase):
    def test_mulberry32_matches_the_javascript_reference(self):
        # Values from the JS one-liner (Math.imul) in docs/model-pack.md's sampling section.
        rng = Mulberry32(1234)
        self.assertEqual([rng.next(), rng.next(), rng.next()], [314799534, 3021131492, 3877737075])
        self.assertEqual(Mulberry32(0).next(), 1144304738)
        rng = Mulberry32(4294967295)
        self.assertEqual([rng.next(), rng.next()], [3850105811, 813802916])

    def test_sampling_rule(self):
        logits = [0.0, 5.0, 5.0, -3.0, 1.0]
        self.assertEqual(argmax(logits), 1)  # ties -> lower id
        self.assertEqual(sample_id(logits, Mulberry32(1), top_k=1), 1)  # top-1 keeps the lower of the tied ids
        self.assertEqual(sample_id(logits, Mulberry32(1), top_p=0.01), 1)
        draws = {sample_id(logits, Mulberry32(seed), top_k=2) for seed in range(50)}
        self.assertEqual(draws, {1, 2})
        many = [sample_id(logits, Mulberry32(seed), temperature=100.0) for seed in range(400)]
        self.assertEqual(set(many), {0, 1, 2, 3, 4})  # a hot temperature flattens the distribution


class CodecTest(unittest.TestCase):
    def test_lengths_and_weight_norm_folding(self):
        _, codec = random_models(TINY_VALLE, TINY_CODEC, seed=8)
        folded = PianoEncodec(codec.dims)
        folded.load_state_dict(codec.state_dict())
        folded.fold_weight_norm().eval()
        with torch.no_grad():
            for n in (640, 641, 3000, 6400):
                wav = torch.randn(2, 1, n) * 0.2
                codes = codec.encode(wav)
                self.assertEqual(codes.shape, (2, 4, -(-n // 640)))
                self.assertTrue(torch.equal(codes, folded.encode(wav)))
                out = codec.decode(codes)
                self.assertEqual(out.shape, (2, 1, 640 * codes.shape[2]))
                self.assertLess((out - folded.decode(codes)).abs().max().item(), 1e-5)

    def test_reflect_padding_handles_inputs_shorter_than_the_kernel(self):
        codec = PianoEncodec(CodecDims(dimension=8, n_filters=4, pad_mode="reflect")).eval()
        with torch.no_grad():
            self.assertEqual(codec.encode(torch.randn(1, 1, 3)).shape, (1, 4, 1))


if __name__ == "__main__":
    unittest.main()
