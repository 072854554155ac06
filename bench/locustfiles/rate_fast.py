"""Fixed rate with Locust's FastHttpUser: each user paced to BENCH_RATE_PER_USER requests per second."""
import os

from locust import constant_throughput, task
from locust.contrib.fasthttp import FastHttpUser


class RateUser(FastHttpUser):
    wait_time = constant_throughput(float(os.environ.get("BENCH_RATE_PER_USER", "200")))

    @task
    def file(self):
        self.client.get("/file.txt")
