"""`python manage.py streams_producer`: the Streaming style's producer (the ticker and the match).
`manage.py playground` starts it; run it by hand only when serving the playground some other way."""

import asyncio
import signal

from django.core.management.base import BaseCommand

from patterns.streams.producer import Producer


class Command(BaseCommand):
    help = "Run the ticker and match producer of the Streaming style until stopped."

    def handle(self, *args, **options):
        asyncio.run(self._run())

    async def _run(self):
        producer = Producer()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(sig, lambda: setattr(producer, "stopping", True))
        self.stdout.write("streams producer started; stop with Ctrl-C")
        await producer.run()
