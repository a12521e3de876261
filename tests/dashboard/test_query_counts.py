"""The facilitation page runs the same few queries for 2 experiments as for 10."""

from datetime import timedelta

MAX_QUERIES = 14


def _count(client, count_queries) -> int:
    client.get("/facilitation")
    with count_queries() as counter:
        response = client.get("/facilitation?weeks=3")
    assert response.status_code == 200
    return counter.n


def _grow(pulse, make, first: int, last: int) -> None:
    """Experiments first..last-1, each with a topic, a reply by a member of another cohort, a learning-log
    entry, a challenge and a workshop with an answer."""
    for n in range(first, last):
        member = make.user(f"member{n}x")
        pulse.joined(member, pulse.now - timedelta(days=40 * n))
        experiment = pulse.experiment(f"Experiment {n}")
        topic = pulse.topic(member, pulse.category_of(experiment), weeks_ago=n % 12)
        pulse.reply(pulse.facilitator_id, topic, weeks_ago=(n + 1) % 12)
        pulse.log_entry(experiment, weeks_ago=n % 7)
        workshop = pulse.workshop(title=f"Workshop {n}")
        pulse.challenge(member, workshop, experiment, weeks_ago=1)
        pulse.answer(workshop, member, "going")


def test_query_count_does_not_grow_with_experiments(client, auth, make, pulse, count_queries):
    _grow(pulse, make, 0, 2)
    auth.login("facilitator1")
    small = _count(client, count_queries)
    _grow(pulse, make, 2, 10)
    large = _count(client, count_queries)
    assert small == large
    assert large <= MAX_QUERIES
