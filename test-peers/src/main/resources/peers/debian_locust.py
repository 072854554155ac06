#!/usr/bin/python3
"""Starts Debian's python3-locust with a real version string.

Debian's build of Locust reports its version as an empty string, and a Python master then
turns its workers away as older than 2.0. This gives Locust the Debian package's upstream
version (2.12.1 on bookworm) before it starts; the arguments go to Locust unchanged.
"""
import subprocess
import sys
import types


def debian_version():
    try:
        out = subprocess.run(["dpkg-query", "-W", "-f=${Version}", "python3-locust"],
                             capture_output=True, text=True, check=True).stdout
        return out.split("-")[0].split(":")[-1] or "2.12.1"
    except (OSError, subprocess.CalledProcessError):
        return "2.12.1"


module = types.ModuleType("locust._version")
module.version = debian_version()
sys.modules["locust._version"] = module

from locust.main import main  # noqa: E402  (imported once the version is in place)

if __name__ == "__main__":
    sys.argv[0] = "locust"
    sys.exit(main())
