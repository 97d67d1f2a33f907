#!/usr/bin/env python3
"""Runs every native-models unittest; the last line is `python: N passed, N failed` (exit 1 on failure)."""
import os
import sys
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(HERE, "tests"))


def main() -> int:
    import warnings

    warnings.filterwarnings("ignore")  # torch.onnx export chatter; failures still surface as test results
    suite = unittest.defaultTestLoader.discover(os.path.join(HERE, "tests"), pattern="test_*.py", top_level_dir=os.path.join(HERE, "tests"))
    result = unittest.TextTestRunner(verbosity=2 if "-v" in sys.argv else 1).run(suite)
    failed = len(result.failures) + len(result.errors) + len(result.unexpectedSuccesses)
    passed = result.testsRun - failed - len(result.skipped)
    print(f"python: {passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
