"""The vendors' exports of the same opportunities import to the same work log.

The exports are written by ``devvolume.sim``'s own writers (their column names, stage names, US
month/day dates, flags, expected close dates and amounts of open deals), not from the presets,
so the presets are checked against the vendors' formats rather than against themselves.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from devvolume.inputs import PRESETS, CrmImport, detect, import_crm
from devvolume.sim._opportunities import (
    Opportunities,
    crm_opportunities,
    hubspot_export,
    odoo_export,
    pipeline_csv,
    salesforce_export,
)


@pytest.fixture(scope="module")
def data() -> Opportunities:
    return crm_opportunities(scale=0.05, seed=11)


@pytest.fixture(scope="module")
def pipeline(data: Opportunities) -> CrmImport:
    return import_crm(pipeline_csv(data), roster=data.teams[["sales_agent", "manager"]])


@pytest.mark.parametrize(("name", "writer", "needs_roster"), [
    ("salesforce", salesforce_export, True), ("hubspot", hubspot_export, True),
    ("odoo", odoo_export, False)])  # fmt: skip
def test_each_vendor_export_imports_to_the_same_work_log(
        name: str, writer: object, needs_roster: bool, data: Opportunities, pipeline: CrmImport,
        tmp_path: Path) -> None:  # fmt: skip
    export = writer(data)  # type: ignore[operator]
    path = tmp_path / f"{name}.csv"
    export.to_csv(path, index=False)
    assert detect(list(export.columns)) == name
    roster = data.teams[["sales_agent", "manager"]] if needs_roster else None
    result = import_crm(path, roster=roster)
    assert result.summary.preset == name
    pd.testing.assert_frame_equal(result.worklog, pipeline.worklog)
    assert result.summary.left_out == pipeline.summary.left_out
    assert result.summary.deals_in == pipeline.summary.deals_in


def test_salesforce_dates_are_read_month_first(data: Opportunities) -> None:
    result = import_crm(salesforce_export(data), roster=data.teams[["sales_agent", "manager"]])
    assert result.summary.date_order == "MDY"


def test_a_salesforce_report_export_uses_the_labels(data: Opportunities, pipeline: CrmImport) -> None:
    """A report export writes labels ("Opportunity Owner") where Data Loader writes API names."""
    labels = {"Id": "Opportunity ID", "Name": "Opportunity Name", "Account.Name": "Account Name",
              "Owner.Name": "Opportunity Owner", "StageName": "Stage",
              "CreatedDate": "Created Date", "CloseDate": "Close Date", "IsClosed": "Closed",
              "IsWon": "Won", "LeadSource": "Lead Source",
              "LastStageChangeDate": "Last Stage Change Date"}  # fmt: skip
    export = salesforce_export(data).rename(columns=labels)
    result = import_crm(export, crm="salesforce", roster=data.teams[["sales_agent", "manager"]])
    pd.testing.assert_frame_equal(result.worklog, pipeline.worklog)


def test_hubspot_internal_stage_names_are_the_labels(data: Opportunities,
                                                     pipeline: CrmImport) -> None:  # fmt: skip
    export = hubspot_export(data)
    export["Deal Stage"] = export["Deal Stage"].map({
        "Appointment Scheduled": "appointmentscheduled", "Qualified To Buy": "qualifiedtobuy",
        "Closed Won": "closedwon", "Closed Lost": "closedlost"})
    result = import_crm(export, roster=data.teams[["sales_agent", "manager"]])
    pd.testing.assert_frame_equal(result.worklog, pipeline.worklog)


def test_odoo_lost_deals_are_archived_with_a_reason(data: Opportunities) -> None:
    result = import_crm(odoo_export(data))
    lost = [row for row in result.summary.stages if row.became == "lost"]
    assert [(row.stage, row.via) for row in lost] == [("Proposition", "Active")]


def test_every_preset_recognises_only_its_own_headers() -> None:
    for name, preset in PRESETS.items():
        headers = [alternatives[0] for alternatives in preset.columns.values()]
        assert detect(headers) == name
    assert detect(["日期", "销售员", "团队", "客户", "阶段"]) is None
