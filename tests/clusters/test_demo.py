"""The demo's clusters: 2025 ranked with its proposal drafted, 2026 open for Long Biên's self-scores."""

import pytest
from django.core.management import call_command
from django.urls import reverse

from clusters.models import Cluster, ClusterResult, ClusterTerm, TermState
from org.models import User


@pytest.mark.django_db
def test_the_demo_has_a_ranked_year_a_proposal_and_an_open_year(client, capsys):
    call_command("seed_demo")
    capsys.readouterr()
    cluster = Cluster.objects.get(name="Cụm thi đua số 1")
    done = ClusterTerm.objects.get(cluster=cluster, year=2025)
    assert done.state == TermState.CLOSED and done.leader.name == "Phường Bồ Đề"
    ranking = list(
        ClusterResult.objects.filter(term=done).order_by("rank").values_list("unit__name", "tie_broken_by")
    )
    assert ranking[:2] == [("Phường Long Biên", "criteria"), ("Phường Bồ Đề", "criteria")]
    dossier = done.proposal.dossier
    assert dossier.state == "draft" and dossier.unit.name == "Phường Bồ Đề"
    assert {n.collective_unit.name: n.award_type.code for n in dossier.nominees.all()} == {
        "Phường Long Biên": "co-thi-dua-cap-tinh",
        "Phường Bồ Đề": "bang-khen-chu-tich-tinh",
        "Phường Việt Hưng": "bang-khen-chu-tich-tinh",
    }
    current = ClusterTerm.objects.get(cluster=cluster, year=2026)
    assert current.state == TermState.SELF_SCORING and current.leader.name == "Phường Long Biên"
    # The ward's chair enters Long Biên's self-scores from the demo.
    client.force_login(User.objects.get(username="chair"))
    longbien = current.leader
    page = client.get(reverse("cluster-term", args=[cluster.pk, 2026]))
    assert reverse("cluster-self-score", args=[cluster.pk, 2026, longbien.pk]) in page.content.decode()
    assert client.get(reverse("cluster-self-score", args=[cluster.pk, 2026, longbien.pk])).status_code == 200
    assert Cluster.objects.filter(name="Khối các sở, ngành", kind="bloc").exists()
