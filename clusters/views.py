"""Pages of the clusters and blocs: the list, a cluster's set-up, a year's page (members, leader
and deputy, criteria, scores, ranking, proposal) and the scoring forms. Thin: parse, call a
selector or a service (clusters.services), render."""

from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from dossiers.files import file_response
from dossiers.models import Campaign
from dossiers.permissions import can_view_dossier
from dossiers.views import ServiceFormView
from org.models import Unit

from . import permissions, selectors, services
from .forms import (
    CloseForm,
    ClusterForm,
    CriteriaForm,
    CrossScoreForm,
    MembersForm,
    ProposalForm,
    ReviewForm,
    SelfScoreForm,
    TermForm,
)
from .models import ClusterMembership, ClusterTerm, CrossScore, ReviewedScore, TermState


def organisers_for(user):
    units = Unit.objects.filter(level="province").order_by("name")
    if user.is_superuser:
        return list(units)
    return list(units.filter(pk__in=permissions.organiser_unit_ids(user)))


class ClusterListView(ServiceFormView):
    template_name = "clusters/cluster_list.html"

    def back_url(self):
        return reverse("cluster-list")

    def get_form(self, data=None, files=None):
        self.organizers = organisers_for(self.request.user)
        return ClusterForm(data, organizers=self.organizers)

    def get_context(self):
        clusters = list(selectors.cluster_list_for(user=self.request.user).prefetch_related("terms__leader"))
        return {"clusters": clusters, "form": self.form, "can_create": bool(self.organizers)}

    def post(self, request, *args, **kwargs):
        if not organisers_for(request.user):
            raise Http404
        return super().post(request, *args, **kwargs)

    def perform(self, data):
        self.cluster = services.cluster_create(actor=self.request.user, **data)
        return _("%(name)s has been formed.") % {"name": self.cluster.name}

    def success_url(self):
        return reverse("cluster-detail", args=[self.cluster.pk])


class ClusterDetailView(ServiceFormView):
    """A cluster's years; for its standing body, the forms that set a year up."""

    template_name = "clusters/cluster_detail.html"
    FORMS = {"members": MembersForm, "term": TermForm, "criteria": CriteriaForm}

    def back_url(self):
        return reverse("cluster-detail", args=[self.kwargs["pk"]])

    def load(self):
        self.cluster = selectors.access_cluster(user=self.request.user, pk=self.kwargs["pk"])
        self.manages = permissions.is_standing_body(self.request.user, self.cluster)

    def candidates(self):
        return Unit.objects.filter(path__startswith=self.cluster.organizer.path, is_active=True).exclude(
            pk=self.cluster.organizer_id
        )

    def get_form(self, data=None, files=None):
        self.action = (data or {}).get("action", "")
        if data is not None and (not self.manages or self.action not in self.FORMS):
            raise Http404
        year = timezone.localdate().year
        self.forms = {
            "members": MembersForm(None, candidates=self.candidates(), initial={"year": year}),
            "term": TermForm(None, candidates=self.candidates(), initial={"year": year}),
            "criteria": CriteriaForm(None, initial={"year": year}),
        }
        if data is not None:
            kwargs = {"candidates": self.candidates()} if self.action != "criteria" else {}
            self.forms[self.action] = self.FORMS[self.action](data, **kwargs)
            return self.forms[self.action]
        return None

    def get_context(self):
        terms = list(self.cluster.terms.select_related("leader", "deputy").order_by("-year"))
        members = {}
        for m in (
            ClusterMembership.objects.filter(cluster=self.cluster)
            .select_related("unit")
            .order_by("unit__name")
        ):
            members.setdefault(m.year, []).append(m.unit)
        years = sorted(set(members) | {t.year for t in terms}, reverse=True)
        by_year = {t.year: t for t in terms}
        return {
            "cluster": self.cluster,
            "years": [(y, by_year.get(y), members.get(y, [])) for y in years],
            "manages": self.manages,
            "forms": self.forms,
        }

    def perform(self, data):
        actor, cluster = self.request.user, self.cluster
        if self.action == "members":
            services.cluster_members_set(
                actor=actor, cluster=cluster, year=data["year"], units=list(data["units"])
            )
            return _("The members of %(year)s have been set.") % {"year": data["year"]}
        if self.action == "term":
            services.cluster_term_set(actor=actor, cluster=cluster, **data)
            return _("The leader and deputy of %(year)s have been set.") % {"year": data["year"]}
        term = ClusterTerm.objects.filter(cluster=cluster, year=data["year"]).first()
        if term is None:
            raise Http404
        services.cluster_criteria_set(actor=actor, term=term, criteria=data["lines"])
        return _("The criteria of %(year)s have been set.") % {"year": data["year"]}

    def success_url(self):
        return reverse("cluster-detail", args=[self.cluster.pk])


