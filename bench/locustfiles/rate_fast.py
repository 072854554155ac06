"""Fixed rate with Locust's FastHttpUser: each user paced to BENCH_RATE_PER_USER requests per second.

With BENCH_CLOSE=1 each request asks for "Connection: close" (a new connection and TLS handshake
per request). Over HTTPS the self-signed certificate is accepted unchecked (insecure)."""
import os

from locust import constant_throughput, task
from locust.contrib.fasthttp import FastHttpUser

HEADERS = {"Connection": "close"} if os.environ.get("BENCH_CLOSE") == "1" else None


class RateUser(FastHttpUser):
    wait_time = constant_throughput(float(os.environ.get("BENCH_RATE_PER_USER", "200")))
    insecure = True

    @task
    def file(self):
        self.client.get("/file.txt", headers=HEADERS)
