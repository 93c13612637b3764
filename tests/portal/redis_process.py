"""A throwaway redis-server of the test's own, on a free port, that a fault test may kill and start again
(never the machine's shared Redis)."""

import socket
import subprocess
import threading
import time

import redis


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class RedisProcess:
    def __init__(self):
        self.port = free_port()
        self.process = None

    def url(self, db=7):
        return f"redis://127.0.0.1:{self.port}/{db}"

    def start(self):
        self.process = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        client = redis.Redis(port=self.port)
        for _ in range(200):
            try:
                client.ping()
                return self
            except redis.ConnectionError:
                time.sleep(0.05)
        raise RuntimeError("redis-server did not start")

    def kill(self):
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=10)

    def queued(self, queue="celery", db=7):
        return redis.Redis(port=self.port, db=db).llen(queue)


class Refuser:
    """Stands where Redis was: accepts each connection and closes it at once, counting the attempts."""

    def __init__(self, port):
        self.attempts = 0
        self.server = socket.create_server(("127.0.0.1", port))
        self.server.settimeout(0.2)
        self.running = True
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self):
        while self.running:
            try:
                connection, _ = self.server.accept()
            except TimeoutError:
                continue
            self.attempts += 1
            connection.close()

    def close(self):
        self.running = False
        self.thread.join()
        self.server.close()