def _campaigns_for(term):
    """The running campaigns of the province (or above) that the proposal may go into."""
    today = timezone.localdate()
    return Campaign.objects.filter(
        Q(organizer_id__in=[int(x) for x in term.cluster.organizer.path.strip("/").split("/")]),
        period_end__gte=today,
    ).order_by("-period_start", "name")


class TermView(ServiceFormView):
    """A cluster's year: members, leader and deputy, criteria, the scores table, the ranking and
    the proposal; the buttons each role may press."""

    template_name = "clusters/term_detail.html"
    ACTIONS = ("open", "cross_open", "cross_close", "close", "propose", "confirm")

    def back_url(self):
        return reverse("cluster-term", args=[self.kwargs["pk"], self.kwargs["year"]])

    def load(self):
        self.term = selectors.access_term(
            user=self.request.user, cluster_pk=self.kwargs["pk"], year=self.kwargs["year"]
        )

    def get_form(self, data=None, files=None):
        self.action = (data or {}).get("action", "")
        self.close_form = CloseForm(data if self.action == "close" else None)
        self.proposal_form = ProposalForm(
            data if self.action == "propose" else None, campaigns=_campaigns_for(self.term)
        )
        if data is None:
            return None
        if self.action not in self.ACTIONS:
            raise Http404
        if self.action == "close":
            return self.close_form
        if self.action == "propose":
            return self.proposal_form
        return CloseForm({})  # no fields of its own: always valid

    def get_context(self):
        user, term = self.request.user, self.term
        sheet = selectors.term_sheet(term)
        member_ids = set(permissions.member_unit_ids(user))
        own = [u for u in sheet.members if u.pk in member_ids]
        standing = permissions.is_standing_body(user, term.cluster)
        leader = permissions.acts_for_leader(user, term)
        return {
            "term": term,
            "cluster": term.cluster,
            "sheet": sheet,
            "table": selectors.table_rows(sheet),
            "own_units": own,
            # A confirmed self-assessment is final: its unit is offered no form any more.
            "self_scorable": [
                u
                for u in own
                if u.pk not in sheet.assessments or sheet.assessments[u.pk].confirmed_at is None
            ],
            "confirmable": [
                sheet.assessments[u.pk]
                for u in own
                if u.pk in sheet.assessments
                and sheet.assessments[u.pk].confirmed_at is None
                and permissions.can_confirm_for(user, u)
            ],
            "standing": standing,
            "leader": leader,
            "can_propose": permissions.can_propose(user, term),
            # The draft belongs to the leader unit: others (the city's standing body among them)
            # see its title and state, and open it once it is sent to them.
            "proposal_opens": sheet.proposal is not None and can_view_dossier(user, sheet.proposal.dossier),
            "close_form": self.close_form,
            "proposal_form": self.proposal_form,
            "S": TermState,
        }

    def perform(self, data):
        actor, term = self.request.user, self.term
        if self.action == "open":
            services.term_scoring_open(actor=actor, term=term)
            return _("The self-scoring is open.")
        if self.action == "cross_open":
            services.term_cross_scoring_open(actor=actor, term=term)
            return _("The cross-scoring is open.")
        if self.action == "cross_close":
            services.term_cross_scoring_close(actor=actor, term=term)
            return _("The cross-scores have been sent to the standing body for review.")
        if self.action == "close":
            services.term_close(actor=actor, term=term, **data)
            return _("The year is closed and the units are ranked.")
        if self.action == "propose":
            proposal = services.cluster_proposal_create(actor=actor, term=term, **data)
            return _("The proposal has been drafted as dossier #%(id)s.") % {"id": proposal.dossier_id}
        assessment = term.self_assessments.filter(pk=self.request.POST.get("assessment")).first()
        if assessment is None:
            raise Http404
        services.self_assessment_confirm(actor=actor, assessment=assessment)
        return _("The self-assessment of %(unit)s is confirmed.") % {"unit": assessment.unit}

    def success_url(self):
        return self.back_url()


