"""Scale with Locust's FastHttpUser: each user waits 30-60 s between requests, holding its connection."""
import itertools
import os

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

    @task
    def file(self):
        self.client.get(self.url, name="/file.txt")
