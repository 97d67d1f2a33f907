"""MIDI-VALLE reference in PyTorch: the VALLE model, Piano-Encodec, checkpoint loading, ONNX pack export.

Written from ../shared/reference/midi-valle-model.md; key names and shapes follow the official checkpoints so
that `load_state_dict(strict=True)` accepts them.
"""
