"""`manage.py fire database …` does what the page's buttons do."""

import pytest
from django.core.management import CommandError, call_command

from patterns.ledger.models import Message
from patterns.shop import schema

pytestmark = pytest.mark.django_db(databases=["default", "shop"], transaction=True)


def test_fire_refreshes_the_direct_dashboard_from_a_terminal(shop, capsys):
    call_command("fire", "database", "dashboard", "--count", "2")
    assert Message.objects.filter(kind="report.query", status="ok").count() == 6
    assert "2 × database dashboard fired" in capsys.readouterr().out


def test_fire_ships_a_change_and_restores_it(shop):
    call_command("fire", "database", "schema", "--data", '{"change": "change_type"}')
    assert schema.applied() == {"change_type"}
    call_command("fire", "database", "schema", "--data", '{"change": "restore"}')
    assert schema.applied() == frozenset()
    assert Message.objects.filter(kind="schema.change").count() == 2


def test_fire_runs_a_console_query_and_records_a_refusal(shop):
    call_command("fire", "database", "query", "--data", '{"sql": "DROP TABLE shop_order"}')
    assert Message.objects.get(kind="console.query").status == "error"


@pytest.mark.parametrize(
    "data", ['{"via": "backdoor"}', '{"change": "drop_everything"}', '{"sql": ""}']
)
def test_fire_refuses_bad_data_and_records_nothing(shop, data):
    kind = {"via": "dashboard", "change": "schema", "sql": "query"}[data.split('"')[1]]
    with pytest.raises(CommandError, match="contract"):
        call_command("fire", "database", kind, "--data", data)
    assert not Message.objects.filter(style="database").exists()
