"""The council's order of roles is declared once, on CouncilRole: the roll, the minutes and the
documents all list the chair first, then the vice-chairs, the secretary and the members."""

from org.models import CouncilRole


def test_roles_rank_in_the_councils_order():
    shuffled = ["member", "secretary", "chair", "member", "vice_chair"]

    assert sorted(shuffled, key=CouncilRole.rank) == ["chair", "vice_chair", "secretary", "member", "member"]
    assert [CouncilRole.rank(r) for r in CouncilRole] == [0, 1, 2, 3]


def test_a_value_that_is_no_council_role_comes_last():
    assert CouncilRole.rank("") > CouncilRole.rank(CouncilRole.MEMBER)
    assert CouncilRole.rank("observer") == len(CouncilRole.values)
