from __future__ import annotations


def test_it_builds_the_world(world):
    assert len(world.units) == 12
    client = world.client("tochuc")
    response = client.get("/to-chuc/DN/?ngay=01/01/2020")
    assert response.status_code == 200
    assert "Huyện ủy Cư Jút" in response.content.decode()
