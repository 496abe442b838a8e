"""The words for what happened: one label per audit action and per changed field, used by every
page that shows the audit trail (a dossier's timeline, the inspectors' workspace). The actions
are named by the services that record them (`dossier.submit`, `meeting.close`, …)."""

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

ACTION_LABELS = {
    "dossier.create": gettext_lazy("Dossier created"),
    "dossier.update": gettext_lazy("Dossier edited"),
    "dossier.submit": gettext_lazy("Dossier submitted"),
    "dossier.withdraw": gettext_lazy("Dossier withdrawn"),
    "dossier.receive": gettext_lazy("Dossier received for appraisal"),
    "dossier.return": gettext_lazy("Dossier returned for supplement"),
    "dossier.reject": gettext_lazy("Dossier rejected"),
    "dossier.accept": gettext_lazy("Dossier accepted after appraisal"),
    "dossier.notice_close": gettext_lazy("Public notice closed"),
    "dossier.council_result": gettext_lazy("Council result recorded"),
    "meeting.record_paper": gettext_lazy("Council meeting recorded from paper minutes"),
    "dossier.opinion": gettext_lazy("Vice-chair's opinion given"),
    "dossier.decide": gettext_lazy("Dossier decided"),
    "dossier.forward": gettext_lazy("Dossier forwarded to the next level"),
    "dossier.assign": gettext_lazy("Dossier assigned to a specialist"),
    "dossier.reassign": gettext_lazy("Dossier reassigned to another specialist"),
    "dossier.unit_handover": gettext_lazy("Dossier handed over to the successor unit"),
    "dossier.reviewer_handover": gettext_lazy("Dossier handed over to the successor reviewing body"),
    "dossier.create_upward": gettext_lazy("Dossier created at the next level"),
    "dossier.decline": gettext_lazy("Dossier declined"),
    "nominee.add": gettext_lazy("Nominee added"),
    "nominee.update": gettext_lazy("Nominee edited"),
    "nominee.remove": gettext_lazy("Nominee removed"),
    "nominee.author_add": gettext_lazy("Author added to an initiative"),
    "nominee.author_remove": gettext_lazy("Author removed from an initiative"),
    "nominee.import": gettext_lazy("Nominees imported from Excel"),
    "attachment.add": gettext_lazy("File attached"),
    "objection.lodge": gettext_lazy("Objection lodged"),
    "objection.resolve": gettext_lazy("Objection resolved"),
    "objection.lodge_public": gettext_lazy("Objection lodged on the public page"),
    "task.claim": gettext_lazy("Task taken"),
    "decision.issue": gettext_lazy("Decision issued"),
    "decision.draft_prepare": gettext_lazy("Decision prepared for the chair"),
    "decision.revoke": gettext_lazy("Awards revoked"),
    "decision.publish": gettext_lazy("Decision published on the public pages"),
    "decision.unpublish": gettext_lazy("Decision taken down from the public pages"),
    "role.assign": gettext_lazy("Role assigned"),
    "role.end": gettext_lazy("Role ended"),
    "council.member_add": gettext_lazy("Council member added"),
    "user.create": gettext_lazy("Account created"),
    "user.update": gettext_lazy("Account changed"),
    "auth.login": gettext_lazy("Signed in"),
    "auth.login_failed": gettext_lazy("Failed sign-in"),
    "auth.logout": gettext_lazy("Signed out"),
    "audit.checkpoint": gettext_lazy("Chain checkpoint signed"),
    "inspector.read": gettext_lazy("Read by an inspector"),
    "inspector.export": gettext_lazy("Evidence exported by an inspector"),
    "auth.locked_out": gettext_lazy("Sign-in locked after repeated failures"),
    "auth.login_failed_counted": gettext_lazy("Failed sign-in counted towards a lockout"),
    "auth.token_issue": gettext_lazy("API token issued"),
    "auth.token_revoke": gettext_lazy("API token revoked"),
    "auth.unlock": gettext_lazy("Sign-in unlocked"),
    "base_salary.set": gettext_lazy("Base salary set"),
    "certificate_batch.start": gettext_lazy("Certificate printing started"),
    "certificate_batch.retry": gettext_lazy("Certificate printing restarted"),
    "certificate_batch.finish": gettext_lazy("Certificate printing finished"),
    "certificate_batch.fail": gettext_lazy("Certificate printing failed"),
    "document.generate": gettext_lazy("Document generated"),
    "document.sign": gettext_lazy("Document signed"),
    "document.issue": gettext_lazy("Document issued with the body's digital signature"),
    "signature_image.set": gettext_lazy("Signature image set"),
    "register.record_outside": gettext_lazy("Number issued outside the system recorded in the register"),
    "holiday.add": gettext_lazy("Public holiday added"),
    "holiday.change": gettext_lazy("Public holiday changed"),
    "holiday.remove": gettext_lazy("Public holiday removed"),
    "meeting.schedule": gettext_lazy("Council meeting convened"),
    "meeting.attendance": gettext_lazy("Attendance recorded"),
    "meeting.open": gettext_lazy("Council meeting opened"),
    "meeting.close": gettext_lazy("Council meeting closed"),
    "meeting.cancel": gettext_lazy("Council meeting cancelled"),
    "meeting.quota_apply": gettext_lazy("Award quota applied to the vote"),
    "meeting.runoff_open": gettext_lazy("Run-off round opened"),
    "meeting.tie_resolve": gettext_lazy("Tie at the quota line resolved by a run-off"),
    "meeting.tie_decide": gettext_lazy("Tie at the quota line decided by the chairperson"),
    "meeting.leave": gettext_lazy("Member left the meeting"),
    "rule.publish": gettext_lazy("Award rule published"),
    "unit.move": gettext_lazy("Unit moved in the organisation"),
    "unit.create": gettext_lazy("Unit created"),
    "vote.cast": gettext_lazy("Vote cast"),
    "vote.change": gettext_lazy("Vote changed"),
    "vote.participate": gettext_lazy("Secret ballot cast"),
    "vote.recuse": gettext_lazy("Member recused"),
    "award_record.add": gettext_lazy("Award decided elsewhere recorded"),
    "award_record.correct": gettext_lazy("Recorded award corrected"),
    "award_record.void": gettext_lazy("Recorded award voided"),
    "nominee.eligibility_override": gettext_lazy("Eligibility condition overridden"),
    # honours: a province's proposal of state honours to the central level (khen cao)
    "honours.proposal_create": gettext_lazy("State honours proposal opened"),
    "honours.nominee_add": gettext_lazy("Nominee added to a state honours proposal"),
    "honours.nominee_remove": gettext_lazy("Nominee removed from a state honours proposal"),
    "honours.proposal_submit": gettext_lazy("State honours proposal submitted to the central level"),
    "honours.dossier_forward": gettext_lazy("Dossier proposed to the central level"),
    "honours.result_record": gettext_lazy("Central level's result recorded"),
    "honours.nominee_result": gettext_lazy("Central level's result for a nominee of this dossier"),
    "honours.proposal_close": gettext_lazy("State honours proposal closed"),
    "honours.document_render": gettext_lazy("State honours proposal document generated"),
    # emulation: the year's plan and the units' registrations (Luật TĐKT 2022, Điều 12)
    "emulation_plan.open": gettext_lazy("Emulation plan issued"),
    "emulation_registration.add": gettext_lazy("Emulation registration added"),
    "emulation_registration.accept_late": gettext_lazy("Late emulation registration accepted"),
    "emulation_registration.withdraw": gettext_lazy("Emulation registration withdrawn"),
    "emulation_registration.override": gettext_lazy("Missing emulation registration overridden"),
    # contests: a contest's set-up and its entries (seed 002)
    "contest.create": gettext_lazy("Contest prepared"),
    "contest.update": gettext_lazy("Contest rules changed"),
    "contest.open": gettext_lazy("Contest opened to entries"),
    "criterion.add": gettext_lazy("Contest criterion added"),
    "criterion.update": gettext_lazy("Contest criterion changed"),
    "criterion.remove": gettext_lazy("Contest criterion removed"),
    "prize.add": gettext_lazy("Contest prize added"),
    "prize.update": gettext_lazy("Contest prize changed"),
    "prize.remove": gettext_lazy("Contest prize removed"),
    "juror.add": gettext_lazy("Juror appointed"),
    "juror.remove": gettext_lazy("Juror removed"),
    "conflict.declare": gettext_lazy("Juror's conflict of interest declared"),
    "entry.create": gettext_lazy("Contest entry drafted"),
    "entry.update": gettext_lazy("Contest entry edited"),
    "entry.send": gettext_lazy("Contest entry sent"),
    "entry.withdraw": gettext_lazy("Contest entry withdrawn"),
    "entry.refuse": gettext_lazy("Contest entry not admitted"),
    "entry_file.add": gettext_lazy("File added to a contest entry"),
    "entry_file.remove": gettext_lazy("File removed from a contest entry"),
    # contests: the jury's rounds and scores (seed 002, section 3 b and c)
    "round.open": gettext_lazy("Contest round opened"),
    "round.close": gettext_lazy("Contest round closed and scored"),
    "score.enter": gettext_lazy("Juror's score entered"),
    "score.change": gettext_lazy("Juror's score changed"),
    "entry.finalist": gettext_lazy("Contest entry goes to the final"),
    "entry.eliminate": gettext_lazy("Contest entry not chosen for the final"),
    # contests: the ranking, the prizes and the results decision (seed 002, section 5)
    "contest.rank": gettext_lazy("Contest entries ranked and prizes given"),
    "contest.tie_resolve": gettext_lazy("Tie in the contest ranking resolved by the organiser"),
    "contest.decision_prepare": gettext_lazy("Contest results decision prepared"),
    "contest.decide": gettext_lazy("Contest results decided"),
    # contests: the prize winners' Giấy khen (contests.results_services)
    "contest.certificates": gettext_lazy("Contest prize certificates made"),
    # fund: the award fund's ledger (Decree 152/2025)
    "fund.open": gettext_lazy("Award fund opened"),
    "fund.addition": gettext_lazy("Addition to the award fund"),
    "fund.charge": gettext_lazy("Decision charged to the award fund"),
    "fund.return": gettext_lazy("Revoked cash returned to the award fund"),
    "fund.payment": gettext_lazy("Award payment recorded"),
    "fund.correction": gettext_lazy("Award fund corrected"),
    "fund.overdraw_acknowledge": gettext_lazy("Overdraw of the award fund acknowledged"),
    # clusters: emulation clusters and blocs, their scoring, ranking and proposal
    "cluster.create": gettext_lazy("Emulation cluster formed"),
    "cluster.members_set": gettext_lazy("Cluster members set"),
    "cluster.term_set": gettext_lazy("Cluster leader and deputy set"),
    "cluster.criteria_set": gettext_lazy("Cluster criteria set"),
    "cluster.scoring_open": gettext_lazy("Cluster scoring opened"),
    "cluster.self_score": gettext_lazy("Cluster self-scores entered"),
    "cluster.self_confirm": gettext_lazy("Cluster self-assessment confirmed"),
    "cluster.cross_open": gettext_lazy("Cluster cross-scoring opened"),
    "cluster.cross_score": gettext_lazy("Cluster cross-scores entered"),
    "cluster.cross_close": gettext_lazy("Cluster cross-scoring closed"),
    "cluster.review_score": gettext_lazy("Cluster scores reviewed"),
    "cluster.close": gettext_lazy("Cluster ranked"),
    "cluster.propose": gettext_lazy("Cluster proposal drafted"),
    # initiatives: registration, the initiative council's review and vote, recognition
    "initiative.register": gettext_lazy("Initiative registered"),
    "initiative.file_add": gettext_lazy("File added to an initiative"),
    "initiative.submit": gettext_lazy("Initiative submitted for review"),
    "initiative.withdraw": gettext_lazy("Initiative withdrawn"),
    "initiative.recognise": gettext_lazy("Initiative recognised by decision"),
    "initiative_council.set_up": gettext_lazy("Initiative council set up"),
    "initiative_meeting.schedule": gettext_lazy("Initiative council meeting convened"),
    "initiative_meeting.open_voting": gettext_lazy("Initiative council vote opened"),
    "initiative_meeting.participate": gettext_lazy("Secret ballot cast on an initiative"),
    "initiative_meeting.close": gettext_lazy("Initiative council vote closed"),
}

