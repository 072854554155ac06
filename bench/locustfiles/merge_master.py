# The user class a Python Locust master hands to the simulated workers of bench/master-merge/run
# (--python-master): its name is the one bench/locustfiles/SaturationUser.java gives a jlocust master.
from locust import User, constant, task


class SaturationUser(User):
    wait_time = constant(1)

    @task
    def nothing(self):
        pass
