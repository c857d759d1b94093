"""Synthetic names, streets, postcodes and dates for the demo: invented syllables and the
ZZ99 postcode area, so nothing generated can be a real person or place."""

from __future__ import annotations

import random
from datetime import date, timedelta

from vigil.people.models import Sex

GIVEN = {
    Sex.MALE: [
        "Adrian",
        "Bernard",
        "Callum",
        "Dominic",
        "Ewan",
        "Fergus",
        "Gareth",
        "Hugo",
        "Ivor",
        "Jasper",
        "Kieran",
        "Lionel",
        "Magnus",
        "Neville",
        "Oswin",
        "Percy",
    ],
    Sex.FEMALE: [
        "Alma",
        "Bryony",
        "Cerys",
        "Delphine",
        "Edith",
        "Freya",
        "Gwen",
        "Hester",
        "Imogen",
        "Juno",
        "Kezia",
        "Linnea",
        "Maud",
        "Nerys",
        "Odette",
        "Petra",
    ],
}
SYLLABLES_A = ["Quen", "Varl", "Zeth", "Brom", "Thistl", "Marn", "Grend", "Ostr", "Pell", "Wyx"]
SYLLABLES_B = ["ingby", "owick", "amere", "oncroft", "ishaw", "elford", "udsey", "axton"]
STREETS = [
    "Example Street",
    "Sample Road",
    "Testing Lane",
    "Specimen Close",
    "Placeholder Way",
    "Fictional Avenue",
    "Mock Terrace",
    "Dummy Crescent",
]


def synthetic_surname(rng: random.Random) -> str:
    return rng.choice(SYLLABLES_A) + rng.choice(SYLLABLES_B)


def synthetic_postcode(rng: random.Random) -> str:
    letters = "ABDEFGHJLNPQRSTUWXYZ"
    return f"ZZ99 {rng.randint(1, 9)}{rng.choice(letters)}{rng.choice(letters)}"


def date_between(rng: random.Random, start: date, end: date) -> date:
    return start + timedelta(days=rng.randint(0, (end - start).days))
