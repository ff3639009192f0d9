"""What each department may do inside the subtree its role reaches.

This table is the whole permission model besides the subtree itself: a role held at a
unit grants its department's capabilities over that unit's subtree, for the role's
period, and nothing else. Later modules add their capabilities here.
"""

from __future__ import annotations

from enum import StrEnum

from dangvu.accounts.models import Department


class Capability(StrEnum):
    VIEW_UNITS = "view_units"  # see the tree, unit pages and counts
    VIEW_MEMBERS = "view_members"  # see member lists and member records
    MANAGE_MEMBERS = "manage_members"  # edit members, record transfers and departures
    REORGANISE = "reorganise"  # rename, move, merge, split, dissolve units
    EXCHANGE = "exchange"  # import and export the exchange workbook
    MANAGE_ACCOUNTS = "manage_accounts"  # create accounts and grant roles in the subtree
    VIEW_REPORTS = "view_reports"  # indicators, dashboards, validation, summary reports
    ENTER_VALUES = "enter_values"  # entered aggregate values of indicators
    WRITE_REPORTS = "write_reports"  # the narrative of summary reports, and generating them
    RUN_STUDY = "run_study"  # documents, study sessions, question banks, quick assessments
    RUN_REVIEWS = "run_reviews"  # commitments, reviews, ratings, review suggestions, remediation
    RECORD_MEETINGS = "record_meetings"  # branch meetings: plans, held meetings, attendance
    DISCIPLINE = "discipline"  # inspection and discipline records (issue on inspection)
    SUPERVISION = "supervision"  # supervision by the Fatherland Front


_STAFF_VIEW = {Capability.VIEW_UNITS, Capability.VIEW_MEMBERS, Capability.VIEW_REPORTS}
_REPORTING = {Capability.ENTER_VALUES, Capability.WRITE_REPORTS, Capability.RUN_STUDY}

DEPARTMENT_CAPABILITIES: dict[str, frozenset[Capability]] = {
    Department.ORGANISATION: frozenset(
        _STAFF_VIEW
        | {
            Capability.MANAGE_MEMBERS,
            Capability.REORGANISE,
            Capability.EXCHANGE,
            Capability.MANAGE_ACCOUNTS,
            Capability.RUN_REVIEWS,
            Capability.RECORD_MEETINGS,
        }
        | _REPORTING
    ),
    Department.PROPAGANDA: frozenset(_STAFF_VIEW | _REPORTING),
    Department.INSPECTION: frozenset(
        _STAFF_VIEW | {Capability.DISCIPLINE, Capability.ENTER_VALUES}
    ),
    Department.OFFICE: frozenset(_STAFF_VIEW | _REPORTING),
    Department.LEADERSHIP: frozenset(
        _STAFF_VIEW
        | _REPORTING
        | {Capability.DISCIPLINE, Capability.RUN_REVIEWS, Capability.RECORD_MEETINGS}
    ),
    Department.SECRETARY: frozenset(
        _STAFF_VIEW
        | {
            Capability.MANAGE_MEMBERS,
            Capability.RUN_STUDY,
            Capability.RUN_REVIEWS,
            Capability.RECORD_MEETINGS,
        }
    ),
    Department.FRONT: frozenset(
        {
            Capability.VIEW_UNITS,
            Capability.VIEW_REPORTS,
            Capability.ENTER_VALUES,
            Capability.SUPERVISION,
        }
    ),
    # A member reaches their own records only; the unit of the role is context.
    Department.MEMBER: frozenset(),
}

#: The administrator runs the system; discipline stays with inspection and leadership.
ADMIN_CAPABILITIES = frozenset(set(Capability) - {Capability.DISCIPLINE})
