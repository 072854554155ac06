# Python peer for the interop tests. The user class has the same name as the Java one
# (ClusterUser), so a Python master can dispatch it to Java workers and the reverse.
import logging

from locust import HttpUser, constant, events, task
from locust.runners import MasterRunner, WorkerRunner


class ClusterUser(HttpUser):
    wait_time = constant(0.05)

    @task
    def index(self):
        self.client.get("/", name="/py")


@events.test_start.add_listener
def send_metadata(environment, **kwargs):
    # as the telemetry plugins do: the master tells every worker the run's metadata
    if isinstance(environment.runner, MasterRunner):
        environment.runner.send_message("set_metadata", {"run_id": "c0ffee42", "testplan": "interop"})


@events.init.add_listener
def register_handlers(environment, **kwargs):
    if isinstance(environment.runner, MasterRunner):
        def on_ack(environment, msg, **kw):
            logging.info("METADATA_ACK from %s: %s", msg.node_id, msg.data)

        environment.runner.register_message("metadata_ack", on_ack)
    elif isinstance(environment.runner, WorkerRunner):
        def on_metadata(environment, msg, **kw):
            logging.info("SET_METADATA %s", msg.data)
            environment.runner.send_message(
                "metadata_ack", {"received": msg.data.get("run_id"), "worker_index": environment.runner.worker_index})

        environment.runner.register_message("set_metadata", on_metadata)
