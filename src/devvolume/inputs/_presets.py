"""The vendors' standard opportunity exports, as mappings, and how an export is recognised.

Each preset is a :class:`~devvolume.inputs._mapping.CrmMapping`: the vendor's standard column
names (API names and the labels a report export uses) and its default stage values. Companies
rename stages; a mapping file (``--map``) covers the rest. ``auto`` picks the preset whose
required columns are all in the export's header (the one naming the most fields if several do).

Stage choices, the same for every vendor: the first stage of a pipeline is 首次接触 (contacted);
every working stage after it is 意向 (qualified), because a proposal or a contract sent is not
yet a signature (a company whose "Negotiation" means signed maps it to ``signed`` with --map);
closed won is 成交 (won) and closed lost 流失 (lost).
"""

from __future__ import annotations

from devvolume.inputs._mapping import CrmMapping, mapping, missing_fields, resolve

#: The public "CRM Sales Opportunities" format: ``sales_pipeline.csv`` (one row per opportunity)
#: with a ``sales_teams.csv`` roster (sales_agent → manager: the team).
PIPELINE = mapping(
    "pipeline",
    {"deal": "opportunity_id", "customer": "account", "rep": "sales_agent", "stage": "deal_stage",
     "created": "engage_date", "closed": "close_date", "amount": "close_value", "note": "product"},
    {"Prospecting": "contacted", "Engaging": "qualified", "Won": "won", "Lost": "lost"},
)

#: Salesforce Opportunity (Data Loader API names, or a report export's labels).
SALESFORCE = mapping(
    "salesforce",
    {"deal": ("Id", "Opportunity ID"), "customer": ("Account.Name", "Account Name", "AccountId"),
     "rep": ("Owner.Name", "Opportunity Owner", "OwnerId"), "stage": ("StageName", "Stage"),
     "created": ("CreatedDate", "Created Date"), "closed": ("CloseDate", "Close Date"),
     "latest": ("LastStageChangeDate", "Last Stage Change Date", "LastActivityDate",
                "Last Activity"),
     "amount": "Amount", "channel": ("LeadSource", "Lead Source"),
     "note": ("Name", "Opportunity Name"), "won_flag": ("IsWon", "Won"),
     "closed_flag": ("IsClosed", "Closed")},
    {"Prospecting": "contacted", "Qualification": "qualified", "Needs Analysis": "qualified",
     "Value Proposition": "qualified", "Id. Decision Makers": "qualified",
     "Perception Analysis": "qualified", "Proposal/Price Quote": "qualified",
     "Negotiation/Review": "qualified", "Closed Won": "won", "Closed Lost": "lost"},
)

#: HubSpot deals (the default sales pipeline; stage labels and internal names alike).
HUBSPOT = mapping(
    "hubspot",
    {"deal": ("Deal ID", "Record ID"), "customer": ("Associated Company",
                                                    "Associated Company (Primary)"),
     "rep": "Deal owner", "stage": "Deal Stage", "created": "Create Date",
     "closed": "Close Date", "latest": "Last Activity Date", "amount": "Amount",
     "note": "Deal Name"},
    {"Appointment Scheduled": "contacted", "Qualified To Buy": "qualified",
     "Presentation Scheduled": "qualified", "Decision Maker Bought-In": "qualified",
     "Contract Sent": "qualified", "Closed Won": "won", "Closed Lost": "lost"},
)

#: Odoo CRM opportunities (crm.lead, English labels). Lost opportunities are archived: Active is
#: false, with a Lost Reason. "ID" is the external id Odoo's export adds when asked.
ODOO = mapping(
    "odoo",
    {"deal": ("ID", "Opportunity"), "customer": ("Customer", "Partner"), "rep": "Salesperson",
     "team": "Sales Team", "stage": "Stage", "created": "Created on", "closed": "Closed Date",
     "latest": "Last Stage Update", "amount": "Expected Revenue", "channel": "Source",
     "note": "Opportunity", "active_flag": "Active", "lost_reason": "Lost Reason"},
    {"New": "contacted", "Qualified": "qualified", "Proposition": "qualified", "Won": "won"},
)

PRESETS: dict[str, CrmMapping] = {m.name: m for m in (PIPELINE, SALESFORCE, HUBSPOT, ODOO)}
#: ``--from`` choices.
SOURCES: tuple[str, ...] = (*PRESETS, "auto")


def detect(headers: list[str]) -> str | None:
    """Name the preset an export's headers fit, or None.

    A preset fits when its required fields and a date are all found; of several, the one that
    finds the most fields.

    Examples
    --------
    >>> detect(["opportunity_id", "sales_agent", "product", "account", "deal_stage",
    ...         "engage_date", "close_date", "close_value"])
    'pipeline'
    >>> detect(["日期", "客户"]) is None
    True
    """
    fits = [(len(resolve(preset, headers)), -order, name)
            for order, (name, preset) in enumerate(PRESETS.items())
            if not missing_fields(resolve(preset, headers))]  # fmt: skip
    return max(fits)[2] if fits else None
