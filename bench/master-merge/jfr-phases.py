#!/usr/bin/env python3
"""Where a master's CPU went, from `jfr print --events jdk.CPUTimeSample` on stdin.

Prints the samples by thread, then by thread and phase (the first phase whose frame is on the
sample's stack, in the order below: merge, report validation, typed view, decode, encode,
other message handling, ZeroMQ, waiting), then the methods found on most stacks (inclusive).
"""
import collections
import re
import sys

PHASES = [
    ("merge", ("WireStats.merge", "RequestStats.merge")),
    ("validation (ReportCheck)", ("ReportCheck",)),
    ("typed view", ("LocustMessage.fromWorker",)),
    ("decode", ("MessageCodec.decode",)),
    ("encode", ("MessageCodec.encode",)),
    ("handling, other", ("MasterRouter", "WorkerRegistry", "WorkerDispatch")),
    ("ZeroMQ", ("zmq.", "org.zeromq")),
    ("waiting", ("SocketWaiter",)),
]


def main():
    text = sys.stdin.read()
    events = text.split("jdk.CPUTimeSample {")[1:]
    threads = collections.Counter()
    phases = collections.Counter()
    inclusive = collections.Counter()
    for event in events:
        m = re.search(r'eventThread = "([^"]*)"', event)
        thread = re.sub(r"-?\d+$", "", m.group(1)) if m else "?"
        frames = re.findall(r"^\s{4}(\S.*?) line:", event, re.M)
        threads[thread] += 1
        phase = "other"
        for name, patterns in PHASES:
            if any(p in f for f in frames for p in patterns):
                phase = name
                break
        phases[(thread, phase)] += 1
        for method in {f.split("(")[0] for f in frames}:
            inclusive[method] += 1
    total = len(events)
    if total == 0:
        print("no CPU-time samples")
        return
    print(f"{total} CPU-time samples")
    for thread, n in threads.most_common():
        print(f"{n:7d} {100 * n / total:5.1f}%  {thread}")
    print("\nby thread and phase")
    for (thread, phase), n in phases.most_common(20):
        print(f"{n:7d} {100 * n / total:5.1f}%  {thread:30s} {phase}")
    print("\nmethods on most stacks")
    for method, n in inclusive.most_common(50):
        print(f"{n:7d} {100 * n / total:5.1f}%  {method}")


if __name__ == "__main__":
    main()