# The actions by what they act on, for a search by kind (`dossier.` finds every dossier action).
ACTION_GROUPS = {
    "dossier": gettext_lazy("Dossiers"),
    "nominee": gettext_lazy("Nominees"),
    "attachment": gettext_lazy("Attached files"),
    "objection": gettext_lazy("Objections"),
    "task": gettext_lazy("Work on tasks"),
    "meeting": gettext_lazy("Council meetings"),
    "vote": gettext_lazy("Votes"),
    "council": gettext_lazy("Council members"),
    "decision": gettext_lazy("Decisions"),
    "document": gettext_lazy("Documents"),
    "certificate_batch": gettext_lazy("Certificate printing"),
    "rule": gettext_lazy("Award rules"),
    "base_salary": gettext_lazy("Base salary"),
    "award_record": gettext_lazy("Awards recorded from outside the system"),
    "emulation_plan": gettext_lazy("Emulation plans"),
    "emulation_registration": gettext_lazy("Emulation registrations"),
    "register": gettext_lazy("Register of outgoing documents"),
    "signature_image": gettext_lazy("Signature images"),
    "holiday": gettext_lazy("Public holidays"),
    "unit": gettext_lazy("Organisation"),
    "role": gettext_lazy("Roles"),
    "user": gettext_lazy("Accounts"),
    "auth": gettext_lazy("Sign-in and API tokens"),
    "audit": gettext_lazy("Audit trail"),
    "inspector": gettext_lazy("Inspection"),
    "fund": gettext_lazy("Award fund"),
    "round": gettext_lazy("Contest rounds"),
    "score": gettext_lazy("Jury scores"),
    "cluster": gettext_lazy("Emulation clusters and blocs"),
    # contests, initiatives and state honours
    "contest": gettext_lazy("Contests"),
    "criterion": gettext_lazy("Contest scoring criteria"),
    "prize": gettext_lazy("Contest prizes"),
    "juror": gettext_lazy("Contest jurors"),
    "conflict": gettext_lazy("Conflicts of interest"),
    "entry": gettext_lazy("Contest entries"),
    "entry_file": gettext_lazy("Files of contest entries"),
    "initiative": gettext_lazy("Initiatives"),
    "initiative_council": gettext_lazy("Initiative councils"),
    "initiative_meeting": gettext_lazy("Initiative council meetings"),
    "honours": gettext_lazy("State honours"),
}


