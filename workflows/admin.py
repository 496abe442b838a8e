"""The workflow engine's processes and tasks (viewflow) are shown in the admin, never edited there:
a process moves only through the workflow's services, each step with its audit event."""

from django.contrib import admin
from viewflow.workflow.admin import ProcessAdmin, TaskAdmin
from viewflow.workflow.models import Process, Task

from org.audited_admin import ReadOnlyAdmin

admin.site.unregister(Process)
admin.site.unregister(Task)


@admin.register(Process)
class ReadOnlyProcessAdmin(ReadOnlyAdmin, ProcessAdmin):
    pass


@admin.register(Task)
class ReadOnlyTaskAdmin(ReadOnlyAdmin, TaskAdmin):
    pass
