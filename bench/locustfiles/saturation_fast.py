"""Saturation with Locust's FastHttpUser: one GET of the 100-byte file after another."""
from locust import constant, task
from locust.contrib.fasthttp import FastHttpUser


class SaturationUser(FastHttpUser):
    wait_time = constant(0)

    @task
    def file(self):
        self.client.get("/file.txt")