def action_choices(chosen: str = "") -> list[dict]:
    """The actions for a search form, in words: one group per kind (its value the prefix
    "dossier."), each action of the kind by its label; an action searched for that no group
    offers (an administration event, a prefix of one) comes first, by its label, so the form
    still shows what the search is for."""
    groups = {prefix: [] for prefix in ACTION_GROUPS}
    for code in ACTION_LABELS:
        groups.setdefault(code.split(".")[0], []).append((code, str(ACTION_LABELS[code])))
    choices = [
        {"label": str(ACTION_GROUPS.get(prefix, prefix)), "prefix": f"{prefix}.", "actions": actions}
        for prefix, actions in groups.items()
        if actions
    ]
    offered = {c["prefix"] for c in choices} | set(ACTION_LABELS)
    if chosen and chosen not in offered:
        label = action_label(chosen) if not chosen.endswith(".") else _("Other action")
        choices.insert(0, {"label": _("Other action"), "prefix": "", "actions": [(chosen, label)]})
    return choices


# The administration's row events are named "admin.<app>.<model>.<verb>" (org.services).
ADMIN_VERBS = {
    "add": gettext_lazy("Administration: %(model)s added"),
    "change": gettext_lazy("Administration: %(model)s changed"),
    "delete": gettext_lazy("Administration: %(model)s deleted"),
    "relations": gettext_lazy("Administration: links of a %(model)s changed"),
}


