"""Staff roles and the model permissions each one carries.

Roles are Django groups (created by a data migration, so every fresh database has
them). Their permissions are synced after every migrate from ROLE_PERMISSIONS,
because model permissions only exist once the apps' migrations have run.
"""

from django.db import models
from django.utils import translation
from django.utils.translation import gettext_lazy


class Role(models.TextChoices):
    CASE_MANAGER = "case_manager", gettext_lazy("Case manager")
    SUPERVISOR = "supervisor", gettext_lazy("Supervisor")
    ADMINISTRATOR = "administrator", gettext_lazy("Administrator")

    @property
    def group_name(self) -> str:
        # The group in the database keeps the English name, whatever the page's language.
        with translation.override(None):
            return str(self.label)


# Highest first: a user in several groups acts with the widest role they hold.
ROLE_PRECEDENCE = (Role.ADMINISTRATOR, Role.SUPERVISOR, Role.CASE_MANAGER)

# "app_label.codename" for each role. Apps add the permissions of their models here.
ROLE_PERMISSIONS: dict[Role, list[str]] = {
    Role.CASE_MANAGER: [
        "plans.view_youth",
        "plans.change_youth",
        "plans.view_plan",
        "plans.change_plan",
        "plans.view_accessrule",
        "plans.add_accessrule",
        "plans.change_accessrule",
        "plans.view_restriction",
        "plans.add_restriction",
        "plans.change_restriction",
        "plans.view_category",
        "policies.view_policy",
        "policies.view_policyversion",
        "policies.add_policyversion",
        "policies.change_policyversion",
        "policies.view_contribution",
        "policies.add_contribution",
    ],
    Role.SUPERVISOR: [
        "plans.view_youth",
        "plans.add_youth",
        "plans.change_youth",
        "plans.view_plan",
        "plans.change_plan",
        "plans.view_accessrule",
        "plans.add_accessrule",
        "plans.change_accessrule",
        "plans.view_restriction",
        "plans.add_restriction",
        "plans.change_restriction",
        "plans.view_category",
        "policies.view_policy",
        "policies.add_policy",
        "policies.change_policy",
        "policies.view_policyversion",
        "policies.add_policyversion",
        "policies.change_policyversion",
        "policies.view_contribution",
        "policies.add_contribution",
    ],
    Role.ADMINISTRATOR: [
        "shelter.view_user",
        "shelter.add_user",
        "shelter.change_user",
        "auth.view_group",
        "plans.view_youth",
        "plans.view_plan",
        "plans.view_accessrule",
        "plans.view_restriction",
        "plans.view_category",
        "plans.add_category",
        "plans.change_category",
        # Units and agency helplines: retired by "is active", never deleted.
        "plans.view_unit",
        "plans.add_unit",
        "plans.change_unit",
        "plans.view_helpline",
        "plans.add_helpline",
        "plans.change_helpline",
        # Block a staff member from a youth's record, and lift the block (no change, no delete).
        "plans.view_recordblock",
        "plans.add_recordblock",
        "desk.view_device",
        "desk.add_device",
        "desk.change_device",
        "policies.view_policy",
        "policies.view_policyversion",
        "policies.view_contribution",
        "policies.view_flaggedphrase",
        "policies.add_flaggedphrase",
        "policies.change_flaggedphrase",
        # The research and training library: curated here, retired by "is active".
        "library.view_topic",
        "library.add_topic",
        "library.change_topic",
        "library.view_resource",
        "library.add_resource",
        "library.change_resource",
        "reports.view_exportrecord",
        # Required training per role: retired by "is active", never deleted.
        "library.view_requiredtraining",
        "library.add_requiredtraining",
        "library.change_requiredtraining",
        "shelter.view_auditevent",
        # Lift a sign-in lockout early (django-axes' counters, not the audit trail).
        "axes.view_accessattempt",
        "axes.delete_accessattempt",
    ],
}
