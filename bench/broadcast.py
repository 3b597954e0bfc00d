"""The baseline of bench/streams.py: a bare `websockets` server broadcasting ticker-like frames
(same size, rate and count as the playground's) to every client, no storage, no channel layer.
A process of its own, started by streams.py:

    python -m bench.broadcast PORT CLIENTS RATE SECONDS

It waits for CLIENTS to connect, broadcasts RATE frames a second for SECONDS, and exits when the
last client has gone.
"""

import asyncio
import json
import sys
import time

import websockets


async def serve_baseline(port, clients, rate, seconds):
    connected = set()

    async def handler(ws):
        connected.add(ws)
        try:
            await ws.wait_closed()
        finally:
            connected.discard(ws)

    async with websockets.serve(handler, "127.0.0.1", port, max_size=2**24):
        while len(connected) < clients:
            await asyncio.sleep(0.05)
        await asyncio.sleep(1)
        symbols = ["ACME", "GLOBEX", "INITECH", "UMBRELLA"]
        start = time.monotonic()
        for seq in range(1, rate * seconds + 1):
            await asyncio.sleep(max(0, start + (seq - 1) / rate - time.monotonic()))
            event = {
                "seq": seq,
                "t": time.time() * 1000,
                "data": {
                    "type": "price",
                    "symbol": symbols[seq % 4],
                    "price": 121.37,
                    "change": 0.21,
                },
            }
            websockets.broadcast(
                connected,
                json.dumps(
                    {"type": "events", "stream": "ticker", "events": [event], "replay": False}
                ),
            )
        while connected:
            await asyncio.sleep(0.1)


if __name__ == "__main__":
    port, clients, rate, seconds = (int(arg) for arg in sys.argv[1:5])
    asyncio.run(serve_baseline(port, clients, rate, seconds))