def action_label(action: str) -> str:
    """The action in words; an action with no label shows as "Other action" (never its code)."""
    if action in ACTION_LABELS:
        return str(ACTION_LABELS[action])
    parts = action.split(".")
    if len(parts) == 4 and parts[0] == "admin" and parts[3] in ADMIN_VERBS:
        return str(ADMIN_VERBS[parts[3]]) % {"model": model_label(f"{parts[1]}.{parts[2]}")}
    return _("Other action")


def model_label(object_type: str) -> str:
    """ "dossiers.dossier" → "dossier" in the page's language (the model's verbose name)."""
    try:
        return str(apps.get_model(object_type)._meta.verbose_name)
    except (LookupError, ValueError):
        return _("record")


def field_label(object_type: str, name: str) -> str:
    """The verbose name of field `name` of the model `object_type` ("dossiers.dossier")."""
    try:
        return str(apps.get_model(object_type)._meta.get_field(name).verbose_name)
    except (LookupError, ValueError, FieldDoesNotExist):
        return name


def event_detail(event) -> str:
    """A short line saying what the event changed, from its data."""
    data = event.data or {}
    if event.action == "attachment.add":
        return f"{data.get('name', '')} (v{data.get('version', 1)})"
    if event.action in ("nominee.add", "nominee.remove", "nominee.author_add", "nominee.author_remove"):
        return data.get("name", "")
    if event.action == "nominee.import":
        line = _("%(file)s: %(added)s added, %(skipped)s already there") % {
            "file": data.get("file", ""),
            "added": data.get("added", 0),
            "skipped": data.get("skipped", 0),
        }
        if data.get("skipped_initiatives"):
            line += ", " + _("%(count)s initiatives skipped") % {"count": data["skipped_initiatives"]}
        return line
    if event.action in ("dossier.update", "nominee.update"):
        return ", ".join(field_label(event.object_type, name) for name in sorted(data.get("changes", {})))
    if event.action == "dossier.withdraw":
        return data.get("reason", "")
    if event.action == "dossier.submit":
        return _("submission %(n)s") % {"n": data.get("submission", 1)}
    if event.action == "dossier.return":
        # Each item is a sentence of its own ("Thiếu tờ trình."): joined, without ".;".
        items = [item.strip().rstrip(".;").strip() for item in data.get("items", [])]
        return "; ".join(item for item in items if item) + (
            f" — {data['further_return_reason']}" if data.get("further_return_reason") else ""
        )
    if event.action == "dossier.reject":
        return data.get("reasons", "")
    if event.action in ("dossier.decline",):
        return data.get("reason", "")
    if event.action in ("dossier.opinion", "objection.lodge"):
        return data.get("text", "")
    if event.action == "objection.resolve":
        return data.get("resolution", "")
    if event.action == "dossier.decide":
        return data.get("symbol", "")
    if event.action == "dossier.forward":
        return data.get("to_unit", "")
    if event.action == "honours.dossier_forward":
        return f"{data.get('dispatch_number', '')} → {data.get('to', '')}"
    if event.action == "honours.nominee_result":
        return f"{data.get('name', '')}: {data.get('decision_number') or data.get('result', '')}"
    if event.action == "dossier.accept":
        ineligible = data.get("ineligible") or {}
        return _("%(n)d not eligible") % {"n": len(ineligible)} if ineligible else ""
    if event.action == "dossier.council_result":
        results = (data.get("results") or {}).values()
        return ", ".join(f"{r['for']}/{r['of']}" for r in results)
    return ""
