"""Saturation with Locust's FastHttpUser: one GET of the 100-byte file after another.

Over HTTPS the self-signed certificate is accepted unchecked (insecure, FastHttpUser's default)."""
from locust import constant, task
from locust.contrib.fasthttp import FastHttpUser


class SaturationUser(FastHttpUser):
    wait_time = constant(0)
    insecure = True

    @task
    def file(self):
        self.client.get("/file.txt")