class _TermFormView(ServiceFormView):
    def back_url(self):
        return reverse("cluster-term", args=[self.kwargs["pk"], self.kwargs["year"]])

    def success_url(self):
        return self.back_url()

    def load(self):
        self.term = selectors.access_term(
            user=self.request.user, cluster_pk=self.kwargs["pk"], year=self.kwargs["year"]
        )
        self.members = selectors.members_of(self.term.cluster, self.term.year)
        self.unit = next((u for u in self.members if u.pk == self.kwargs["unit"]), None)
        if self.unit is None:
            raise Http404
        self.criteria = list(self.term.criteria.order_by("position"))

    def get_context(self):
        return {"term": self.term, "cluster": self.term.cluster, "unit": self.unit, "form": self.form}


class SelfScoreView(_TermFormView):
    template_name = "clusters/self_score_form.html"

    def load(self):
        super().load()
        if not permissions.can_score_for(self.request.user, self.unit):
            raise Http404

    def get_form(self, data=None, files=None):
        scores = {
            s.criterion_id: s
            for s in selectors.SelfScore.objects.filter(
                assessment__term=self.term, assessment__unit=self.unit
            )
        }
        return SelfScoreForm(data, files, criteria=self.criteria, scores=scores)

    def perform(self, data):
        assessment = services.self_assessment_enter(
            actor=self.request.user, term=self.term, unit=self.unit, scores=self.form.scores()
        )
        if assessment.confirmed_at:
            return _("The self-scores of %(unit)s are entered and confirmed.") % {"unit": self.unit}
        return _("The self-scores of %(unit)s are entered; the head confirms them.") % {"unit": self.unit}


class CrossScoreView(_TermFormView):
    template_name = "clusters/cross_score_form.html"

    def load(self):
        super().load()
        if not permissions.acts_for_leader(self.request.user, self.term):
            raise Http404

    def get_form(self, data=None, files=None):
        current = {
            (s, c): p
            for s, c, p in CrossScore.objects.filter(term=self.term, scorer=self.unit).values_list(
                "scored_id", "criterion_id", "points"
            )
        }
        others = [u for u in self.members if u.pk != self.unit.pk]
        return CrossScoreForm(data, criteria=self.criteria, scored=others, current=current)

    def perform(self, data):
        services.cross_scores_enter(
            actor=self.request.user, term=self.term, scorer=self.unit, scores=self.form.scores()
        )
        return _("The sheet of %(unit)s is entered.") % {"unit": self.unit}


class ReviewView(_TermFormView):
    template_name = "clusters/review_form.html"

    def load(self):
        super().load()
        if not permissions.is_standing_body(self.request.user, self.term.cluster):
            raise Http404

    def get_form(self, data=None, files=None):
        sheet = selectors.term_sheet(self.term)
        row = next(r for r in sheet.rows if r.unit.pk == self.unit.pk)
        self.row = row
        reviewed = {r.criterion_id: r for r in ReviewedScore.objects.filter(term=self.term, unit=self.unit)}
        initial = {
            c.pk: (reviewed[c.pk].points if c.pk in reviewed else row.cross_mean_decimal(c.pk))
            for c in self.criteria
        }
        reasons = {pk: r.reason for pk, r in reviewed.items()}
        return ReviewForm(data, criteria=self.criteria, initial_points=initial, reasons=reasons)

    def get_context(self):
        context = super().get_context()
        context["row"] = self.row
        return context

    def perform(self, data):
        services.reviewed_scores_set(
            actor=self.request.user, term=self.term, unit=self.unit, scores=self.form.scores()
        )
        return _("The reviewed scores of %(unit)s are saved.") % {"unit": self.unit}


@login_required
def evidence_download(request, pk):
    score = selectors.access_self_score(user=request.user, pk=pk)
    return file_response(
        score.evidence.open("rb"), filename=score.evidence_name, content_type=score.evidence_type
    )
