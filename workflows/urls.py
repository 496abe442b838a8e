"""Routes of the workflow's web UI: the dossier's page and what is posted from it (nominees,
files, submission and withdrawal, which start and stop the process, and the steps), the inboxes
and the decisions."""

from django.urls import path

from . import assignment_views, decision_views, forward_views, views

urlpatterns = [
    path("", views.home, name="home"),
    path("dossiers/<int:pk>/", views.dossier_detail, name="dossier-detail"),
    path("dossiers/<int:pk>/nominees/", views.NomineeAddView.as_view(), name="nominee-add"),
    path(
        "dossiers/<int:pk>/nominees/<int:nominee_pk>/remove/",
        views.NomineeRemoveView.as_view(),
        name="nominee-remove",
    ),
    path("dossiers/<int:pk>/attachments/", views.AttachmentAddView.as_view(), name="attachment-add"),
    path("dossiers/<int:pk>/submit/", views.DossierSubmitView.as_view(), name="dossier-submit"),
    path("dossiers/<int:pk>/withdraw/", views.DossierWithdrawView.as_view(), name="dossier-withdraw"),
    path("dossiers/<int:pk>/receive/", views.ReceiveView.as_view(), name="dossier-receive"),
    path("dossiers/<int:pk>/accept/", views.AcceptView.as_view(), name="dossier-accept"),
    path("dossiers/<int:pk>/return/", views.ReturnView.as_view(), name="dossier-return"),
    path("dossiers/<int:pk>/reject/", views.RejectView.as_view(), name="dossier-reject"),
    path("dossiers/<int:pk>/objections/", views.ObjectionLodgeView.as_view(), name="objection-lodge"),
    path(
        "dossiers/<int:pk>/objections/<int:objection_pk>/resolve/",
        views.ObjectionResolveView.as_view(),
        name="objection-resolve",
    ),
    path("dossiers/<int:pk>/close-notice/", views.NoticeCloseView.as_view(), name="notice-close"),
    path("dossiers/<int:pk>/council-result/", views.CouncilResultGoneView.as_view(), name="council-result"),
    path("dossiers/<int:pk>/opinion/", views.OpinionView.as_view(), name="dossier-opinion"),
    path("dossiers/<int:pk>/decide/", views.DecideView.as_view(), name="dossier-decide"),
    path("dossiers/<int:pk>/forward/", views.ForwardView.as_view(), name="dossier-forward"),
    path("forward/", forward_views.GatherView.as_view(), name="forward-gather"),
    path("dossiers/<int:pk>/decline/", views.DeclineView.as_view(), name="dossier-decline"),
    path("dossiers/<int:pk>/assign/", assignment_views.dossier_assign, name="dossier-assign"),
    path("tasks/", views.my_tasks, name="my-tasks"),
    path("tasks/<int:task_pk>/claim/", views.TaskClaimView.as_view(), name="task-claim"),
    path("queue/", views.standing_queue, name="standing-queue"),
    path("to-sign/", views.to_sign, name="to-sign"),
    path("my-unit/", views.unit_inbox, name="unit-inbox"),
    path("decisions/", views.decision_list, name="decision-list"),
    path("decisions/new/", decision_views.DecisionBatchView.as_view(), name="decision-prepare"),
    path(
        "decisions/new/confirm/",
        decision_views.DecisionBatchConfirmView.as_view(),
        name="decision-prepare-confirm",
    ),
    path(
        "decisions/new/preview.pdf",
        decision_views.DecisionPreviewPdfView.as_view(),
        name="decision-prepare-pdf",
    ),
    path("decisions/<int:pk>/", views.decision_detail, name="decision-detail"),
    path("decisions/<int:pk>/revoke/", views.DecisionRevokeView.as_view(), name="decision-revoke"),
]
