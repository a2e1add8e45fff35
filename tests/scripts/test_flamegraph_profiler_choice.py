"""Choosing the profiler: a perf that may not record is detected (and `auto` falls back to
gperftools) without needing perf itself: a stand-in `perf` on PATH refuses like the real one
does under perf_event_paranoid."""

import os
import stat
import tempfile
import unittest
from unittest import mock

import flamegraph_test_support  # noqa: F401  (import path)
from flamegraph_lib import profiling

REFUSING_PERF = """#!/bin/sh
echo "Error: Access to performance monitoring and observability operations is limited." >&2
exit 255
"""


class PerfPermission(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        perf = os.path.join(self.tmp.name, "perf")
        with open(perf, "w") as f:
            f.write(REFUSING_PERF)
        os.chmod(perf, stat.S_IRWXU)
        self.path = mock.patch.dict(os.environ, {"PATH": self.tmp.name + os.pathsep +
                                                 os.environ.get("PATH", "")})
        self.path.start()

    def tearDown(self):
        self.path.stop()
        self.tmp.cleanup()

    def test_refusal_is_reported_with_perfs_reason(self):
        ok, why = profiling.perf_permitted()
        self.assertFalse(ok)
        self.assertIn("not permitted", why)
        self.assertIn("Access to performance monitoring", why)

    def test_perf_asked_for_explicitly_is_an_error_naming_the_fallback(self):
        with self.assertRaisesRegex(profiling.ProfileError, "--profiler gperftools"):
            profiling.take_profile(["true"], "perf", 99)

    def test_auto_falls_back_to_gperftools_with_a_note(self):
        seen = {}

        def fake_gperftools(command, frequency, workdir):
            seen["command"] = command
            return profiling.Profile({}, {}, "gperftools", "test", frequency)

        with mock.patch.object(profiling, "profile_with_gperftools", fake_gperftools):
            profile = profiling.take_profile(["true"], "auto", 99)
        self.assertEqual(seen["command"], ["true"])
        self.assertEqual(profile.profiler, "gperftools")
        self.assertEqual(len(profile.notes), 1)
        self.assertIn("falling back to gperftools", profile.notes[0])


if __name__ == "__main__":
    unittest.main()
