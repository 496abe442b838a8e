"""/api/…: the whole API in one namespace ("api"). The workflow's routes come first — submitting
and withdrawing start and stop a dossier's process, so their paths are served here — then
dossiers' own routes (dossiers/api_urls.py)."""

from django.urls import include, path

from dossiers import api_urls as dossier_api_urls

from . import api, assignment_api, decision_api, forward_api

app_name = "api"

urlpatterns = [
    path("dossiers/<int:pk>/submit/", api.SubmitApi.as_view(), name="dossier-submit"),
    path("dossiers/<int:pk>/withdraw/", api.WithdrawApi.as_view(), name="dossier-withdraw"),
    path("dossiers/<int:pk>/receive/", api.ReceiveApi.as_view(), name="dossier-receive"),
    path("dossiers/<int:pk>/accept/", api.AcceptApi.as_view(), name="dossier-accept"),
    path("dossiers/<int:pk>/return/", api.ReturnApi.as_view(), name="dossier-return"),
    path("dossiers/<int:pk>/reject/", api.RejectApi.as_view(), name="dossier-reject"),
    path("dossiers/<int:pk>/objections/", api.ObjectionListApi.as_view(), name="objection-list"),
    path("objections/<int:pk>/resolve/", api.ObjectionResolveApi.as_view(), name="objection-resolve"),
    path("dossiers/<int:pk>/close-notice/", api.NoticeCloseApi.as_view(), name="dossier-close-notice"),
    path(
        "dossiers/<int:pk>/council-result/", api.CouncilResultGoneApi.as_view(), name="dossier-council-result"
    ),
    path("dossiers/<int:pk>/opinion/", api.OpinionApi.as_view(), name="dossier-opinion"),
    path("dossiers/<int:pk>/decide/", api.DecideApi.as_view(), name="dossier-decide"),
    path("dossiers/<int:pk>/forward/", api.ForwardApi.as_view(), name="dossier-forward"),
    path("forwardings/", forward_api.GatherApi.as_view(), name="forwarding-create"),
    path("dossiers/<int:pk>/decline/", api.DeclineApi.as_view(), name="dossier-decline"),
    path("dossiers/<int:pk>/assign/", assignment_api.AssignApi.as_view(), name="dossier-assign"),
    path("standing-load/", assignment_api.LoadApi.as_view(), name="standing-load"),
    path("dossiers/<int:pk>/workflow/", api.WorkflowApi.as_view(), name="dossier-workflow"),
    path("tasks/", api.MyTasksApi.as_view(), name="task-list"),
    path("tasks/<int:pk>/claim/", api.TaskClaimApi.as_view(), name="task-claim"),
    path("queue/", api.QueueApi.as_view(), name="queue"),
    path("to-sign/", api.ToSignApi.as_view(), name="to-sign"),
    path("unit-dossiers/", api.UnitDossiersApi.as_view(), name="unit-dossiers"),
    path("decisions/", api.DecisionListApi.as_view(), name="decision-list"),
    path("decisions/preview/", decision_api.DecisionPreviewApi.as_view(), name="decision-preview"),
    path("decisions/drafts/", decision_api.DecisionDraftApi.as_view(), name="decision-draft-create"),
    path("decisions/issue/", decision_api.DecisionIssueApi.as_view(), name="decision-issue"),
    path("decisions/<int:pk>/", api.DecisionDetailApi.as_view(), name="decision-detail"),
    path("decisions/<int:pk>/revoke/", api.DecisionRevokeApi.as_view(), name="decision-revoke"),
    path("", include(dossier_api_urls.urlpatterns)),
]
