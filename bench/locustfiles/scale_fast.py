"""Scale with Locust's FastHttpUser: each user waits 30-60 s between requests, holding its connection.

Each user waits a random 0-30 s before its first request, as the jlocust scale user does.
"""
import itertools
import os
import random
import time

from locust import between, task
from locust.contrib.fasthttp import FastHttpUser

_PORTS = [p for p in os.environ.get("BENCH_SCALE_PORTS", "").split(",") if p]
_NEXT = itertools.count()


class ScaleUser(FastHttpUser):
    wait_time = between(30, 60)

    def on_start(self):
        # spread users over nginx's ports as the jlocust scale user does
        if _PORTS:
            port = _PORTS[next(_NEXT) % len(_PORTS)]
            self.url = "http://127.0.0.1:%s/file.txt" % port
        else:
            self.url = "/file.txt"
        time.sleep(random.uniform(0, 30))  # gevent's sleep under Locust

    @task
    def file(self):
        self.client.get(self.url, name="/file.txt")
