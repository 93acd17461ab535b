import threading

import pytest
from django.db import connection, connections, transaction

from aftersales.models import DocumentSequence
from aftersales.numbering import next_number
from tests.testapp.models import Ticket


@pytest.mark.django_db
def test_numbers_are_prefix_day_sequence_and_sequential():
    first = next_number("WX")
    second = next_number("WX")
    prefix, day, seq = first.split("-")
    assert prefix == "WX" and len(day) == 8 and seq == "0001"
    assert second.endswith("-0002")
    assert next_number("FH").endswith("-0001"), "each document type has its own sequence"


@pytest.mark.django_db
def test_numbered_model_gets_a_number_once():
    ticket = Ticket.objects.create(title="a")
    number = ticket.number
    ticket.title = "b"
    ticket.save()
    ticket.refresh_from_db()
    assert ticket.number == number and number.startswith("TT-")


@pytest.mark.django_db
def test_rolled_back_number_is_never_issued_twice():
    with pytest.raises(RuntimeError), transaction.atomic():
        Ticket.objects.create(title="lost")
        raise RuntimeError
    kept = Ticket.objects.create(title="kept")
    assert kept.number.endswith("-0001")
    assert Ticket.objects.filter(number=kept.number).count() == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_no_duplicate_numbers_under_eight_concurrent_creators():
    if connection.vendor != "postgresql":
        pytest.skip("row locks are what this proves; SQLite serialises writers anyway")
    creators, per_thread = 8, 10
    barrier = threading.Barrier(creators)
    numbers, errors = [], []
    lock = threading.Lock()

    def create():
        try:
            barrier.wait()
            for _ in range(per_thread):
                with transaction.atomic():
                    ticket = Ticket.objects.create(title="concurrent")
                with lock:
                    numbers.append(ticket.number)
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=create) for _ in range(creators)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert len(numbers) == creators * per_thread
    assert len(set(numbers)) == len(numbers), "a number was issued twice"
    seqs = sorted(int(n.rsplit("-", 1)[1]) for n in numbers)
    assert seqs == list(range(1, creators * per_thread + 1)), "numbers are gap-free"
    assert DocumentSequence.objects.get(prefix="TT").last_value == creators * per_thread
