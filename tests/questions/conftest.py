"""A room and its instructor's key, and a small client for the questions API."""

from types import SimpleNamespace

import pytest


class Room(SimpleNamespace):
    def url(self, tail=""):
        return f"/api/rooms/{self.code}/questions{tail}"

    def post(self, tail, body=None, key=True):
        headers = {"HTTP_X_ROOM_KEY": self.key} if key else {}
        return self.client.post(
            self.url(tail), body or {}, content_type="application/json", **headers
        )

    def get(self, tail, key=True, **params):
        headers = {"HTTP_X_ROOM_KEY": self.key} if key else {}
        return self.client.get(self.url(tail), params, **headers)

    def ask(self, **body):
        answer = self.post("", body)
        assert answer.status_code == 201, answer.content
        return answer.json()

    def move(self, qid, *actions):
        for action in actions:
            answer = self.post(f"/{qid}/{action}")
            assert answer.status_code == 200, (action, answer.content)
        return answer.json()

    def vote(self, qid, voter, option):
        return self.post(f"/{qid}/votes", {"voter": voter, "option": option}, key=False)


@pytest.fixture
def room(client):
    opened = client.post("/api/rooms", {}, content_type="application/json").json()
    return Room(client=client, code=opened["code"], key=opened["control_key"])
