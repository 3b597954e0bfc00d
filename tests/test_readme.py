"""The README's two set-up commands are the ones that work: CI runs the test command verbatim."""

import re

from tests.servers import ROOT

README = (ROOT / "README.md").read_text()
COMMANDS = re.findall(r"```sh\n(.+?)\n```", README)


def test_the_readme_gives_exactly_two_set_up_commands():
    assert len(COMMANDS) == 2
    run, test = COMMANDS
    assert run.endswith("manage.py playground") and "requirements.txt" in run
    assert test.endswith("-m pytest") and "requirements-dev.txt" in test


def test_ci_runs_the_readmes_test_command_verbatim():
    ci = (ROOT / ".ci" / "run").read_text()
    assert f"  {COMMANDS[1]}\n" in ci
