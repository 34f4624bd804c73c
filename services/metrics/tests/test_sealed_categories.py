"""Sealed categories: counted while the participant's key is held, in any order; gone for good on erasure."""

from __future__ import annotations

import itertools
import marshal

from metrics.domain.facts import (
    AttendanceFact,
    ErasedFact,
    EventFact,
    Fact,
    KeyFact,
    ParticipantFact,
    participant_fact,
)
from metrics.domain.partition_facts import PartitionFacts
from metrics.repository.codec import compress, decode_facts, decode_state, encode_facts, state_bytes
from shared.contracts.payloads import ParticipantChanged, SealedFields
from shared.contracts.vocabulary import Ethnicity, Gender
from shared.sealing import new_data_key, seal

EVENT = EventFact("e1", "resilience", 1, "ucl", "accelerator", "england", False, "2026-06")
FIELDS = SealedFields(organisation_id="org-7", gender=Gender.SELF_DESCRIBED, ethnicity=Ethnicity.OTHER)


def sealed_leader(participant_id: str, key: bytes, version: int = 1) -> ParticipantFact:
    return participant_fact(
        ParticipantChanged(
            participant_id=participant_id,
            programme_id="resilience",
            partner_id="ucl",
            version=version,
            role="leader",
            sealed=seal(key, participant_id, version, FIELDS),
            consent_data_processing=True,
            consent_demographics=True,
        )
    )


def shares(facts: PartitionFacts) -> tuple[int, int, int]:
    """(self-described leaders, not-disclosed leaders, leader organisations) of the programme."""
    if "resilience" not in facts.tallies:
        return (0, 0, 0)
    total = facts.tallies["resilience"].total
    assert total.shares is not None
    gender = total.shares["leaders"]["gender"]
    return (gender["self_described"], gender["not_disclosed"], len(total.members["leader_organisations"]))


def folded(facts: list[Fact]) -> PartitionFacts:
    held = PartitionFacts()
    held.merge([EVENT])
    held.merge(facts)
    return held


def test_sealed_categories_count_once_the_key_is_held_whichever_arrives_first() -> None:
    key = new_data_key()
    facts: list[Fact] = [
        sealed_leader("p1", key),
        KeyFact("p1", key),
        AttendanceFact("resilience", "e1", "p1", "2026-03-01T10:00:00.000000Z"),
    ]
    for order in itertools.permutations(facts):
        assert shares(folded(list(order))) == (1, 0, 1)
    without_key = folded([facts[0], facts[2]])  # counted once the key is held, never as not disclosed first
    assert shares(without_key) == (0, 0, 0)
    assert "resilience" not in without_key.tallies or not without_key.tallies["resilience"].total.attendances


def test_a_sealed_field_does_not_open_with_another_participants_key_or_moved_to_another() -> None:
    key = new_data_key()
    attended = AttendanceFact("resilience", "e1", "p2", "2026-03-01T10:00:00.000000Z")
    wrong_key = [sealed_leader("p2", key), KeyFact("p2", new_data_key()), attended]
    moved = [sealed_leader("p1", key)._replace(participant_id="p2"), KeyFact("p2", key), attended]
    # held with a key that does not open it: counted, as not disclosed
    replayed = [sealed_leader("p2", key)._replace(version=2), KeyFact("p2", key), attended]
    for facts in (wrong_key, moved, replayed):
        assert shares(folded(facts)) == (0, 1, 0)


def test_erasure_moves_categories_to_not_disclosed_keeps_reach_and_leaves_nothing_stored() -> None:
    key = new_data_key()
    attended = AttendanceFact("resilience", "e1", "p1", "2026-03-01T10:00:00.000000Z")
    facts: list[Fact] = [sealed_leader("p1", key), KeyFact("p1", key), attended, ErasedFact("p1")]
    for order in itertools.permutations(facts):
        held = folded(list(order))
        assert shares(held) == (0, 1, 0)
        assert held.tallies["resilience"].total.members["leaders"] == {"p1": 1}  # reach stays
        stored = state_bytes(held)
        assert key not in stored
        assert b"org-7" not in stored
        assert facts[0].sealed is not None
        assert facts[0].sealed.encode() not in stored
        assert shares(decode_state(compress(stored))) == (0, 1, 0)
    segment = decode_facts(encode_facts([*facts[:2], ErasedFact("p1")]))
    assert KeyFact("p1", key) in segment
    assert ErasedFact("p1") in segment
    assert key not in marshal.dumps(folded([*segment, attended]).state())
