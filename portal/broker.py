"""The embedded Celery broker: kombu's filesystem transport, with atomic writes.

kombu's filesystem transport creates a message file and then writes into it; a consumer
polling the folder can move and read the file in between and crash the worker on an empty
message (seen in CI with two workers and a busy publisher). The exchange table has the same
gap. Here every file is written under a temporary name the consumer ignores and then renamed
into place, which is atomic on one filesystem, so readers see a whole file or none.
Used only for `CELERY_BROKER_URL=filesystem://` (portal/settings.py).
"""

import os
import tempfile
import uuid
from time import monotonic

from kombu.transport import filesystem
from kombu.utils.json import dumps, loads


def _write_atomically(folder: str, name: str, data: bytes) -> None:
    fd, tmp = tempfile.mkstemp(dir=folder, prefix=".", suffix=".tmp")  # "._x.tmp": not a queue's name
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(tmp, os.path.join(folder, name))
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


class Channel(filesystem.Channel):
    def _put(self, queue, payload, **kwargs):
        name = f"{int(round(monotonic() * 1000))}_{uuid.uuid4()}.{queue}.msg"
        try:
            _write_atomically(self.data_folder_out, name, dumps(payload).encode())
        except OSError as exc:
            raise filesystem.ChannelError(f"Cannot add file {name!r} to directory") from exc

    def _queue_bind(self, exchange, routing_key, pattern, queue):
        file = self._exchange_file(exchange)
        self.control_folder.mkdir(exist_ok=True)
        entry = filesystem.exchange_queue_t(routing_key or "", pattern or "", queue or "")
        try:
            queues = [filesystem.exchange_queue_t(*q) for q in loads(file.read_text())] if file.exists() else []
        except ValueError:  # a table written by plain kombu and caught half-written
            queues = []
        if entry not in queues:
            queues.insert(0, entry)
            _write_atomically(str(self.control_folder), file.name, dumps(queues).encode())


class Transport(filesystem.Transport):
    Channel = Channel
